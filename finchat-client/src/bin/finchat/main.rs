//! `finchat`: the command-line tool of finchat-cui. Prints JSON Schemas, validates message content,
//! and renders it as text or an HTML preview.

mod input;
mod render;
mod schema;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema(args) => schema::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Render(args) => render::run(&args),
    }
}
