//! Stdout and stderr as Unix tools use them: a reader that went away is an error the caller can
//! recognise ([`Error::is_closed_stdout`]), never a panic, and stderr never fails a command.

use std::fmt::Display;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

use crate::exit::Error;

/// Writes `text` and a newline to stdout, flushed, so a reader sees each line as it comes.
pub fn line(text: impl Display) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(stdout_failed)
}

/// Writes `bytes` to stdout as they are, flushed.
pub fn bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(stdout_failed)
}

fn stdout_failed(error: io::Error) -> Error {
    Error::caused("cannot write to stdout", error)
}

/// Writes `text` and a newline to stderr. A stderr that cannot be written to has nowhere to say so.
pub fn error_line(text: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Writes `text` to stderr as it is (a progress line that rewrites itself).
pub fn error_text(text: impl Display) {
    let mut err = io::stderr().lock();
    let _ = write!(err, "{text}").and_then(|()| err.flush());
}

/// Tokio's stdout, remembering whether its reader went away: code that takes a writer may keep only
/// the message of the error, not the error.
pub struct AsyncStdout {
    inner: tokio::io::Stdout,
    closed: bool,
}

impl AsyncStdout {
    /// Stdout.
    pub fn new() -> Self {
        Self {
            inner: tokio::io::stdout(),
            closed: false,
        }
    }

    /// Whether a write failed because the reader went away.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    fn watch<T>(&mut self, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if let Poll::Ready(Err(e)) = &poll {
            self.closed |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        poll
    }
}

impl AsyncWrite for AsyncStdout {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(poll)
    }
}
