//! When a call is repeated after a failure, and how long the client waits before it does.

use std::time::Duration;

/// Which failures of a call may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Repeating it is harmless (GETs, the token, send-to-device with its transaction id): retried
    /// after transport errors, time-outs and 5xx answers.
    Safe,
    /// Repeating it could do it twice (sends): retried only when the request provably was not
    /// carried out: the connection was never made, or the server refused it with 429.
    IfNotSent,
}

impl Retry {
    /// Whether a call of this kind may be tried again after `error`.
    pub(crate) fn allows(self, error: &crate::Error) -> bool {
        match self {
            Retry::Safe => {
                error.is_transport()
                    || error.is_timeout()
                    || matches!(
                        error.class(),
                        crate::ErrorClass::Server | crate::ErrorClass::RateLimited
                    )
            }
            Retry::IfNotSent => {
                error.never_reached_server() || error.class() == crate::ErrorClass::RateLimited
            }
        }
    }
}

/// How many times a retryable call is tried, and the backoff between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (default 3; 1 turns retries off).
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each (default 200 ms).
    pub base_delay: Duration,
    /// The longest wait (default 5 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            attempts: 1,
            ..Self::default()
        }
    }

    /// The wait after failed try number `attempt` (1-based): doubling, capped, with up to a quarter
    /// of random jitter so that many clients do not retry in step.
    pub fn delay(&self, attempt: u32) -> Duration {
        let doubling = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = doubling.min(self.max_delay);
        let jitter = capped.mul_f64(jitter_fraction() * 0.25);
        capped.saturating_sub(jitter)
    }

    /// The backoff before try `attempt + 1`, when the failed try may be repeated and tries are left.
    pub(crate) fn backoff(&self, attempt: u32, may_repeat: bool) -> Option<Duration> {
        (may_repeat && attempt < self.attempts).then(|| self.delay(attempt))
    }

    /// Runs `once` until it succeeds, fails with an error `may_repeat` refuses, or the tries run
    /// out, waiting [`RetryPolicy::delay`] between tries. `name` names the call in the log. (The
    /// FuXin and GoBelieve clients; FinChat's own calls also honour `Retry-After`, in `Client`.)
    #[cfg(any(feature = "fuxin", feature = "gobelieve"))]
    pub(crate) async fn run<T, E, F>(
        &self,
        name: &str,
        once: impl FnMut() -> F,
        may_repeat: impl Fn(&E) -> bool,
    ) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: std::fmt::Display,
    {
        self.run_with_waits(name, once, |attempt, error| {
            self.backoff(attempt, may_repeat(error))
        })
        .await
    }

    /// Runs `once` until it succeeds or `wait(attempt, error)` says not to try again (`None`),
    /// sleeping the wait it gives between tries. `name` names the call in the log.
    pub(crate) async fn run_with_waits<T, E, F>(
        &self,
        name: &str,
        mut once: impl FnMut() -> F,
        wait: impl Fn(u32, &E) -> Option<Duration>,
    ) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: std::fmt::Display,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let error = match once().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            match wait(attempt, &error) {
                Some(wait) => {
                    tracing::debug!(call = %name, attempt, error = %error, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }
}

/// A number in [0, 1) that differs from call to call; good enough to spread retries.
fn jitter_fraction() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let d1 = policy.delay(1);
        let d3 = policy.delay(3);
        assert!(
            d1 <= Duration::from_millis(200) && d1 >= Duration::from_millis(150),
            "{d1:?}"
        );
        assert!(
            d3 <= Duration::from_millis(800) && d3 >= Duration::from_millis(600),
            "{d3:?}"
        );
        assert!(policy.delay(30) <= Duration::from_secs(5));
    }
}
