//! Times as the stores keep them: milliseconds since the Unix epoch, and durations in milliseconds,
//! saturating rather than wrapping.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    epoch_ms(SystemTime::now())
}

/// `at` in milliseconds since the Unix epoch (0 before it, `i64::MAX` far after it).
pub(crate) fn epoch_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).map_or(0, duration_ms)
}

/// `duration` in milliseconds, `i64::MAX` at most.
pub(crate) fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
