//! `finchat render`: prints the plain-text fallback or the HTML preview of content.

use finchat_cui::render::{HtmlOptions, html_page, plain_text};

use crate::exit::{Error, Exit};
use crate::{input, output};

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

pub fn run(args: &Args) -> Result<Exit, Error> {
    if let Some(path) = &args.text {
        let (_, content) = input::read_content(path)?;
        output::line(plain_text(&content))?;
    } else if let Some(path) = &args.html {
        let (_, content) = input::read_content(path)?;
        output::bytes(html_page(&content, &HtmlOptions::default()).as_bytes())?;
    }
    Ok(Exit::Done)
}
