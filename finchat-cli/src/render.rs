//! `finchat render`: prints the plain-text fallback or the HTML preview of content, or the content a
//! card template (`.cui`) makes with JSON data.

use finchat_cui::MessageContent;
use finchat_cui::render::{HtmlOptions, html_page, plain_text};
use finchat_cui::template::{RenderError, Template};

use crate::exit::{Error, Exit};
use crate::{input, output};

/// Arguments of `finchat render`.
#[derive(clap::Args)]
#[group(id = "what", required = true, multiple = true, args = ["text", "html", "template"])]
pub struct Args {
    /// Print the plain-text fallback of the content in FILE (`-`: stdin); with `--template`, of the
    /// content the template makes (no FILE).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "", conflicts_with = "html")]
    text: Option<String>,
    /// Print a standalone HTML page previewing the content in FILE (`-`: stdin); with
    /// `--template`, the content the template makes (no FILE).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    html: Option<String>,
    /// Render the card template in FILE (`-`: stdin; the `cui!` grammar with `{paths}`, `<for>`
    /// and `<if>`) with `--data`, and print the content JSON (or `--text` / `--html` of it).
    /// Mistakes are printed as `FILE:line:column: message`.
    #[arg(long, value_name = "FILE")]
    template: Option<String>,
    /// The JSON data the template is rendered with (`-`: stdin); `{}` when not given.
    #[arg(long, value_name = "FILE", requires = "template")]
    data: Option<String>,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let (text, html) = (args.text.as_deref(), args.html.as_deref());
    let content = match &args.template {
        Some(path) => {
            if let Some(file) = text.or(html).filter(|file| !file.is_empty()) {
                return Err(Error::new(format!(
                    "{file}: with `--template`, `--text` and `--html` take no FILE"
                )));
            }
            rendered(path, args.data.as_deref())?
        }
        None => match text.or(html) {
            Some("") | None => {
                return Err(Error::new(
                    "`--text` and `--html` need a FILE (or `--template`)",
                ));
            }
            Some(path) => input::read_content(path)?.1,
        },
    };
    if text.is_some() {
        output::line(plain_text(&content))?;
    } else if html.is_some() {
        output::bytes(html_page(&content, &HtmlOptions::default()).as_bytes())?;
    } else {
        let json = serde_json::to_string_pretty(&content)
            .map_err(|e| Error::caused("cannot write the content as JSON", e))?;
        output::line(json)?;
    }
    Ok(Exit::Done)
}

/// The content the template in `path` makes with the data in `data` (or `{}`); each mistake is
/// printed on stderr as `file:line:column: message`.
fn rendered(path: &str, data: Option<&str>) -> Result<MessageContent, Error> {
    if path == "-" && data == Some("-") {
        return Err(Error::new(
            "`--template -` and `--data -` cannot both read stdin; give one of them a FILE",
        ));
    }
    let name = input::name(path);
    let template = Template::parse_named(name, &input::read_text(path)?).map_err(|errors| {
        output::error_line(&errors);
        Error::new(format!("{name}: the template has mistakes"))
    })?;
    let data = match data {
        Some(file) => serde_json::from_str(&input::read_text(file)?)
            .map_err(|e| Error::caused(format!("{}: not JSON", input::name(file)), e))?,
        None => serde_json::json!({}),
    };
    template.render_json(&data).map_err(|error| {
        output::error_line(&error);
        match error {
            RenderError::Invalid { .. } => Error::new(format!(
                "{name}: the content it makes breaks the format's rules"
            )),
            _ => Error::new(format!("{name}: cannot be rendered with this data")),
        }
    })
}
