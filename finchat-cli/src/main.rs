//! `finchat`: the command-line tool of finchat-cui. Prints JSON Schemas, validates and renders message
//! content, and talks to a FinChat server: tokens, sends, card updates, media.

mod connection;
#[cfg(feature = "fuxin")]
mod fuxin;
#[cfg(feature = "gobelieve")]
mod gobelieve;
mod input;
mod listen;
mod media;
mod render;
mod sandbox;
mod schema;
mod send;
mod token;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Work with FinChat message content and CUI cards.
#[derive(Parser)]
#[command(name = "finchat", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a JSON Schema (draft 2020-12) to stdout.
    Schema(schema::Args),
    /// Check message content before it is sent; one line per problem as `FILE: PATH: message`.
    ///
    /// Each FILE holds content JSON, or a whole send / update-cui request with `content` inside;
    /// `-` reads stdin. Exits 0 when every file is valid, 1 when any has problems, 2 when a file
    /// cannot be read or is not JSON.
    Validate(validate::Args),
    /// Print the plain-text fallback or the HTML preview of message content.
    Render(render::Args),
    /// Fetch an app access token and print it as JSON.
    Token(token::Args),
    /// Send content to rooms and users; one JSON line per target. Exits 1 when any target did not
    /// certainly get it, 2 when nothing could be sent.
    Send(send::SendArgs),
    /// Replace a card in place (update-cui) in rooms or for users; output as for `send`.
    Update(send::UpdateArgs),
    /// Upload a file; prints its mxc:// URI.
    Upload(media::UploadArgs),
    /// Download an mxc:// URI to a file or stdout.
    Download(media::DownloadArgs),
    /// Receive webhook callbacks and print each event as one JSON line; answers as an app should.
    Listen(listen::ListenArgs),
    /// Poll the forwarder API for events and print each as one JSON line, keeping the cursor in a file.
    Poll(listen::PollArgs),
    /// Serve a local FinChat: the bots' API, and a page where people see and submit cards.
    Sandbox(sandbox::Args),
    /// FuXin meeting-system tokens: getAccessToken and refreshToken, printed as JSON.
    #[cfg(feature = "fuxin")]
    Fuxin(fuxin::Args),
    /// Send FinChat content to GoBelieve IM (a card goes as its plain-text fallback), or grant a
    /// user token; prints one JSON line. Exits 2 when it could not be done.
    #[cfg(feature = "gobelieve")]
    Gobelieve(gobelieve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema(args) => schema::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Token(args) => token::run(&args),
        Command::Send(args) => send::send(&args),
        Command::Update(args) => send::update(&args),
        Command::Upload(args) => media::upload(&args),
        Command::Download(args) => media::download(&args),
        Command::Listen(args) => listen::listen(&args),
        Command::Poll(args) => listen::poll(&args),
        Command::Sandbox(args) => sandbox::run(&args),
        #[cfg(feature = "fuxin")]
        Command::Fuxin(args) => fuxin::run(&args),
        #[cfg(feature = "gobelieve")]
        Command::Gobelieve(args) => gobelieve::run(&args),
    }
}
