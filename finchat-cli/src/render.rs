//! `finchat render`: prints the plain-text fallback or the HTML preview of content.

use std::process::ExitCode;

use finchat_cui::MessageContent;
use finchat_cui::render::{HtmlOptions, html_page, plain_text};

use crate::input;

/// Arguments of `finchat render`.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct Args {
    /// Print the plain-text fallback of the content in FILE (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    text: Option<String>,
    /// Print a standalone HTML page previewing the content in FILE (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    html: Option<String>,
}

pub fn run(args: &Args) -> ExitCode {
    let (path, html) = match (&args.text, &args.html) {
        (Some(path), _) => (path, false),
        (None, Some(path)) => (path, true),
        (None, None) => return ExitCode::from(2),
    };
    let input = match input::read(path) {
        Ok(input) => input,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let content = match serde_json::from_value::<MessageContent>(input.content) {
        Ok(content) => content,
        Err(e) => {
            eprintln!("{}: not message content: {e}", input.name);
            return ExitCode::from(1);
        }
    };
    if html {
        print!("{}", html_page(&content, &HtmlOptions::default()));
    } else {
        println!("{}", plain_text(&content));
    }
    ExitCode::SUCCESS
}
