//! [`RedisCardStore`]: the card registry in Redis, for many instances.

use std::sync::LazyLock;

use finchat_cui::EventId;
use redis::{Script, ScriptInvocation};

use super::{RedisConnection, RedisError};
use crate::cards::{CardFilter, CardId, CardRecord, CardStore, StoreError, StoreResult};
use crate::token::StoreFuture;

/// A [`CardStore`] in Redis, shared by every instance of the app.
///
/// Under the connection's prefix `P` it keeps:
///
/// - `P card:{id}`: a hash of the record's JSON (`json`), its revision (`rev`), and the index keys
///   it is in (`sets`, `origins`);
/// - `P card-origin:{origin_event}`: the id of the card with that copy;
/// - `P card-kind:{kind}` and `P card-label:["key","value"]`: sets of ids, for [`CardStore::find`];
/// - `P card-wakes`: a sorted set of ids by [`CardRecord::wakes_at`], for [`CardStore::due`];
/// - `P card-created`: a sorted set of ids by `created_ms`, for the order of `find`.
///
/// `insert`, `replace` (compare-and-set on the revision) and `remove` are Lua scripts: a record and
/// its indexes change in one atomic step, whatever other instances do at the same time. Reads
/// (`get`, `by_origin`, `find`, `due`) read the indexes, then the records: a card changed between
/// the two is read as it is now (and `find` checks it still matches). Keys do not expire: a card
/// stays until [`CardStore::remove`].
///
/// Every call runs under the connection's deadline: Redis down is [`StoreError::Unavailable`], Redis
/// slow is [`StoreError::TimedOut`] (a write may then have taken effect or not; read it again).
///
/// ```no_run
/// # fn demo() -> Result<(), finchat_client::redis::RedisError> {
/// use finchat_client::redis::{RedisCardStore, RedisConnection};
///
/// let redis = RedisConnection::open("redis://127.0.0.1:6379/")?.prefix("expenses-bot:");
/// let cards = RedisCardStore::new(redis);
/// # let _ = cards;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisCardStore {
    redis: RedisConnection,
}

// Every script runs on the card's hash and the two orders: KEYS card, created, wakes; ARGV[1] the
// card's id. Those that write a card then take its JSON, revision, `created_ms`, `wakes_at` (''
// for none) and index sets (a JSON array), ARGV[2..=6] (`RedisCardStore::writing`).

/// ARGV[7]: the card's origin keys (a JSON array).
static INSERT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local origins = cjson.decode(ARGV[7])
for _, k in ipairs(origins) do
  if redis.call('EXISTS', k) == 1 then return 0 end
end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'rev', ARGV[3], 'sets', ARGV[6], 'origins', ARGV[7])
for _, k in ipairs(origins) do redis.call('SET', k, ARGV[1]) end
for _, k in ipairs(cjson.decode(ARGV[6])) do redis.call('SADD', k, ARGV[1]) end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1]) end
return 1
",
    )
});

/// ARGV[7]: the revision the kept card must have.
static REPLACE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local rev = redis.call('HGET', KEYS[1], 'rev')
if (not rev) or rev ~= ARGV[7] then return 0 end
for _, k in ipairs(cjson.decode(redis.call('HGET', KEYS[1], 'sets'))) do
  redis.call('SREM', k, ARGV[1])
end
for _, k in ipairs(cjson.decode(ARGV[6])) do redis.call('SADD', k, ARGV[1]) end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'rev', ARGV[3], 'sets', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
else
  redis.call('ZREM', KEYS[3], ARGV[1])
end
return 1
",
    )
});

/// Nothing more.
static REMOVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local kept = redis.call('HMGET', KEYS[1], 'sets', 'origins')
for _, k in ipairs(cjson.decode(kept[1])) do redis.call('SREM', k, ARGV[1]) end
for _, k in ipairs(cjson.decode(kept[2])) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
",
    )
});

impl RedisCardStore {
    /// Cards kept on `redis`, under its prefix.
    pub fn new(redis: RedisConnection) -> Self {
        Self { redis }
    }

    fn card_key(&self, id: &CardId) -> String {
        self.redis.key(&format!("card:{id}"))
    }

    fn origin_key(&self, origin: &EventId) -> String {
        self.redis.key(&format!("card-origin:{origin}"))
    }

    fn kind_key(&self, kind: &str) -> String {
        self.redis.key(&format!("card-kind:{kind}"))
    }

    fn label_key(&self, key: &str, value: &str) -> String {
        // JSON, so that no key or value can make two labels share a key.
        let pair = serde_json::json!([key, value]);
        self.redis.key(&format!("card-label:{pair}"))
    }

    fn created_key(&self) -> String {
        self.redis.key("card-created")
    }

    fn wakes_key(&self) -> String {
        self.redis.key("card-wakes")
    }

    /// The kind and label sets `card` belongs to, as a JSON array.
    fn sets_of(&self, card: &CardRecord) -> StoreResult<String> {
        let mut sets = vec![self.kind_key(&card.kind)];
        sets.extend(card.labels.iter().map(|(k, v)| self.label_key(k, v)));
        to_json(&card.id, &sets)
    }

    /// `script` on the card `id`: its keys and ARGV[1].
    fn invocation(&self, script: &'static Script, id: &CardId) -> ScriptInvocation<'static> {
        let mut invocation = script.prepare_invoke();
        invocation
            .key(self.card_key(id))
            .key(self.created_key())
            .key(self.wakes_key())
            .arg(id.as_str());
        invocation
    }

    /// `script` writing `card`: its keys and ARGV[1..=6].
    fn writing(
        &self,
        script: &'static Script,
        card: &CardRecord,
    ) -> StoreResult<ScriptInvocation<'static>> {
        let mut invocation = self.invocation(script, &card.id);
        invocation
            .arg(to_json(&card.id, card)?)
            .arg(card.revision)
            .arg(card.created_ms)
            .arg(card.wakes_at().map(|at| at.to_string()).unwrap_or_default())
            .arg(self.sets_of(card)?);
        Ok(invocation)
    }

    /// The records of `ids`, in that order, skipping those gone since.
    async fn records(&self, call: &'static str, ids: &[String]) -> StoreResult<Vec<CardRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for id in ids {
            pipe.hget(self.card_key(&CardId::new(id.clone())), "json");
        }
        let found: Vec<Option<String>> = self
            .redis
            .run(call, |mut c| async move { pipe.query_async(&mut c).await })
            .await
            .map_err(store_error)?;
        ids.iter()
            .zip(found)
            .filter_map(|(id, json)| json.map(|json| StoreError::decode(id, json.as_bytes())))
            .collect()
    }
}

fn to_json(id: &CardId, value: &impl serde::Serialize) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: format!("cannot be written as JSON: {e}"),
    })
}

/// A Redis error as the card store's.
fn store_error(error: RedisError) -> StoreError {
    match error {
        RedisError::TimedOut { call, after } => StoreError::TimedOut { call, after },
        other => StoreError::unavailable(other),
    }
}

impl CardStore for RedisCardStore {
    fn insert<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let origins: Vec<String> = card
                .copies
                .iter()
                .map(|c| self.origin_key(&c.origin_event))
                .collect();
            let mut invocation = self.writing(&INSERT, card)?;
            invocation.arg(to_json(&card.id, &origins)?);
            let inserted: i64 = self
                .redis
                .invoke("cards.insert", invocation)
                .await
                .map_err(store_error)?;
            if inserted == 1 {
                Ok(())
            } else {
                Err(StoreError::Exists(card.id.clone()))
            }
        })
    }

    fn get<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        Box::pin(async move {
            let key = self.card_key(id);
            let json: Option<String> = self
                .redis
                .query("cards.get", redis::cmd("HGET").arg(key).arg("json"))
                .await
                .map_err(store_error)?;
            json.map(|json| StoreError::decode(id.as_str(), json.as_bytes()))
                .transpose()
        })
    }

    fn revision<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<u64>>> {
        Box::pin(async move {
            self.redis
                .query(
                    "cards.revision",
                    redis::cmd("HGET").arg(self.card_key(id)).arg("rev"),
                )
                .await
                .map_err(store_error)
        })
    }

    fn by_origin<'a>(
        &'a self,
        origin: &'a EventId,
    ) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        Box::pin(async move {
            let key = self.origin_key(origin);
            let id: Option<String> = self
                .redis
                .query("cards.by_origin", redis::cmd("GET").arg(key))
                .await
                .map_err(store_error)?;
            match id {
                Some(id) => self.get(&CardId::new(id)).await,
                None => Ok(None),
            }
        })
    }

    fn replace<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<bool>> {
        Box::pin(async move {
            let Some(kept_revision) = card.revision.checked_sub(1) else {
                return Ok(false);
            };
            let mut invocation = self.writing(&REPLACE, card)?;
            invocation.arg(kept_revision);
            let written: i64 = self
                .redis
                .invoke("cards.replace", invocation)
                .await
                .map_err(store_error)?;
            Ok(written == 1)
        })
    }

    fn find<'a>(&'a self, filter: &'a CardFilter) -> StoreFuture<'a, StoreResult<Vec<CardRecord>>> {
        Box::pin(async move {
            let mut sets: Vec<String> = filter.kind.iter().map(|k| self.kind_key(k)).collect();
            sets.extend(filter.labels.iter().map(|(k, v)| self.label_key(k, v)));
            let ids: Vec<String> = if sets.is_empty() {
                let created = self.created_key();
                self.redis
                    .query(
                        "cards.find",
                        redis::cmd("ZRANGE").arg(created).arg(0).arg(-1),
                    )
                    .await
                    .map_err(store_error)?
            } else {
                self.redis
                    .query("cards.find", redis::cmd("SINTER").arg(sets))
                    .await
                    .map_err(store_error)?
            };
            let mut found: Vec<CardRecord> = self
                .records("cards.find", &ids)
                .await?
                .into_iter()
                .filter(|card| filter.matches(card))
                .collect();
            found.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
            Ok(found)
        })
    }

    fn due(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, StoreResult<Vec<CardRecord>>> {
        Box::pin(async move {
            if limit == 0 {
                return Ok(Vec::new());
            }
            let wakes = self.wakes_key();
            let ids: Vec<String> = self
                .redis
                .query(
                    "cards.due",
                    redis::cmd("ZRANGEBYSCORE")
                        .arg(wakes)
                        .arg("-inf")
                        .arg(now_ms)
                        .arg("LIMIT")
                        .arg(0)
                        .arg(limit),
                )
                .await
                .map_err(store_error)?;
            self.records("cards.due", &ids).await
        })
    }

    fn remove<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let _removed: i64 = self
                .redis
                .invoke("cards.remove", self.invocation(&REMOVE, id))
                .await
                .map_err(store_error)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use finchat_test_support::redis::RedisServer;

    use super::*;
    use crate::cards::contract;

    fn store(server: &RedisServer) -> RedisCardStore {
        let redis = crate::redis::connection::to_test_server(server);
        RedisCardStore::new(redis)
    }

    #[tokio::test]
    async fn redis_card_store_keeps_the_card_store_contract() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        contract::check(&store(&server)).await;
    }

    #[tokio::test]
    async fn redis_card_store_of_a_killed_server_answers_unavailable_within_the_deadline() {
        let Some(mut server) = RedisServer::start_local() else {
            return;
        };
        let deadline = Duration::from_millis(500);
        let redis = crate::redis::connection::to_test_server(&server).deadline(deadline);
        let store = RedisCardStore::new(redis);
        let card = contract::card("down", "Approval", &["down1"], 1);
        store.insert(&card).await.expect("insert while up");
        server.kill();
        for _ in 0..3 {
            let started = Instant::now();
            let error = store.get(&card.id).await.expect_err("Redis is down");
            assert!(
                started.elapsed() < deadline + Duration::from_millis(500),
                "{:?}",
                started.elapsed()
            );
            assert!(
                matches!(
                    error,
                    StoreError::Unavailable(_) | StoreError::TimedOut { .. }
                ),
                "{error:?}"
            );
            let mut next = card.clone();
            next.revision = 2;
            let error = store.replace(&next).await.expect_err("Redis is down");
            assert!(
                matches!(
                    error,
                    StoreError::Unavailable(_) | StoreError::TimedOut { .. }
                ),
                "{error:?}"
            );
        }
    }

    #[tokio::test]
    async fn redis_card_store_of_a_hung_server_times_out_at_the_deadline() {
        let Some(mut server) = RedisServer::start_local() else {
            return;
        };
        let deadline = Duration::from_millis(300);
        let store = RedisCardStore::new(
            crate::redis::connection::to_test_server(&server).deadline(deadline),
        );
        let card = contract::card("hung", "Approval", &["hung1"], 1);
        store.insert(&card).await.expect("insert while up");
        server.pause();
        let started = Instant::now();
        let error = store
            .find(&CardFilter::kind("Approval"))
            .await
            .expect_err("no answer");
        assert!(
            started.elapsed() < deadline + Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
        assert!(
            matches!(
                error,
                StoreError::TimedOut {
                    call: "cards.find",
                    ..
                }
            ),
            "{error:?}"
        );
        server.resume();
        assert_eq!(
            store.get(&card.id).await.expect("back").map(|c| c.id),
            Some(card.id)
        );
    }

    #[tokio::test]
    async fn redis_card_store_replace_moves_the_card_out_of_the_sets_it_left() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let store = store(&server);
        let mut card = contract::card("moved", "Approval", &["m1"], 1);
        card.labels.insert("claim".into(), "42".into());
        store.insert(&card).await.expect("insert");
        let mut next = card.clone();
        next.revision = 2;
        next.kind = "Poll".into();
        next.labels.insert("claim".into(), "43".into());
        assert!(store.replace(&next).await.expect("replace"));
        let found = |filter: CardFilter| {
            let store = &store;
            async move {
                let found = store.find(&filter).await.expect("find");
                found
                    .into_iter()
                    .map(|c| c.id.to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            found(CardFilter::kind("Poll").label("claim", "43")).await,
            ["moved"]
        );
        assert!(
            found(CardFilter::all().label("claim", "42"))
                .await
                .is_empty()
        );
        assert!(found(CardFilter::kind("Approval")).await.is_empty());
        // `find` checks each card it reads, which would hide an id left in a set: look at the sets.
        for left in [store.label_key("claim", "42"), store.kind_key("Approval")] {
            let members: Vec<String> = store
                .redis
                .query("test", redis::cmd("SMEMBERS").arg(&left))
                .await
                .expect("read");
            assert!(members.is_empty(), "{left}: {members:?}");
        }
    }

    #[tokio::test]
    async fn redis_card_stores_of_two_apps_on_one_server_do_not_see_each_other() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let one = store(&server);
        let other = RedisCardStore::new(
            RedisConnection::open(server.url())
                .expect("a URL")
                .prefix(format!("{}other:", server.prefix())),
        );
        let card = contract::card("shared-id", "Approval", &["o1"], 1);
        one.insert(&card).await.expect("insert");
        assert_eq!(other.get(&card.id).await.expect("get"), None);
        other.insert(&card).await.expect("the other app's own card");
        assert!(
            other
                .find(&CardFilter::kind("Approval"))
                .await
                .expect("find")
                .len()
                == 1
        );
    }
}
