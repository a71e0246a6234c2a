//! The app access token: fetched on first use, cached, refreshed before it expires, never fetched twice
//! at once, and shared through a [`TokenStore`].
//!
//! A token is replaced when less than the refresh margin
//! ([`ClientBuilder::refresh_margin`](crate::ClientBuilder::refresh_margin)) of its life is left,
//! the margin being at most half the lifetime: a token that lives 10 s is used for 5 s, not
//! fetched again on every call. When a fetch fails (the token endpoint is down), the callers that
//! waited for it, and those that come in the next two seconds, get its error instead of each
//! running a fetch of their own.
//!
//! The API says a new token invalidates the previous one. Inside one process the client makes sure of
//! a single fetch at a time, however many calls run concurrently. Several processes of one app must
//! not each fetch either. Either give them one `TokenStore` with a lease
//! ([`TokenStore::try_lease`]; `RedisTokenStore` with the `redis` feature): whichever needs a new
//! token first takes the lease and fetches it, the others wait for it in the store. Or give them one
//! `TokenStore` over shared storage (a database row) without a lease, let one process fetch, and
//! build the others with [`ClientBuilder::fetch_tokens(false)`](crate::ClientBuilder::fetch_tokens):
//! they only read the store, and wait for the fetching process when the token they hold is refused.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::Secret;

/// How long the error of a failed fetch answers the callers that ask for a token after it.
const SHARE_FAILURE_FOR: Duration = Duration::from_secs(2);

/// An app access token and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The token; never printed.
    pub token: Secret,
    /// When the server said it expires.
    pub expires_at: SystemTime,
}

impl AccessToken {
    /// A token that expires `expires_in` from now; a lifetime past what `SystemTime` can hold
    /// (a server's `u64::MAX`) ends at the latest time it can.
    pub fn new(token: impl Into<Secret>, expires_in: Duration) -> Self {
        Self {
            token: token.into(),
            expires_at: saturating_add(SystemTime::now(), expires_in),
        }
    }

    /// Whether it is still good for more than `margin` (any margin, however long).
    pub fn is_fresh(&self, margin: Duration) -> bool {
        self.left() > margin
    }

    /// How long it is still good for.
    fn left(&self) -> Duration {
        self.expires_at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO)
    }
}

/// `at + wait`, or the latest time after `at` that `SystemTime` can hold.
fn saturating_add(at: SystemTime, wait: Duration) -> SystemTime {
    let mut wait = wait;
    loop {
        if let Some(later) = at.checked_add(wait) {
            return later;
        }
        wait /= 2;
    }
}

/// A boxed future, so that [`TokenStore`] can be used as a trait object.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the app's current token is kept. The default, [`InMemoryTokenStore`], serves one process;
/// see the [module docs](self) for several.
pub trait TokenStore: Send + Sync {
    /// The current token, if there is one.
    fn load(&self) -> StoreFuture<'_, Option<AccessToken>>;

    /// Keeps `token` as the current one.
    fn save(&self, token: AccessToken) -> StoreFuture<'_, ()>;

    /// Forgets `token` if it is still the current one (the server refused it).
    fn discard(&self, token: &Secret) -> StoreFuture<'_, ()>;

    /// Asks to be the one process that fetches the next token, for a while (a lease). `Ok(true)`:
    /// fetch it, save it, then [`release_lease`](TokenStore::release_lease). `Ok(false)`: another
    /// process holds the lease; the client waits for its token to appear in the store (and takes
    /// the lease itself if that process dies and the lease lapses). `Err`: the store cannot be asked;
    /// the caller's API call fails with that error rather than fetch a token that would invalidate
    /// the others' (its message must not hold the token).
    ///
    /// By default `Ok(true)`: a store that serves one process needs no lease.
    fn try_lease(&self) -> StoreFuture<'_, Result<bool, LeaseError>> {
        Box::pin(async { Ok(true) })
    }

    /// Gives back the lease [`try_lease`](TokenStore::try_lease) took, after the fetch (saved or
    /// failed). By default nothing.
    fn release_lease(&self) -> StoreFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// Why a shared [`TokenStore`] could not be asked (never holding the token).
pub type LeaseError = Box<dyn std::error::Error + Send + Sync>;

/// A [`TokenStore`] in this process's memory.
#[derive(Default)]
pub struct InMemoryTokenStore {
    current: Mutex<Option<AccessToken>>,
}

impl InMemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for InMemoryTokenStore {
    fn load(&self) -> StoreFuture<'_, Option<AccessToken>> {
        let current = self.current.lock().map(|c| c.clone()).unwrap_or_default();
        Box::pin(async move { current })
    }

    fn save(&self, token: AccessToken) -> StoreFuture<'_, ()> {
        if let Ok(mut current) = self.current.lock() {
            *current = Some(token);
        }
        Box::pin(async {})
    }

    fn discard(&self, token: &Secret) -> StoreFuture<'_, ()> {
        if let Ok(mut current) = self.current.lock()
            && current.as_ref().is_some_and(|c| &c.token == token)
        {
            *current = None;
        }
        Box::pin(async {})
    }
}

/// Hands out the current token, fetching one at a time.
pub(crate) struct TokenManager {
    store: Arc<dyn TokenStore>,
    /// Held while a token is fetched, so that concurrent callers wait for that one fetch.
    fetching: tokio::sync::Mutex<()>,
    /// How long before expiry a token is replaced, at most half its lifetime.
    pub margin: Duration,
    /// The current token and its lifetime as this process first saw it (at its fetch, or at its
    /// first load from a store another process fills), which bounds the margin.
    seen: Mutex<Option<(Secret, Duration)>>,
    /// The last failed fetch, and when it failed.
    failed: Mutex<Option<(Instant, crate::Error)>>,
    /// Whether this process fetches tokens, or only reads them from the store.
    pub fetches: bool,
    /// How long a reading-only process waits for another to put a new token in the store.
    pub wait_for_store: Duration,
}

impl TokenManager {
    pub fn new(store: Arc<dyn TokenStore>, margin: Duration, fetches: bool) -> Self {
        Self {
            store,
            fetching: tokio::sync::Mutex::new(()),
            margin,
            seen: Mutex::new(None),
            failed: Mutex::new(None),
            fetches,
            wait_for_store: Duration::from_secs(10),
        }
    }

    /// A fresh token, fetched with `fetch` only when the store has none.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, crate::Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, crate::Error>>,
    {
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        if !self.fetches {
            return self.wait_for_another_process().await;
        }
        let _only_fetch = self.fetching.lock().await;
        // Another caller may have fetched while this one waited for the lock, or failed to.
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        if let Some(error) = self.recent_failure() {
            tracing::debug!(error = %error, "token fetch failed moments ago; not asking again yet");
            return Err(error);
        }
        // Across processes: one fetches under the store's lease, the others wait for its token.
        match self.lease().await {
            Ok(true) => {}
            Ok(false) => {
                if let Some(token) = self.wait_for_lease().await? {
                    return Ok(token);
                }
            }
            Err(error) => return Err(error),
        }
        // The lease's previous holder may have saved a token just before giving it back.
        if let Some(token) = self.fresh().await {
            self.store.release_lease().await;
            return Ok(token);
        }
        let fetched = match fetch().await {
            Ok(token) => {
                if let Ok(mut failed) = self.failed.lock() {
                    *failed = None;
                }
                self.store.save(token.clone()).await;
                Ok(token)
            }
            Err(error) => {
                self.remember_failure(&error);
                Err(error)
            }
        };
        self.store.release_lease().await;
        fetched
    }

    /// Asks the store for the fetch lease; a store that cannot be asked is a failure, shared with
    /// the callers of the next two seconds like a failed fetch.
    async fn lease(&self) -> Result<bool, crate::Error> {
        self.store.try_lease().await.map_err(|e| {
            let error = crate::Error::token_store(format!(
                "cannot take the token lease ({e}); no token fetched, so as not to invalidate \
                 the other instances' one"
            ));
            self.remember_failure(&error);
            error
        })
    }

    /// Waits for the process that holds the lease to save a token: `Some` token, or `None` once
    /// this process holds the lease itself (the other died, or gave it back without a token).
    async fn wait_for_lease(&self) -> Result<Option<AccessToken>, crate::Error> {
        let deadline = tokio::time::Instant::now() + self.wait_for_store;
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Some(token) = self.fresh().await {
                return Ok(Some(token));
            }
            if self.lease().await? {
                return Ok(None);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(crate::Error::token_store(format!(
                    "another instance holds the token lease but saved no token within {:?}",
                    self.wait_for_store
                )));
            }
        }
    }

    fn remember_failure(&self, error: &crate::Error) {
        if let Ok(mut failed) = self.failed.lock() {
            *failed = Some((Instant::now(), error.clone()));
        }
    }

    /// The error of a fetch that failed less than [`SHARE_FAILURE_FOR`] ago.
    fn recent_failure(&self) -> Option<crate::Error> {
        let failed = self.failed.lock().ok()?;
        let (at, error) = failed.as_ref()?;
        (at.elapsed() < SHARE_FAILURE_FOR).then(|| error.clone())
    }

    /// Forgets `token` after the server refused it, so the next `get` fetches a new one.
    pub async fn discard(&self, token: &Secret) {
        let _only_fetch = self.fetching.lock().await;
        self.store.discard(token).await;
    }

    async fn fresh(&self) -> Option<AccessToken> {
        self.store
            .load()
            .await
            .filter(|t| t.is_fresh(self.margin_for(t)))
    }

    /// The refresh margin for `token`: at most half its lifetime, so that a token whose lifetime
    /// is shorter than the margin is still used, not fetched again on every call (each fetch
    /// invalidating the token other calls hold).
    fn margin_for(&self, token: &AccessToken) -> Duration {
        let Ok(mut seen) = self.seen.lock() else {
            return self.margin;
        };
        let lifetime = match &*seen {
            Some((current, lifetime)) if *current == token.token => *lifetime,
            _ => {
                let lifetime = token.left();
                *seen = Some((token.token.clone(), lifetime));
                lifetime
            }
        };
        self.margin.min(lifetime / 2)
    }

    async fn wait_for_another_process(&self) -> Result<AccessToken, crate::Error> {
        let deadline = tokio::time::Instant::now() + self.wait_for_store;
        loop {
            if let Some(token) = self.fresh().await {
                return Ok(token);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(crate::Error::config(
                    "no fresh token in the token store, and this client does not fetch tokens \
                     (fetch_tokens(false)); is the fetching process running?",
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
