//! `finchat`: the command-line tool of finchat-cui. Validates, previews and sends FinChat cards,
//! receives events, and runs a local FinChat; one file per command. Every command ends with the
//! statuses of [`exit::EXIT_STATUS`].

mod completions;
mod connection;
mod exit;
#[cfg(feature = "fuxin")]
mod fuxin;
#[cfg(feature = "gobelieve")]
mod gobelieve;
mod input;
mod listen;
mod logging;
mod media;
mod output;
mod poll;
mod printer;
mod render;
mod sandbox;
mod schema;
mod send;
mod token;
mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Validate, preview and send FinChat cards; receive events; run a local FinChat.
///
/// FinChat is an enterprise IM built on Matrix, where bots send cards people fill in. `finchat`
/// checks and previews content offline, sends it and updates cards through a FinChat server's open
/// API, prints the events the server pushes or keeps for polling, and serves a local FinChat to try
/// a bot against. Reports and events are printed as one JSON object per line, for `jq`.
#[derive(Parser)]
#[command(name = "finchat", version, after_help = exit::EXIT_STATUS)]
struct Cli {
    /// Log more on stderr: -v debug for finchat's crates, -vv trace, -vvv trace everything.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    verbose: u8,
    /// Log only errors. `RUST_LOG` (e.g. `RUST_LOG=finchat_client=debug`) overrides -v and -q.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a JSON Schema (draft 2020-12), or with `--ts` the TypeScript declarations, to stdout.
    Schema(schema::Args),
    /// Check message content before it is sent; one line per problem.
    ///
    /// Each FILE holds content JSON, or a whole send / update-cui request with `content` inside;
    /// `-` reads stdin. Each problem is printed as `FILE: PATH: message`, or with `--format json`
    /// as `{"file", "path", "kind", "message"}`. With `--lint`, what is legal but poor follows as
    /// warnings: `FILE: PATH: warning: message (hint: …)`, or JSON with `"level": "warning"` and a
    /// `hint`; they leave the exit status at 0 unless `--deny-warnings` is given.
    Validate(validate::Args),
    /// Print the plain-text fallback or the HTML preview of message content.
    Render(render::Args),
    /// Fetch an app access token and print it as JSON, or check one (`--verify`).
    Token(token::Args),
    /// Send content to rooms and users; one JSON line per target.
    Send(send::SendArgs),
    /// Replace a card in place (update-cui) in rooms or for users; output as for `send`.
    Update(send::UpdateArgs),
    /// Upload a file; prints its mxc:// URI.
    Upload(media::UploadArgs),
    /// Download an mxc:// URI to a file or stdout.
    Download(media::DownloadArgs),
    /// Receive webhook callbacks and print each event whole, as one JSON line.
    ///
    /// Answers each push as an app should: 200 once the event is printed, 401 for a wrong token.
    Listen(listen::Args),
    /// Poll the forwarder API and print each event whole, as one JSON line.
    ///
    /// The cursor is kept in a file, so a restart goes on where it stopped. A failed poll is
    /// logged on stderr and tried again, after 1 s, then 2, 4, … up to 60 s.
    Poll(poll::Args),
    /// Serve a local FinChat: the bots' API, and a page where people see and submit cards.
    Sandbox(sandbox::Args),
    /// Print a completion script for a shell.
    Completions(completions::Args),
    /// FuXin meeting-system tokens: getAccessToken and refreshToken, printed as JSON.
    #[cfg(feature = "fuxin")]
    Fuxin(fuxin::Args),
    /// Send FinChat content to GoBelieve IM (a card goes as its plain-text fallback), or grant a
    /// user token; prints one JSON line.
    #[cfg(feature = "gobelieve")]
    Gobelieve(gobelieve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Schema(args) => schema::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Token(args) => token::run(&args),
        Command::Send(args) => send::send(&args),
        Command::Update(args) => send::update(&args),
        Command::Upload(args) => media::upload(&args),
        Command::Download(args) => media::download(&args),
        Command::Listen(args) => listen::run(&args),
        Command::Poll(args) => poll::run(&args),
        Command::Sandbox(args) => sandbox::run(&args),
        Command::Completions(args) => completions::run(&args, Cli::command()),
        #[cfg(feature = "fuxin")]
        Command::Fuxin(args) => fuxin::run(&args),
        #[cfg(feature = "gobelieve")]
        Command::Gobelieve(args) => gobelieve::run(&args),
    };
    exit::finish(result)
}
