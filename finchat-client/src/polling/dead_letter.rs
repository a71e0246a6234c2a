//! Where the consumer keeps the events it gives up on: one that cannot be read, or whose handler
//! failed (returned `Err`, panicked, or ran past its deadline) on every attempt.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::cursor::{FileError, blocking, directory_of, sync_directory};
use crate::token::StoreFuture;

/// An event the consumer gave up on, with why.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeadEvent {
    /// The event's `event_id`, when it has a usable one.
    pub event_id: Option<String>,
    /// The event as the forwarder API sent it.
    pub raw: Value,
    /// How many times its handler ran (0 for an event that cannot be read).
    pub attempts: u32,
    /// Why the last attempt failed, or why the event cannot be read.
    pub last_error: String,
    /// When the consumer gave up on it.
    pub at: SystemTime,
}

impl DeadEvent {
    pub(super) fn new(
        event_id: Option<String>,
        raw: Value,
        attempts: u32,
        last_error: String,
    ) -> Self {
        Self {
            event_id,
            raw,
            attempts,
            last_error,
            at: SystemTime::now(),
        }
    }

    /// The line a [`FileDeadLetter`] writes: `{"event_id", "attempts", "last_error", "time"
    /// (RFC 3339, UTC), "event" (the raw event)}`.
    pub fn to_json(&self) -> Value {
        json!({
            "event_id": self.event_id,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "time": rfc3339(self.at),
            "event": self.raw,
        })
    }
}

/// Where the events given up on go. The consumer moves past an event only once [`DeadLetter::keep`]
/// returned `Ok`; while it fails, the consumer stays before the event, so nothing is lost.
///
/// The same event may be kept twice: when the consumer stops after keeping it but before its cursor
/// moves past it, it is polled, tried and given up on again after the restart.
pub trait DeadLetter: Send + Sync {
    /// Keeps `event`, durably.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when it cannot be kept; the consumer then tries again later.
    fn keep<'a>(&'a self, event: &'a DeadEvent) -> StoreFuture<'a, io::Result<()>>;
}

/// Dead events as JSON lines appended to a file (see [`DeadEvent::to_json`]), each flushed to disk
/// before the consumer moves past it.
#[derive(Debug, Clone)]
pub struct FileDeadLetter {
    path: PathBuf,
}

impl FileDeadLetter {
    /// Dead events appended to `path`, created when needed.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl DeadLetter for FileDeadLetter {
    fn keep<'a>(&'a self, event: &'a DeadEvent) -> StoreFuture<'a, io::Result<()>> {
        let path = self.path.clone();
        let mut line = event.to_json().to_string();
        line.push('\n');
        Box::pin(blocking(move || {
            append(&path, line.as_bytes())
                .map_err(|e| FileError::io("cannot write the dead-letter file", &path, e))
        }))
    }
}

fn append(path: &Path, line: &[u8]) -> io::Result<()> {
    let existed = path.exists();
    let mut file = fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(line)?;
    file.sync_all()?;
    if !existed {
        sync_directory(directory_of(path))?;
    }
    Ok(())
}

/// Dead events logged at ERROR, whole, and kept nowhere: the default of a cursor that is not a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogDeadLetter;

impl DeadLetter for LogDeadLetter {
    fn keep<'a>(&'a self, event: &'a DeadEvent) -> StoreFuture<'a, io::Result<()>> {
        tracing::error!(
            event_id = event.event_id.as_deref().unwrap_or_default(),
            attempts = event.attempts,
            last_error = %event.last_error,
            event = %event.raw,
            "gave up on a polled event; it is kept nowhere else (set a dead letter to keep it)"
        );
        Box::pin(async { Ok(()) })
    }
}

/// `at` as RFC 3339 in UTC, to the millisecond: `2026-12-02T01:47:54.123Z`.
fn rfc3339(at: SystemTime) -> String {
    let since_epoch = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let seconds = since_epoch.as_secs();
    let (days, in_day) = (seconds / 86_400, seconds % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60,
        since_epoch.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        let at = |ms: u64| rfc3339(UNIX_EPOCH + Duration::from_millis(ms));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(1_796_176_074_123), "2026-12-02T01:47:54.123Z");
    }
}
