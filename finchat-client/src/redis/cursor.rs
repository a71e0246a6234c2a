//! [`RedisCursor`]: the polling consumer's place, and a lease so that one instance polls at a time.

use std::io;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use redis::{Script, ScriptInvocation};

use super::RedisConnection;
use super::connection::expiry_ms;
use crate::polling::CursorStore;
use crate::token::StoreFuture;

/// A [`CursorStore`] in Redis, shared by the instances of an app that polls the forwarder API: one
/// polls at a time, and another takes over when it dies.
///
/// Under the connection's prefix `P` and the cursor's name `N` (default `cursor`):
///
/// - `P N` is the `since` cursor; `P N:passed` and `P N:passed-since` the events of the page in hand
///   already passed, so that a takeover (or a restart) does not handle them again;
/// - `P N:lease` names the consumer that polls, for the consumer's
///   [lease](crate::polling::PollingConsumer::lease) (default 60 s), taken or renewed by a Lua
///   script before each fetch and each event. The others poll nothing and ask again every quarter
///   of the lease; when the holder dies, its lease lapses and one of them takes over from the saved
///   cursor and passed events: at most the event the dead one was handling is handled again.
/// - `save` moves the cursor and forgets the passed events in one step (a Lua script). A consumer
///   whose lease lapsed and was taken by another (it stalled) cannot save any more: its `save` and
///   `save_passed` are refused, so it never moves the cursor back over the new holder's progress.
///   Keys do not expire.
///
/// Redis down or slower than the connection's deadline: the lease, load or save fails, and the
/// consumer polls nothing and tries again after its backoff (nothing lost, nothing skipped).
///
/// The events the consumer gives up on are only logged by default ([`CursorStore::default_dead_letter`]):
/// give it a durable [`DeadLetter`](crate::polling::DeadLetter) of your own.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use finchat_client::polling::PollingConsumer;
/// use finchat_client::redis::{RedisConnection, RedisCursor};
/// use finchat_client::{Client, Dispatcher};
///
/// let redis = RedisConnection::open("redis://127.0.0.1:6379/")?.prefix("expenses-bot:");
/// PollingConsumer::new(Client::from_env()?, Dispatcher::new(()), RedisCursor::new(redis))
///     .lease(Duration::from_secs(60))
///     .run_until(async { tokio::signal::ctrl_c().await.ok(); })
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisCursor {
    redis: RedisConnection,
    name: String,
    /// The owner that last took the lease through this store: its saves are refused once another
    /// owner holds the lease.
    holder: Arc<Mutex<Option<String>>>,
}

/// KEYS: cursor, passed, passed-since, lease. ARGV: the cursor, the owner ('' for none).
static SAVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local holder = redis.call('GET', KEYS[4])
if ARGV[2] ~= '' and holder and holder ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
",
    )
});

/// KEYS: the lease. ARGV: the owner, the lease in ms.
static LEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
",
    )
});

/// KEYS: passed, passed-since, lease. ARGV: the since tag, the event's key, the owner ('' for none).
static SAVE_PASSED: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local holder = redis.call('GET', KEYS[3])
if ARGV[3] ~= '' and holder and holder ~= ARGV[3] then return 0 end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[1])
end
redis.call('SADD', KEYS[1], ARGV[2])
return 1
",
    )
});

/// KEYS: passed, passed-since. ARGV: the since tag.
static LOAD_PASSED: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {} end
return redis.call('SMEMBERS', KEYS[1])
",
    )
});

impl RedisCursor {
    /// The cursor named `cursor` on `redis`.
    pub fn new(redis: RedisConnection) -> Self {
        Self {
            redis,
            name: "cursor".to_owned(),
            holder: Arc::default(),
        }
    }

    /// Another name, for another consumer of the same prefix (default `cursor`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    fn key(&self, part: &str) -> String {
        self.redis.key(&format!("{}{part}", self.name))
    }

    /// Runs the write `invocation` with the lease as its last key and this store's holder ('' for
    /// none) as its last argument: refused when another consumer holds the lease.
    async fn save_as_holder(
        &self,
        call: &'static str,
        mut invocation: ScriptInvocation<'static>,
    ) -> io::Result<()> {
        let holder = self
            .holder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .unwrap_or_default();
        invocation.key(self.key(":lease")).arg(holder);
        let saved: i64 = self.redis.invoke(call, invocation).await?;
        if saved == 1 {
            Ok(())
        } else {
            Err(io::Error::other(
                "another consumer holds the cursor's lease (this one's lapsed): not saving over its \
                 progress",
            ))
        }
    }
}

/// What the passed events are relative to: `-` for no cursor yet, `=` and the cursor otherwise.
fn since_tag(since: Option<&str>) -> String {
    since.map_or_else(|| "-".to_owned(), |since| format!("={since}"))
}

impl CursorStore for RedisCursor {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        Box::pin(async move {
            let key = self.key("");
            Ok(self
                .redis
                .query("cursor.load", redis::cmd("GET").arg(key))
                .await?)
        })
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        let since = since.to_owned();
        Box::pin(async move {
            if since.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "refusing to save an empty cursor",
                ));
            }
            let mut invocation = SAVE.prepare_invoke();
            invocation
                .key(self.key(""))
                .key(self.key(":passed"))
                .key(self.key(":passed-since"))
                .arg(since);
            self.save_as_holder("cursor.save", invocation).await
        })
    }

    fn load_passed(&self, since: Option<&str>) -> StoreFuture<'_, io::Result<Vec<String>>> {
        let tag = since_tag(since);
        Box::pin(async move {
            let mut invocation = LOAD_PASSED.prepare_invoke();
            invocation
                .key(self.key(":passed"))
                .key(self.key(":passed-since"))
                .arg(tag);
            Ok(self.redis.invoke("cursor.load_passed", invocation).await?)
        })
    }

    fn save_passed(&self, since: Option<&str>, key: &str) -> StoreFuture<'_, io::Result<()>> {
        let (tag, key) = (since_tag(since), key.to_owned());
        Box::pin(async move {
            let mut invocation = SAVE_PASSED.prepare_invoke();
            invocation
                .key(self.key(":passed"))
                .key(self.key(":passed-since"))
                .arg(tag)
                .arg(key);
            self.save_as_holder("cursor.save_passed", invocation).await
        })
    }

    fn lease(&self, owner: &str, ttl: Duration) -> StoreFuture<'_, io::Result<bool>> {
        let owner = owner.to_owned();
        Box::pin(async move {
            let ttl = expiry_ms(ttl);
            let mut invocation = LEASE.prepare_invoke();
            invocation.key(self.key(":lease")).arg(&owner).arg(ttl);
            let held: i64 = self.redis.invoke("cursor.lease", invocation).await?;
            if held == 1 {
                *self.holder.lock().unwrap_or_else(PoisonError::into_inner) = Some(owner);
            }
            Ok(held == 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use finchat_test_support::redis::RedisServer;

    use super::*;

    fn cursor(server: &RedisServer) -> RedisCursor {
        RedisCursor::new(crate::redis::connection::to_test_server(server))
    }

    #[tokio::test]
    async fn redis_cursor_keeps_the_cursor_and_the_passed_events() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let (one, other) = (cursor(&server), cursor(&server));
        assert_eq!(one.load().await.expect("load"), None);
        one.save_passed(None, "id $a").await.expect("passed");
        one.save_passed(None, "id $b").await.expect("passed");
        let mut passed = other.load_passed(None).await.expect("passed");
        passed.sort();
        assert_eq!(passed, ["id $a", "id $b"]);
        assert!(
            other
                .load_passed(Some("$x"))
                .await
                .expect("passed")
                .is_empty()
        );
        one.save("$b").await.expect("save");
        assert_eq!(other.load().await.expect("load").as_deref(), Some("$b"));
        assert!(other.load_passed(None).await.expect("passed").is_empty());
        other
            .save_passed(Some("$b"), "id $c")
            .await
            .expect("passed");
        assert_eq!(
            one.load_passed(Some("$b")).await.expect("passed"),
            ["id $c"]
        );
        let named = cursor(&server).name("other-consumer");
        assert_eq!(named.load().await.expect("load"), None);
    }

    #[tokio::test]
    async fn redis_cursor_lease_is_held_by_one_owner_until_it_lapses() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let store = cursor(&server);
        let ttl = Duration::from_millis(300);
        assert!(store.lease("a", ttl).await.expect("lease"));
        assert!(!store.lease("b", ttl).await.expect("lease"));
        assert!(store.lease("a", ttl).await.expect("renewed"));
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(store.lease("b", ttl).await.expect("lapsed: b takes it"));
        assert!(!store.lease("a", ttl).await.expect("lease"));
    }

    #[tokio::test]
    async fn redis_cursor_of_a_consumer_whose_lease_was_taken_saves_nothing() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let (stalled, taker) = (cursor(&server), cursor(&server));
        let ttl = Duration::from_millis(200);
        assert!(stalled.lease("a", ttl).await.expect("lease"));
        stalled.save("$1").await.expect("the holder saves");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            taker
                .lease("b", Duration::from_secs(5))
                .await
                .expect("lease")
        );
        taker.save("$5").await.expect("the new holder saves");
        let refused = stalled
            .save("$2")
            .await
            .expect_err("refused: b holds the lease");
        assert!(
            refused.to_string().contains("another consumer holds"),
            "{refused}"
        );
        let refused = stalled
            .save_passed(Some("$5"), "id $6")
            .await
            .expect_err("refused: b holds the lease");
        assert!(
            refused.to_string().contains("another consumer holds"),
            "{refused}"
        );
        assert_eq!(taker.load().await.expect("load").as_deref(), Some("$5"));
        assert!(
            taker
                .load_passed(Some("$5"))
                .await
                .expect("passed")
                .is_empty()
        );
    }

    #[tokio::test]
    async fn redis_cursor_down_is_an_error_not_a_hang() {
        let Some(mut server) = RedisServer::start_local() else {
            return;
        };
        let store = RedisCursor::new(
            crate::redis::connection::to_test_server(&server).deadline(Duration::from_millis(300)),
        );
        server.kill();
        assert!(store.lease("a", Duration::from_secs(1)).await.is_err());
        assert!(store.load().await.is_err());
        assert!(store.save("$x").await.is_err());
    }
}
