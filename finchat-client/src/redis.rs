//! Stores on Redis, for running many instances of a bot behind a load balancer (feature `redis`).
//!
//! All of them share one [`RedisConnection`]: a URL, the prefix of every key (default `finchat:`,
//! so several apps share one Redis), and the deadline of every call (default 2 s). Redis is a
//! standalone server (or a primary with replicas), not Redis Cluster: the Lua scripts touch keys
//! they are not given.
//!
//! | store | keeps | guarantee |
//! | --- | --- | --- |
//! | [`RedisCardStore`] | the card registry | `insert`, `replace` (compare-and-set on the revision) and `remove` change a record and its indexes in one atomic Lua script |
//! | [`RedisDedupe`] | the events in flight and handled (feature `receiver` too) | one instance handles each event: an in-flight lease (`SET NX PX`, 40 s), a done mark for 2 h |
//! | [`RedisTokenStore`] | the app token | one instance fetches a token under a lease (10 s) while the others wait for it; a refused token is replaced once for all |
//! | [`RedisCursor`] | the polling cursor and the page's passed events | one consumer polls at a time, under a lease it renews; another takes over when it lapses |
//!
//! # Leases, TTLs, and what a crashed instance leaves
//!
//! Every lease is a key with an expiry, named with its holder, and given back (or renewed) by a
//! compare-and-set Lua script, so an instance never removes or extends another's. An instance that
//! crashes leaves:
//!
//! - an event it was handling in flight until its lease lapses ([`DEFAULT_LEASE`], 40 s, above the
//!   receiver's 25 s handler deadline); FinChat's next redelivery after that is handled;
//! - the token lease until it lapses ([`DEFAULT_TOKEN_LEASE`], 10 s); an instance that needs a token
//!   meanwhile waits for it (up to 10 s), then takes the lease;
//! - the cursor's lease until it lapses (the consumer's [lease](crate::polling::PollingConsumer::lease),
//!   60 s by default); another consumer then takes over from the saved cursor and passed events, so
//!   at most the event it was handling is handled again;
//! - its cards, which are the registry's and stay until removed.
//!
//! Handled event ids expire after [`DEFAULT_DONE_TTL`] (2 h, past FinChat's hour of redeliveries);
//! the token expires with itself; cards and the cursor do not expire. Configure Redis so that it
//! does not evict these keys early (`maxmemory-policy noeviction` or a `volatile-*` policy with room
//! to spare).
//!
//! # When Redis is down or slow
//!
//! Every call, connecting included, runs under the deadline: a Redis that is down, or slower than
//! the deadline, is an error value ([`RedisError`], and each store's own error), never a panic, never
//! a hang. The connection is made again on the next call. Then:
//!
//! - cards: [`StoreError::Unavailable`](crate::cards::StoreError::Unavailable) or
//!   [`StoreError::TimedOut`](crate::cards::StoreError::TimedOut) (a write that timed out may have
//!   taken effect: read the card again);
//! - dedupe: [`Seen::Unavailable`](crate::receiver::Seen::Unavailable), and the receiver answers 503
//!   so FinChat delivers the event again: never handled twice, never lost;
//! - token: a client with no fresh token in memory does not fetch one (that would invalidate the
//!   other instances' token): the API call fails with a `token store` error;
//! - cursor: the consumer polls nothing and tries again after its backoff.
//!
//! A slow Redis makes each call wait up to the deadline; keep it well below the receiver's handler
//! deadline and FinChat's 30 s.
//!
//! ```no_run
//! # fn demo() -> Result<(), finchat_client::redis::RedisError> {
//! use std::sync::Arc;
//! use finchat_client::redis::{
//!     RedisCardStore, RedisConnection, RedisCursor, RedisDedupe, RedisTokenStore,
//! };
//!
//! let redis = RedisConnection::open(std::env::var("REDIS_URL").unwrap_or_default())?
//!     .prefix("expenses-bot:");
//! let cards = Arc::new(RedisCardStore::new(redis.clone()));
//! let dedupe = Arc::new(RedisDedupe::new(redis.clone())); // Receiver::dedupe
//! let tokens = Arc::new(RedisTokenStore::new(redis.clone())); // ClientBuilder::token_store
//! let cursor = RedisCursor::new(redis); // PollingConsumer::new
//! # let _ = (cards, dedupe, tokens, cursor);
//! # Ok(())
//! # }
//! ```

mod cards;
mod connection;
mod cursor;
#[cfg(feature = "receiver")]
mod dedupe;
mod token;

pub use cards::RedisCardStore;
pub use connection::{DEFAULT_DEADLINE, DEFAULT_PREFIX, RedisConnection, RedisError};
pub use cursor::RedisCursor;
#[cfg(feature = "receiver")]
pub use dedupe::{DEFAULT_DONE_TTL, DEFAULT_LEASE, RedisDedupe};
pub use token::{DEFAULT_TOKEN_LEASE, RedisTokenStore};
