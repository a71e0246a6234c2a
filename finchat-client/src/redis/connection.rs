//! [`RedisConnection`]: one multiplexed connection shared by the stores, a key prefix, and a deadline
//! on every call.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, FromRedisValue, RedisResult, Script, ScriptInvocation};

use crate::Secret;

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "finchat:";

/// The default deadline of each call.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(2);

/// KEYS: a key. ARGV: the value it must still hold to be deleted.
static DELETE_IF: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
",
    )
});

/// A connection to one Redis server (standalone, not Cluster), shared by the stores built on it, with
/// the prefix of every key they use and the deadline of every call.
///
/// It connects on first use, not when built, and connects again after the connection broke or a
/// call missed its deadline. Each call (connecting included) runs under the deadline: a server that
/// is down or slow is a [`RedisError`], never a panic or a hang. Clones share the connection.
///
/// The URL's password is never shown: not by `Debug`, not in errors.
///
/// ```no_run
/// # fn demo() -> Result<(), finchat_client::redis::RedisError> {
/// use std::time::Duration;
/// use finchat_client::redis::RedisConnection;
///
/// let redis = RedisConnection::open("redis://:password@10.0.0.5:6379/0")?
///     .prefix("expenses-bot:")
///     .deadline(Duration::from_secs(1));
/// # let _ = redis;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RedisConnection {
    client: redis::Client,
    shown: Arc<str>,
    prefix: Arc<str>,
    deadline: Duration,
    connection: Arc<tokio::sync::Mutex<Option<MultiplexedConnection>>>,
}

impl RedisConnection {
    /// A connection to the server at `url` (`redis://[user:password@]host[:port][/db]`), with the
    /// prefix `finchat:` and a 2 s deadline. Nothing is sent before the first call.
    ///
    /// # Errors
    ///
    /// [`RedisError::Config`] when `url` is not a Redis URL; the message does not quote it.
    pub fn open(url: impl Into<Secret>) -> Result<Self, RedisError> {
        let url = url.into();
        let client = redis::Client::open(url.expose()).map_err(|_| {
            RedisError::Config(format!(
                "`{}` is not a Redis URL (redis://[user:password@]host[:port][/db])",
                redacted(url.expose())
            ))
        })?;
        Ok(Self {
            client,
            shown: redacted(url.expose()).into(),
            prefix: DEFAULT_PREFIX.into(),
            deadline: DEFAULT_DEADLINE,
            connection: Arc::default(),
        })
    }

    /// The prefix of every key (default `finchat:`), so that several apps share one Redis: give
    /// each its own.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into().into();
        self
    }

    /// How long each call may take, connecting included (default 2 s).
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The key prefix.
    pub fn key_prefix(&self) -> &str {
        &self.prefix
    }

    /// The deadline of each call.
    pub fn call_deadline(&self) -> Duration {
        self.deadline
    }

    /// `suffix` under the prefix.
    pub(crate) fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// Runs `call` on the connection (connecting first if need be) under the deadline. A broken
    /// connection or a missed deadline drops the connection, so the next call connects again.
    pub(crate) async fn run<T, F, Fut>(&self, name: &'static str, call: F) -> Result<T, RedisError>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        let attempt = async {
            let connection = self.connection().await?;
            call(connection).await
        };
        match tokio::time::timeout(self.deadline, attempt).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                if error.is_io_error()
                    || error.is_connection_dropped()
                    || error.is_connection_refusal()
                    || error.is_unrecoverable_error()
                    || error.is_timeout()
                {
                    self.forget().await;
                }
                if error.is_timeout() {
                    return Err(RedisError::TimedOut {
                        call: name,
                        after: self.deadline,
                    });
                }
                Err(RedisError::Unavailable {
                    call: name,
                    reason: error.to_string(),
                })
            }
            Err(_late) => {
                self.forget().await;
                Err(RedisError::TimedOut {
                    call: name,
                    after: self.deadline,
                })
            }
        }
    }

    /// Runs the command `cmd` under the deadline ([`RedisConnection::run`]).
    pub(crate) async fn query<T: FromRedisValue>(
        &self,
        name: &'static str,
        cmd: &redis::Cmd,
    ) -> Result<T, RedisError> {
        let cmd = cmd.clone();
        self.run(name, |mut c| async move { cmd.query_async(&mut c).await })
            .await
    }

    /// Runs the script `invocation` under the deadline ([`RedisConnection::run`]).
    pub(crate) async fn invoke<T: FromRedisValue>(
        &self,
        name: &'static str,
        invocation: ScriptInvocation<'static>,
    ) -> Result<T, RedisError> {
        self.run(name, |mut c| async move {
            invocation.invoke_async(&mut c).await
        })
        .await
    }

    /// Takes the lease `key` for `holder` (`SET key holder NX PX ttl`): whether it was free.
    pub(crate) async fn take_lease(
        &self,
        name: &'static str,
        key: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<bool, RedisError> {
        let taken: Option<String> = self
            .query(
                name,
                redis::cmd("SET")
                    .arg(key)
                    .arg(holder)
                    .arg("NX")
                    .arg("PX")
                    .arg(expiry_ms(ttl)),
            )
            .await?;
        Ok(taken.is_some())
    }

    /// Gives back the lease `key` if `holder` still holds it (a compare-and-delete script), so
    /// that one whose lease lapsed never removes the next holder's.
    pub(crate) async fn give_back_lease(
        &self,
        name: &'static str,
        key: &str,
        holder: &str,
    ) -> Result<(), RedisError> {
        let mut invocation = DELETE_IF.prepare_invoke();
        invocation.key(key).arg(holder);
        self.invoke::<i64>(name, invocation).await.map(drop)
    }

    async fn connection(&self) -> RedisResult<MultiplexedConnection> {
        let mut kept = self.connection.lock().await;
        if let Some(connection) = &*kept {
            return Ok(connection.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.deadline))
            .set_response_timeout(Some(self.deadline));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        *kept = Some(connection.clone());
        Ok(connection)
    }

    async fn forget(&self) {
        // Not waited for while another call connects: that one replaces it anyway.
        if let Ok(mut kept) = self.connection.try_lock() {
            *kept = None;
        }
    }
}

impl fmt::Debug for RedisConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisConnection")
            .field("url", &self.shown)
            .field("prefix", &self.prefix)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// `url` with its password (if any) replaced by `redacted`.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                parsed.set_password(Some("redacted")).ok();
            }
            parsed.to_string()
        }
        Err(_) => "[a URL that cannot be read, not shown]".to_owned(),
    }
}

/// Why a call to Redis failed. Never holds the URL's password.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RedisError {
    /// The configuration is wrong (a URL that is not one).
    #[error("Redis configuration: {0}")]
    Config(String),
    /// Redis could not be reached, or refused the call.
    #[error("Redis unavailable for {call}: {reason}")]
    Unavailable {
        /// The call, e.g. `cards.replace`.
        call: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// Redis did not answer within the deadline; the call may or may not have taken effect.
    #[error("Redis did not answer {call} within {after:?}")]
    TimedOut {
        /// The call.
        call: &'static str,
        /// The deadline.
        after: Duration,
    },
}

/// A connection to a test's Redis server, under the test's own key prefix.
#[cfg(test)]
pub(crate) fn to_test_server(server: &finchat_test_support::redis::RedisServer) -> RedisConnection {
    RedisConnection::open(server.url())
        .expect("a URL")
        .prefix(server.prefix())
}

/// A name no other holder of a lease has: 128 random bits in hex.
pub(crate) fn holder_name() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// `duration` as a key's expiry in whole milliseconds: at least 1 (Redis refuses a zero expiry),
/// `u64::MAX` at most.
pub(crate) fn expiry_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl From<RedisError> for std::io::Error {
    fn from(error: RedisError) -> Self {
        let kind = match error {
            RedisError::TimedOut { .. } => std::io::ErrorKind::TimedOut,
            RedisError::Config(_) => std::io::ErrorKind::InvalidInput,
            RedisError::Unavailable { .. } => std::io::ErrorKind::Other,
        };
        Self::new(kind, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let redis = RedisConnection::open("redis://:hunter2-secret@127.0.0.1:6379/0")
            .expect("a URL")
            .prefix("app:");
        let shown = format!("{redis:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains(":redacted@"), "{shown}");
        let bad = RedisConnection::open("redis://:hunter2-secret@[::1").expect_err("not a URL");
        assert!(!bad.to_string().contains("hunter2"), "{bad}");
        assert!(!format!("{bad:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn a_redis_that_is_not_there_is_an_error_within_the_deadline() {
        // A port nobody listens on: refused at once, or timed out at the deadline.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let redis = RedisConnection::open(format!("redis://:hunter2@127.0.0.1:{port}/"))
            .expect("a URL")
            .deadline(Duration::from_millis(300));
        let started = std::time::Instant::now();
        let error = redis
            .run("ping", |mut c| async move {
                redis::cmd("PING").query_async::<String>(&mut c).await
            })
            .await
            .expect_err("nobody there");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    async fn ping(redis: &RedisConnection) -> Result<String, RedisError> {
        redis
            .run("ping", |mut c| async move {
                redis::cmd("PING").query_async::<String>(&mut c).await
            })
            .await
    }

    #[tokio::test]
    async fn redis_connection_is_made_again_after_the_server_comes_back() {
        let Some(mut server) = finchat_test_support::redis::RedisServer::start_local() else {
            return;
        };
        let redis = RedisConnection::open(server.url())
            .expect("a URL")
            .deadline(Duration::from_millis(500));
        assert_eq!(ping(&redis).await.expect("up"), "PONG");
        server.kill();
        assert!(ping(&redis).await.is_err(), "down");
        server.restart();
        // The broken connection is dropped at its first failure at the latest; the next call
        // connects again.
        let mut answer = ping(&redis).await;
        if answer.is_err() {
            answer = ping(&redis).await;
        }
        assert_eq!(answer.expect("back"), "PONG");
    }

    #[tokio::test]
    async fn redis_that_hangs_is_timed_out_at_the_deadline_not_waited_for() {
        let Some(mut server) = finchat_test_support::redis::RedisServer::start_local() else {
            return;
        };
        let deadline = Duration::from_millis(300);
        let redis = RedisConnection::open(server.url())
            .expect("a URL")
            .deadline(deadline);
        assert_eq!(ping(&redis).await.expect("up"), "PONG");
        server.pause();
        for _ in 0..2 {
            let started = std::time::Instant::now();
            let error = ping(&redis).await.expect_err("no answer");
            let took = started.elapsed();
            assert!(
                took >= deadline && took < deadline + Duration::from_millis(400),
                "{took:?}"
            );
            assert!(matches!(error, RedisError::TimedOut { .. }), "{error:?}");
        }
        server.resume();
        assert_eq!(ping(&redis).await.expect("answers again"), "PONG");
    }
}
