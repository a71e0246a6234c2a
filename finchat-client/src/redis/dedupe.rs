//! [`RedisDedupe`]: which events are in flight or handled, shared by every instance.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::Duration;

use redis::Script;

use super::RedisConnection;
use super::connection::{expiry_ms, holder_name};
use crate::receiver::{DedupeStore, Seen};
use crate::token::StoreFuture;

/// The default in-flight lease: the receiver's default handler deadline (25 s) and a margin.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(40);

/// How long a handled event is remembered by default: FinChat redelivers for an hour.
pub const DEFAULT_DONE_TTL: Duration = Duration::from_secs(2 * 3600);

/// A [`DedupeStore`] in Redis, so that the instances behind a load balancer handle each event once
/// between them.
///
/// - [`begin`](DedupeStore::begin) is `SET {prefix}dedupe:{event_id} inflight:{owner} NX PX lease`:
///   only one delivery, on one instance, gets [`Seen::New`]. While the mark is there the others get
///   [`Seen::InFlight`] (the receiver answers 503, so FinChat delivers it again), or [`Seen::Done`]
///   once it is handled.
/// - The in-flight mark is a lease (default [`DEFAULT_LEASE`], 40 s: the receiver's 25 s handler
///   deadline and a margin; give more if you raise the deadline). An instance that crashes while
///   handling an event leaves its mark until the lease lapses; FinChat's next redelivery after that
///   is handled. A handler that runs past the lease (it ignores its abort) may run while a
///   redelivery is handled elsewhere: keep the lease above the handler deadline.
/// - `finish(handled = true)` writes the done mark for [`DEFAULT_DONE_TTL`] (2 h, past FinChat's
///   hour of redeliveries); `finish(handled = false)` deletes the in-flight mark only if it is still
///   this delivery's (a Lua compare-and-delete), so a redelivery is handled at once.
/// - Redis down or slower than the connection's deadline: `begin` answers [`Seen::Unavailable`],
///   never `New` (that could handle the event twice) nor `Done` (that would lose it); the receiver
///   answers 503 and FinChat delivers it again. A `finish` that fails is logged at WARN: after a
///   success, the in-flight mark lapses with its lease and a later redelivery is handled again;
///   after a failure, the redelivery waits for the lease.
///
/// Memory: one key per event for its TTL, with no bound but Redis's own (`maxmemory`); use a
/// `volatile-*` eviction policy, or none, so that marks are not evicted before their TTL.
///
/// ```no_run
/// # fn demo() -> Result<(), finchat_client::redis::RedisError> {
/// use std::sync::Arc;
/// use finchat_client::Dispatcher;
/// use finchat_client::receiver::Receiver;
/// use finchat_client::redis::{RedisConnection, RedisDedupe};
///
/// let redis = RedisConnection::open("redis://127.0.0.1:6379/")?.prefix("expenses-bot:");
/// let receiver = Receiver::new(Dispatcher::new(()), "0123456789abcdef0123456789abcdef")
///     .expect("a long token")
///     .dedupe(Arc::new(RedisDedupe::new(redis)));
/// # let _ = receiver;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct RedisDedupe {
    redis: RedisConnection,
    lease: Duration,
    done_ttl: Duration,
    /// The owner token of each event this instance marked in flight.
    owners: Mutex<HashMap<String, String>>,
}

/// KEYS: the event's key. ARGV: the in-flight mark, the lease in ms.
static BEGIN: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'new' end
return redis.call('GET', KEYS[1])
",
    )
});

impl RedisDedupe {
    /// Event ids kept on `redis`, with the default lease and done TTL.
    pub fn new(redis: RedisConnection) -> Self {
        Self {
            redis,
            lease: DEFAULT_LEASE,
            done_ttl: DEFAULT_DONE_TTL,
            owners: Mutex::default(),
        }
    }

    /// How long an event stays in flight when its instance does not finish it (default 40 s): above
    /// the receiver's handler deadline.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long a handled event is remembered (default 2 h): at least FinChat's hour of redeliveries.
    #[must_use]
    pub fn done_ttl(mut self, ttl: Duration) -> Self {
        self.done_ttl = ttl;
        self
    }

    fn key(&self, event_id: &str) -> String {
        self.redis.key(&format!("dedupe:{event_id}"))
    }

    fn owners(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.owners.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn begin_now(&self, event_id: &str) -> Seen {
        let mark = format!("inflight:{}", holder_name());
        // A plain SET NX first (most events are new), the script only for an event already known.
        let key = self.key(event_id);
        let answer = match self
            .redis
            .take_lease("dedupe.begin", &key, &mark, self.lease)
            .await
        {
            Ok(true) => Ok(Some("new".to_owned())),
            Ok(false) => {
                let mut invocation = BEGIN.prepare_invoke();
                invocation.key(key).arg(&mark).arg(expiry_ms(self.lease));
                self.redis.invoke("dedupe.begin", invocation).await
            }
            Err(error) => Err(error),
        };
        match answer.as_ref().map(Option::as_deref) {
            Ok(Some("new")) => {
                self.owners().insert(event_id.to_owned(), mark);
                Seen::New
            }
            Ok(Some("done")) => Seen::Done,
            // In flight on this instance or another (or the mark lapsed a moment ago).
            Ok(_) => Seen::InFlight,
            Err(error) => {
                tracing::warn!(event_id, %error, "dedupe store unavailable");
                Seen::Unavailable
            }
        }
    }

    async fn finish_now(&self, event_id: &str, handled: bool) {
        let mark = self.owners().remove(event_id);
        let key = self.key(event_id);
        let done = if handled {
            let ttl = expiry_ms(self.done_ttl);
            self.redis
                .query::<()>(
                    "dedupe.finish",
                    redis::cmd("SET").arg(key).arg("done").arg("PX").arg(ttl),
                )
                .await
        } else if let Some(mark) = mark {
            self.redis
                .give_back_lease("dedupe.finish", &key, &mark)
                .await
        } else {
            Ok(())
        };
        if let Err(error) = done {
            tracing::warn!(
                event_id,
                handled,
                %error,
                "the dedupe store did not record the outcome; the in-flight mark lapses with its lease"
            );
        }
    }
}

impl DedupeStore for RedisDedupe {
    fn begin(&self, event_id: &str) -> StoreFuture<'_, Seen> {
        let event_id = event_id.to_owned();
        Box::pin(async move { self.begin_now(&event_id).await })
    }

    fn finish(&self, event_id: &str, handled: bool) -> StoreFuture<'_, ()> {
        let event_id = event_id.to_owned();
        Box::pin(async move { self.finish_now(&event_id, handled).await })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use finchat_test_support::redis::RedisServer;

    use super::*;

    fn instance(server: &RedisServer) -> RedisDedupe {
        RedisDedupe::new(crate::redis::connection::to_test_server(server))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn redis_dedupe_two_instances_never_both_handle_one_event() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let instances = [Arc::new(instance(&server)), Arc::new(instance(&server))];
        for round in 0..50 {
            let id = format!("$race-{round}");
            let mut begins = Vec::new();
            for i in 0..10 {
                let store = Arc::clone(&instances[i % 2]);
                let id = id.clone();
                begins.push(tokio::spawn(async move { store.begin(&id).await }));
            }
            let mut new = 0;
            for begin in begins {
                let seen = begin.await.expect("no panic");
                assert!(matches!(seen, Seen::New | Seen::InFlight), "{seen:?}");
                new += usize::from(seen == Seen::New);
            }
            assert_eq!(new, 1, "exactly one delivery of {id} is handled");
        }
    }

    #[tokio::test]
    async fn redis_dedupe_done_is_seen_by_the_other_instance() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let (one, two) = (instance(&server), instance(&server));
        assert_eq!(one.begin("$a").await, Seen::New);
        assert_eq!(two.begin("$a").await, Seen::InFlight);
        one.finish("$a", true).await;
        assert_eq!(two.begin("$a").await, Seen::Done);
        assert_eq!(one.begin("$a").await, Seen::Done);
        // A failed one is handled again at once, by whichever instance gets the redelivery.
        assert_eq!(one.begin("$b").await, Seen::New);
        two.finish("$b", false).await;
        assert_eq!(
            two.begin("$b").await,
            Seen::InFlight,
            "not two's mark to drop"
        );
        one.finish("$b", false).await;
        assert_eq!(two.begin("$b").await, Seen::New);
    }

    #[tokio::test]
    async fn redis_dedupe_lease_that_lapses_lets_a_redelivery_be_handled() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let crashed = instance(&server).lease(Duration::from_millis(200));
        let other = instance(&server);
        assert_eq!(crashed.begin("$c").await, Seen::New);
        drop(crashed);
        assert_eq!(other.begin("$c").await, Seen::InFlight);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(other.begin("$c").await, Seen::New, "the lease lapsed");
        other.finish("$c", true).await;
        assert_eq!(other.begin("$c").await, Seen::Done);
    }

    #[tokio::test]
    async fn redis_dedupe_done_expires_after_its_ttl() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let store = instance(&server).done_ttl(Duration::from_millis(200));
        assert_eq!(store.begin("$d").await, Seen::New);
        store.finish("$d", true).await;
        assert_eq!(store.begin("$d").await, Seen::Done);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(store.begin("$d").await, Seen::New);
    }

    #[tokio::test]
    async fn redis_dedupe_down_refuses_the_event_rather_than_handle_or_drop_it() {
        let Some(mut server) = RedisServer::start_local() else {
            return;
        };
        let deadline = Duration::from_millis(300);
        let store =
            RedisDedupe::new(crate::redis::connection::to_test_server(&server).deadline(deadline));
        assert_eq!(store.begin("$up").await, Seen::New);
        server.kill();
        let started = std::time::Instant::now();
        assert_eq!(store.begin("$down").await, Seen::Unavailable);
        assert_eq!(store.begin("$up").await, Seen::Unavailable);
        store.finish("$up", true).await;
        assert!(started.elapsed() < deadline * 3 + Duration::from_millis(500));
    }
}
