//! Times as the stores keep them: milliseconds since the Unix epoch, and durations in milliseconds,
//! saturating rather than wrapping; and the clock they are read from, which follows tokio's paused
//! clock in tests.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! use std::time::Duration;
//!
//! let before = finchat_client::millis::now_ms();
//! tokio::time::advance(Duration::from_secs(60)).await; // a paused clock: at once
//! assert!(finchat_client::millis::now_ms() - before >= 60_000);
//! # }
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now: the system clock, moved by however far tokio's clock
/// is from the real one. In a program that is nothing; in a test whose clock is paused
/// (`#[tokio::test(start_paused = true)]`, `tokio::time::advance`) deadlines, leases and expiry
/// follow the paused clock, so that a test can let an hour pass at once.
pub fn now_ms() -> i64 {
    epoch_ms(now())
}

/// The time now, as [`now_ms`] reads it.
fn now() -> SystemTime {
    let wall = SystemTime::now();
    let real = std::time::Instant::now();
    let tokio = tokio::time::Instant::now().into_std();
    match tokio.checked_duration_since(real) {
        Some(ahead) => wall.checked_add(ahead).unwrap_or(wall),
        None => wall
            .checked_sub(real.duration_since(tokio))
            .unwrap_or(UNIX_EPOCH),
    }
}

/// `at` in milliseconds since the Unix epoch (0 before it, `i64::MAX` far after it).
pub(crate) fn epoch_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).map_or(0, duration_ms)
}

/// `duration` in milliseconds, `i64::MAX` at most.
pub(crate) fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::now_ms;

    #[tokio::test(start_paused = true)]
    async fn the_time_follows_a_paused_clock() {
        let before = now_ms();
        tokio::time::advance(Duration::from_secs(3600)).await;
        let after = now_ms();
        // An hour of paused time passes at once; the real time it took is a few milliseconds.
        assert!(
            (after - before - 3_600_000).abs() < 1_000,
            "{after} - {before}"
        );
    }

    #[test]
    fn outside_a_runtime_it_is_the_system_clock() {
        let system = super::epoch_ms(std::time::SystemTime::now());
        assert!((now_ms() - system).abs() < 1_000);
    }
}
