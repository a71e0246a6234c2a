//! [`RedisTokenStore`]: the app token shared by every instance, fetched by one at a time.

use std::fmt;
use std::sync::LazyLock;
use std::time::{Duration, UNIX_EPOCH};

use redis::Script;

use super::RedisConnection;
use super::connection::holder_name;
use crate::Secret;
use crate::token::{AccessToken, LeaseError, StoreFuture, TokenStore};

/// How long the fetch lease lasts by default.
pub const DEFAULT_TOKEN_LEASE: Duration = Duration::from_secs(10);

/// A [`TokenStore`] in Redis, for N instances of one app that must share one app token (a new token
/// invalidates the previous one).
///
/// - The token is a hash at `{prefix}token` (the token, and its expiry in ms), which expires with
///   the token.
/// - Whichever instance needs a new token first takes the fetch lease (`SET {prefix}token-lease
///   {owner} NX PX lease`, default [`DEFAULT_TOKEN_LEASE`], 10 s), fetches the token, saves it and
///   gives the lease back (a compare-and-delete: only its own). The others wait for the token to
///   appear (up to 10 s) and use it; if the holder dies, its lease lapses and the next waiter
///   takes it.
/// - A token the server refuses is discarded only if it is still the current one (a Lua
///   compare-and-delete), so N instances that each see it refused replace it once between them.
/// - The token never appears in `Debug`, logs or errors.
///
/// When Redis is down or slower than the connection's deadline, the client does not fetch a token
/// (that would invalidate the other instances' one, and N instances would each fetch): the API call
/// that needed a new token fails with a `token store` error, shared with the calls of the next
/// two seconds, and a WARN line says why. Calls whose client still holds a fresh token in memory go
/// on. A crashed instance leaves its lease, which lapses.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use finchat_client::Client;
/// use finchat_client::redis::{RedisConnection, RedisTokenStore};
///
/// let redis = RedisConnection::open("redis://127.0.0.1:6379/")?.prefix("expenses-bot:");
/// let client = Client::builder()
///     .base_url("https://finchat.example.com")
///     .app_id("5cf29aec6ccfd004ccd28075")
///     .secret(std::env::var("FINCHAT_SECRET")?)
///     .token_store(Arc::new(RedisTokenStore::new(redis)))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct RedisTokenStore {
    redis: RedisConnection,
    lease: Duration,
    /// Names this store as the lease's holder.
    owner: String,
}

/// KEYS: the token hash. ARGV: the refused token.
static DISCARD: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
",
    )
});

impl RedisTokenStore {
    /// The token kept on `redis`, with a 10 s fetch lease.
    pub fn new(redis: RedisConnection) -> Self {
        Self {
            redis,
            lease: DEFAULT_TOKEN_LEASE,
            owner: holder_name(),
        }
    }

    /// How long an instance may take to fetch a token before another may (default 10 s).
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    fn token_key(&self) -> String {
        self.redis.key("token")
    }

    fn lease_key(&self) -> String {
        self.redis.key("token-lease")
    }
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("redis", &self.redis)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl TokenStore for RedisTokenStore {
    fn load(&self) -> StoreFuture<'_, Option<AccessToken>> {
        Box::pin(async move {
            let key = self.token_key();
            let kept: Result<(Option<String>, Option<u64>), _> = self
                .redis
                .query(
                    "token.load",
                    redis::cmd("HMGET").arg(key).arg("token").arg("expires_ms"),
                )
                .await;
            match kept {
                Ok((Some(token), Some(expires_ms))) => Some(AccessToken {
                    token: Secret::new(token),
                    expires_at: UNIX_EPOCH + Duration::from_millis(expires_ms),
                }),
                Ok(_) => None,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the app token from Redis");
                    None
                }
            }
        })
    }

    fn save(&self, token: AccessToken) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let key = self.token_key();
            let expires_ms = crate::millis::epoch_ms(token.expires_at);
            let saved = self
                .redis
                .run("token.save", |mut c| async move {
                    redis::pipe()
                        .atomic()
                        .cmd("DEL")
                        .arg(&key)
                        .ignore()
                        .cmd("HSET")
                        .arg(&key)
                        .arg("token")
                        .arg(token.token.expose())
                        .arg("expires_ms")
                        .arg(expires_ms)
                        .ignore()
                        .cmd("PEXPIREAT")
                        .arg(&key)
                        .arg(expires_ms)
                        .ignore()
                        .query_async::<()>(&mut c)
                        .await
                })
                .await;
            if let Err(error) = saved {
                tracing::warn!(
                    %error,
                    "cannot save the app token in Redis; the other instances will not see it"
                );
            }
        })
    }

    fn discard(&self, token: &Secret) -> StoreFuture<'_, ()> {
        let token = token.clone();
        Box::pin(async move {
            let mut invocation = DISCARD.prepare_invoke();
            invocation.key(self.token_key()).arg(token.expose());
            let discarded = self.redis.invoke::<i64>("token.discard", invocation).await;
            if let Err(error) = discarded {
                tracing::warn!(%error, "cannot discard the refused app token in Redis");
            }
        })
    }

    fn try_lease(&self) -> StoreFuture<'_, Result<bool, LeaseError>> {
        Box::pin(async move {
            self.redis
                .take_lease("token.try_lease", &self.lease_key(), &self.owner, self.lease)
                .await
                .map_err(|error| {
                    tracing::warn!(%error, "cannot take the token lease in Redis; no token fetched");
                    Box::new(error) as LeaseError
                })
        })
    }

    fn release_lease(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let released = self
                .redis
                .give_back_lease("token.release_lease", &self.lease_key(), &self.owner)
                .await;
            if let Err(error) = released {
                tracing::warn!(%error, "cannot give back the token lease in Redis; it lapses");
            }
        })
    }
}
