//! How a command ends: the exit statuses every command follows, and errors printed with their causes.
//!
//! The table of statuses is [`EXIT_STATUS`], shown at the end of `finchat --help`.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

use crate::output;

/// The exit statuses, as `finchat --help` shows them.
pub const EXIT_STATUS: &str = "\
Exit status (every command):
  0  done
  1  done, with problems: `validate` found problems in the content (or warnings, with
     `--lint --deny-warnings`); `send` / `update`: some
     target did not certainly get the message (see its line on stdout); `token --verify`:
     the token is not valid
  2  usage error: an unknown command or flag, a missing or malformed argument
  3  could not do it: a file or stdin cannot be read or holds no valid content, the server
     cannot be reached or refused, a port cannot be opened

A reader that goes away (`finchat validate … | head -1`) ends the output quietly, with the
status so far.";

/// How a command that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Status 0.
    Done,
    /// Status 1: problems found, or a delivery that is partial or uncertain.
    Problems,
}

impl Exit {
    fn code(self) -> ExitCode {
        match self {
            Self::Done => ExitCode::SUCCESS,
            Self::Problems => ExitCode::from(1),
        }
    }
}

/// Status 3: the command could not do what was asked.
const COULD_NOT: u8 = 3;

/// Why a command could not do what was asked: what it was doing, and the cause, printed in full.
#[derive(Debug)]
pub struct Error {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    /// An error with no further cause.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// `message` (what was being done, naming the file or the server), caused by `source`.
    pub fn caused(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// Whether the cause is that stdout's reader went away (`| head -1`): not worth a word.
    pub fn is_closed_stdout(&self) -> bool {
        causes(self).any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e| (*e).source())
}

/// `error: cause: cause …`. A cause whose text the message before it already ends with (some
/// errors repeat their source in their own text) is not written twice.
pub fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = String::new();
    for cause in causes(error) {
        let cause = cause.to_string();
        if text.is_empty() {
            text = cause;
        } else if !text.ends_with(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Prints `finchat: error: cause …` on stderr.
pub fn report(error: &Error) {
    output::error_line(format_args!("finchat: {}", chain(error)));
}

/// The process's exit status for what the command returned; an error is printed first.
pub fn finish(result: Result<Exit, Error>) -> ExitCode {
    match result {
        Ok(exit) => exit.code(),
        Err(error) if error.is_closed_stdout() => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::from(COULD_NOT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Repeats(std::io::Error);

    impl fmt::Display for Repeats {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "request failed: {}", self.0)
        }
    }

    impl StdError for Repeats {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn the_chain_names_every_cause_once() {
        let refused =
            std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let error = Error::caused("cannot poll http://x", Repeats(refused));
        assert_eq!(
            chain(&error),
            "cannot poll http://x: request failed: connection refused"
        );
    }

    #[test]
    fn a_broken_pipe_anywhere_in_the_chain_is_a_closed_stdout() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(Error::caused("cannot write", Repeats(pipe)).is_closed_stdout());
        assert!(!Error::new("cannot write").is_closed_stdout());
    }
}
