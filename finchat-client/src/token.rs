//! The app access token: fetched on first use, cached, refreshed before it expires, never fetched twice
//! at once, and shared through a [`TokenStore`].
//!
//! The API says a new token invalidates the previous one. Inside one process the client makes sure of
//! a single fetch at a time, however many calls run concurrently. Several processes of one app must
//! not each fetch either: give them one `TokenStore` over shared storage (a database row, a Redis
//! key), let one process fetch, and build the others with
//! [`ClientBuilder::fetch_tokens(false)`](crate::ClientBuilder::fetch_tokens): they only read the
//! store, and wait for the fetching process when the token they hold is refused.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::Secret;

/// An app access token and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The token; never printed.
    pub token: Secret,
    /// When the server said it expires.
    pub expires_at: SystemTime,
}

impl AccessToken {
    /// A token that expires `expires_in` from now.
    pub fn new(token: impl Into<Secret>, expires_in: Duration) -> Self {
        Self {
            token: token.into(),
            expires_at: SystemTime::now() + expires_in,
        }
    }

    /// Whether it is still good for at least `margin`.
    pub fn is_fresh(&self, margin: Duration) -> bool {
        SystemTime::now() + margin < self.expires_at
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
}

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
        if let Ok(mut current) = self.current.lock() {
            if current.as_ref().is_some_and(|c| &c.token == token) {
                *current = None;
            }
        }
        Box::pin(async {})
    }
}

/// Hands out the current token, fetching one at a time.
pub(crate) struct TokenManager {
    store: Arc<dyn TokenStore>,
    /// Held while a token is fetched, so that concurrent callers wait for that one fetch.
    fetching: tokio::sync::Mutex<()>,
    /// How long before expiry a token is replaced.
    pub margin: Duration,
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
        // Another caller may have fetched while this one waited for the lock.
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        let token = fetch().await?;
        self.store.save(token.clone()).await;
        Ok(token)
    }

    /// Forgets `token` after the server refused it, so the next `get` fetches a new one.
    pub async fn discard(&self, token: &Secret) {
        let _only_fetch = self.fetching.lock().await;
        self.store.discard(token).await;
    }

    async fn fresh(&self) -> Option<AccessToken> {
        self.store.load().await.filter(|t| t.is_fresh(self.margin))
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
