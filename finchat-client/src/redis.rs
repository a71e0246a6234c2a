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
//!
//! # When Redis is down or slow
//!
//! Every call, connecting included, runs under the deadline: a Redis that is down, or slower than
//! the deadline, is an error value ([`RedisError`], and each store's own error), never a panic, never
//! a hang. The connection is made again on the next call. What each store then does is in its own
//! docs.
//!
//! ```no_run
//! # fn demo() -> Result<(), finchat_client::redis::RedisError> {
//! use std::sync::Arc;
//! use finchat_client::redis::{RedisCardStore, RedisConnection};
//!
//! let redis = RedisConnection::open(std::env::var("REDIS_URL").unwrap_or_default())?
//!     .prefix("expenses-bot:");
//! let cards = Arc::new(RedisCardStore::new(redis.clone()));
//! # let _ = cards;
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
