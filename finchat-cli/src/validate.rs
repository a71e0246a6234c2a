//! `finchat validate`: checks content files and prints every problem, as `FILE: PATH: message` or
//! as one JSON object per line.

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

/// One problem, with its path from the top of the file.
struct Found {
    path: String,
    kind: ProblemKind,
    message: String,
}

impl Found {
    fn print(&self, file: &str, format: Format) -> Result<(), Error> {
        match format {
            Format::Text => output::line(format_args!("{file}: {}: {}", self.path, self.message)),
            Format::Json => {
                let line = serde_json::to_string(&JsonLine {
                    file,
                    path: &self.path,
                    kind: self.kind.as_str(),
                    message: &self.message,
                })
                .map_err(|e| Error::caused("cannot write a problem as JSON", e))?;
                output::line(line)
            }
        }
    }
}

/// A problem as `--format json` prints it, in this field order.
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    path: &'a str,
    kind: &'a str,
    message: &'a str,
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
        let problems = problems(input.content, input.in_request);
        invalid |= !problems.is_empty();
        for found in &problems {
            match found.print(&input.name, args.format) {
                Ok(()) => {}
                // The reader has seen enough, and it has seen a problem.
                Err(error) if error.is_closed_stdout() => return Ok(Exit::Problems),
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

/// Every problem of `content`; `in_request`: it was the `content` of a request, where paths start.
fn problems(content: serde_json::Value, in_request: bool) -> Vec<Found> {
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
                kind: ProblemKind::WrongType,
                message: e.to_string(),
            }];
        }
    };
    match content.validate() {
        Ok(()) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|problem| Found {
                path: within(problem.path.to_string()),
                kind: problem.kind,
                message: problem.message.clone(),
            })
            .collect(),
    }
}
