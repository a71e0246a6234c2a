//! `finchat validate`: checks content files and prints every problem as `FILE: PATH: message`.

use std::process::ExitCode;

use finchat_cui::MessageContent;

use crate::input;

/// Arguments of `finchat validate`.
#[derive(clap::Args)]
pub struct Args {
    /// Content or request JSON files; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
}

pub fn run(args: &Args) -> ExitCode {
    let mut invalid = false;
    let mut unreadable = false;
    for path in &args.files {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(line) => {
                eprintln!("{line}");
                unreadable = true;
                continue;
            }
        };
        let prefix = if input.in_request { "content." } else { "" };
        let content = match serde_json::from_value::<MessageContent>(input.content) {
            Ok(content) => content,
            Err(e) => {
                let path = if input.in_request {
                    "content"
                } else {
                    "(content)"
                };
                println!("{}: {path}: {e}", input.name);
                invalid = true;
                continue;
            }
        };
        if let Err(problems) = content.validate() {
            invalid = true;
            for problem in &problems {
                let path = problem.path.to_string();
                let path = if path == "(content)" && input.in_request {
                    "content".to_owned()
                } else {
                    format!("{prefix}{path}")
                };
                println!("{}: {path}: {}", input.name, problem.message);
            }
        }
    }
    match (unreadable, invalid) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}
