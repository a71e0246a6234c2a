//! `finchat validate`: checks content files and prints every problem, as `FILE: PATH: message` or
//! as one JSON object per line; with `--lint`, also what is legal but poor, as warnings.

use clap::ValueEnum;
use finchat_cui::{MessageContent, ProblemKind};
use serde::Serialize;

use crate::exit::{self, Error, Exit};
use crate::{input, output};

/// Arguments of `finchat validate`.
#[derive(clap::Args)]
pub struct Args {
    /// How each problem is printed.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also print warnings for what is legal but poor (an input nobody can tell the purpose of, a
    /// form without a button to send it, the default body, …). They do not change the exit status.
    #[arg(long)]
    lint: bool,
    /// With `--lint`: a warning counts as a problem (exit status 1).
    #[arg(long, requires = "lint")]
    deny_warnings: bool,
    /// Content or request JSON files; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// `FILE: PATH: message`.
    Text,
    /// `{"file", "path", "kind", "message"}`, one object per line.
    Json,
}

/// One problem or warning, with its path from the top of the file.
struct Found {
    path: String,
    kind: &'static str,
    message: String,
    /// How to fix it: warnings only.
    hint: Option<String>,
}

impl Found {
    fn print(&self, file: &str, format: Format) -> Result<(), Error> {
        match (format, &self.hint) {
            (Format::Text, None) => {
                output::line(format_args!("{file}: {}: {}", self.path, self.message))
            }
            (Format::Text, Some(hint)) => output::line(format_args!(
                "{file}: {}: warning: {} (hint: {hint})",
                self.path, self.message
            )),
            (Format::Json, _) => {
                let line = serde_json::to_string(&JsonLine {
                    file,
                    path: &self.path,
                    kind: self.kind,
                    message: &self.message,
                    level: self.hint.as_ref().map(|_| "warning"),
                    hint: self.hint.as_deref(),
                })
                .map_err(|e| Error::caused("cannot write a problem as JSON", e))?;
                output::line(line)
            }
        }
    }
}

/// A problem as `--format json` prints it, in this field order; a warning adds `level` and `hint`.
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    path: &'a str,
    kind: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let mut invalid = false;
    let mut unreadable = 0;
    for path in &args.files {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(error) => {
                exit::report(&error);
                unreadable += 1;
                continue;
            }
        };
        let problems = problems(input.content, input.in_request, args.lint);
        invalid |= problems
            .iter()
            .any(|found| found.hint.is_none() || args.deny_warnings);
        for found in &problems {
            match found.print(&input.name, args.format) {
                Ok(()) => {}
                // The reader has seen enough; the status says whether this file has a problem.
                Err(error) if error.is_closed_stdout() => {
                    return Ok(if invalid { Exit::Problems } else { Exit::Done });
                }
                Err(error) => return Err(error),
            }
        }
    }
    match (unreadable, invalid) {
        (0, true) => Ok(Exit::Problems),
        (0, false) => Ok(Exit::Done),
        (n, _) => Err(Error::new(format!(
            "{n} of {} files could not be checked",
            args.files.len()
        ))),
    }
}

/// Every problem of `content`, then its lints when `lint`; `in_request`: it was the `content` of a
/// request, where paths start.
fn problems(content: serde_json::Value, in_request: bool, lint: bool) -> Vec<Found> {
    let within = |path: String| match (in_request, path.as_str()) {
        (false, _) => path,
        (true, "(content)") => "content".to_owned(),
        (true, _) => format!("content.{path}"),
    };
    let content = match serde_json::from_value::<MessageContent>(content) {
        Ok(content) => content,
        // JSON that cannot even be read as content (an array, a number, …).
        Err(e) => {
            return vec![Found {
                path: within("(content)".to_owned()),
                kind: ProblemKind::WrongType.as_str(),
                message: e.to_string(),
                hint: None,
            }];
        }
    };
    let mut found: Vec<Found> = match content.validate() {
        Ok(()) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|problem| Found {
                path: within(problem.path.to_string()),
                kind: problem.kind.as_str(),
                message: problem.message.clone(),
                hint: None,
            })
            .collect(),
    };
    if lint {
        found.extend(content.lint().into_iter().map(|lint| Found {
            path: within(lint.path.to_string()),
            kind: lint.kind.as_str(),
            message: lint.message,
            hint: Some(lint.hint),
        }));
    }
    found
}
