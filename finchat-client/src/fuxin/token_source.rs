//! `TokenSource`: keeps one FuXin access token fresh. It refreshes it with the refresh token while
//! 10–20 % of its life is left, asks `getAccessToken` again when refreshing fails, and replaces it
//! once when the server answers 401. The schedule runs on `tokio::time`, so a paused test clock
//! drives it.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::ops::RangeInclusive;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::client::read_answer;
use super::wire::read_data;
use super::{Client, Error, TokenGrant};
use crate::Secret;
use crate::http::Quote;

/// The future a [`TokenFetcher`] returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<TokenGrant, Error>> + Send + 'a>>;

/// Where a [`TokenSource`] gets its grants: [`Client`] over HTTP, or a fake in tests.
pub trait TokenFetcher: Send + Sync {
    /// A new grant from the credentials (`getAccessToken`).
    fn get_access_token(&self) -> FetchFuture<'_>;

    /// The next grant for `refresh_token` (`refreshToken`).
    fn refresh_token<'a>(&'a self, refresh_token: &'a Secret) -> FetchFuture<'a>;
}

impl TokenFetcher for Client {
    fn get_access_token(&self) -> FetchFuture<'_> {
        Box::pin(Client::get_access_token(self))
    }

    fn refresh_token<'a>(&'a self, refresh_token: &'a Secret) -> FetchFuture<'a> {
        Box::pin(Client::refresh_token(self, refresh_token))
    }
}

/// The document's advice: refresh while 10–20 % of the token's life is left.
const DEFAULT_LEFT: RangeInclusive<f64> = 0.10..=0.20;
/// How long a token that could not be renewed, but is still valid, is used before the next try.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A FuXin access token kept fresh; cheap to clone, safe to share between tasks.
///
/// Each grant gets its refresh point when it arrives: a moment, drawn at random inside the window
/// (so that several processes do not refresh in step), when between 20 % and 10 % of its life is
/// left; [`TokenSourceBuilder::refresh_when_left`] changes the window. A call to
/// [`TokenSource::token`] past that point refreshes first, one caller at a time. When the refresh
/// fails, a fresh `getAccessToken` follows; when that fails too while the old token is still valid,
/// the old token is used and the renewal tried again 30 s later.
///
/// ```no_run
/// # async fn demo(client: finchat_client::fuxin::Client) -> Result<(), finchat_client::fuxin::Error> {
/// use finchat_client::fuxin::TokenSource;
///
/// let tokens = TokenSource::builder(client).refresh_when_left(0.10..=0.15).build();
/// let _refresher = tokens.refresh_in_background(); // refresh on time even without calls
/// let token = tokens.token().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<Shared>,
}

struct Shared {
    fetcher: Box<dyn TokenFetcher>,
    /// The share of the lifetime left at the refresh point: drawn from `least..=most`.
    least_left: f64,
    most_left: f64,
    retry_after: Duration,
    /// Held while a grant is fetched, so that concurrent callers wait for that one fetch.
    held: tokio::sync::Mutex<Option<Held>>,
}

struct Held {
    grant: TokenGrant,
    expires_at: Instant,
    refresh_at: Instant,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field(
                "refresh_when_left",
                &(self.inner.least_left..=self.inner.most_left),
            )
            .finish_non_exhaustive()
    }
}

/// Builds a [`TokenSource`].
#[must_use]
pub struct TokenSourceBuilder {
    fetcher: Box<dyn TokenFetcher>,
    left: RangeInclusive<f64>,
    retry_after: Duration,
}

impl TokenSourceBuilder {
    /// When to refresh, as the share of the token's lifetime still left (default `0.10..=0.20`,
    /// the document's 10–20 %); a single value such as `0.15..=0.15` makes it exact. Values are
    /// clamped to `0.0..=1.0`, and a window given backwards is turned around.
    pub fn refresh_when_left(mut self, left: RangeInclusive<f64>) -> Self {
        self.left = left;
        self
    }

    /// How long a still-valid token is used after a failed renewal before the next try (default
    /// 30 s; never past the token's expiry).
    pub fn retry_after_failure(mut self, wait: Duration) -> Self {
        self.retry_after = wait;
        self
    }

    /// The token source; it fetches its first token on first use.
    pub fn build(self) -> TokenSource {
        let fraction = |f: f64, default: f64| {
            if f.is_nan() {
                default
            } else {
                f.clamp(0.0, 1.0)
            }
        };
        let a = fraction(*self.left.start(), *DEFAULT_LEFT.start());
        let b = fraction(*self.left.end(), *DEFAULT_LEFT.end());
        TokenSource {
            inner: Arc::new(Shared {
                fetcher: self.fetcher,
                least_left: a.min(b),
                most_left: a.max(b),
                retry_after: self.retry_after,
                held: tokio::sync::Mutex::new(None),
            }),
        }
    }
}

impl TokenSource {
    /// A builder over `fetcher`: a [`Client`], or a fake in tests.
    pub fn builder(fetcher: impl TokenFetcher + 'static) -> TokenSourceBuilder {
        TokenSourceBuilder {
            fetcher: Box::new(fetcher),
            left: DEFAULT_LEFT,
            retry_after: DEFAULT_RETRY_AFTER,
        }
    }

    /// The current access token: fetched on first use, refreshed past its refresh point.
    ///
    /// # Errors
    ///
    /// The fetch's [`Error`] when there is no token yet, or the held one has expired and neither
    /// `refreshToken` nor `getAccessToken` gives a new one. While the held token is valid, a failed
    /// renewal is logged, not returned.
    pub async fn token(&self) -> Result<Secret, Error> {
        let mut held = self.inner.held.lock().await;
        let now = Instant::now();
        if let Some(current) = held.as_ref().filter(|h| now < h.refresh_at) {
            return Ok(current.grant.access_token.clone());
        }
        match self.renew_locked(&mut held).await {
            Ok(token) => Ok(token),
            Err(error) => match held.as_mut().filter(|h| now < h.expires_at) {
                Some(current) => {
                    tracing::warn!(
                        error = %error,
                        "fuxin: cannot renew the access token; using it while it lasts"
                    );
                    current.refresh_at = (now + self.inner.retry_after).min(current.expires_at);
                    Ok(current.grant.access_token.clone())
                }
                None => Err(error),
            },
        }
    }

    /// A new token after the server refused `refused` (HTTP 401): a fresh `getAccessToken`, as the
    /// document advises, unless another caller has replaced `refused` already.
    ///
    /// # Errors
    ///
    /// The [`Error`] of `getAccessToken` (see [`Client::get_access_token`]).
    pub async fn renew(&self, refused: &Secret) -> Result<Secret, Error> {
        let mut held = self.inner.held.lock().await;
        if let Some(current) = held.as_ref()
            && &current.grant.access_token != refused
            && Instant::now() < current.expires_at
        {
            return Ok(current.grant.access_token.clone());
        }
        let grant = self.inner.fetcher.get_access_token().await?;
        Ok(self.hold(&mut held, grant))
    }

    /// When the current token will be refreshed, if there is one.
    pub async fn next_refresh(&self) -> Option<Instant> {
        self.inner.held.lock().await.as_ref().map(|h| h.refresh_at)
    }

    /// Sends the request `build` makes with the current token; when the answer is HTTP 401, sends
    /// it once more with a new token (see [`TokenSource::renew`]). Any other answer is returned as
    /// it is; a second 401 is an error.
    ///
    /// `build` gets the token and puts it where the API wants it: the document does not say where
    /// that is for the meeting API's calls. The request goes out on the caller's `reqwest::Client`:
    /// build it with `.redirect(reqwest::redirect::Policy::none())`, or a redirect takes the token
    /// wherever it points.
    ///
    /// ```no_run
    /// # async fn demo(tokens: finchat_client::fuxin::TokenSource) -> Result<(), finchat_client::fuxin::Error> {
    /// let http = reqwest::Client::new();
    /// let response = tokens
    ///     .send(|token| http.get("https://fuxin.example.org/gateway/meeting/list").bearer_auth(token))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] when no token can be had (see [`TokenSource::token`]), the request cannot be
    /// built or sent (transport, time-out), or the answer is HTTP 401 again with a new token
    /// ([`Error::is_unauthorized`]). Other error statuses are returned as responses.
    pub async fn send<F>(&self, build: F) -> Result<reqwest::Response, Error>
    where
        F: Fn(&str) -> reqwest::RequestBuilder,
    {
        self.send_named(build).await.map(|(_, response)| response)
    }

    /// As [`TokenSource::send`], then reads the answer as the FuXin envelope and returns its `data`.
    ///
    /// # Errors
    ///
    /// As [`TokenSource::send`], and also an error status or `success: false`
    /// ([`Error::error_code`]), or an answer that is not the envelope or has no readable `data`
    /// ([`Error::is_malformed_response`]).
    pub async fn call<T, F>(&self, build: F) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: Fn(&str) -> reqwest::RequestBuilder,
    {
        let (name, response) = self.send_named(build).await?;
        let (status, text) = read_answer(response).await.map_err(|e| e.in_call(&name))?;
        read_data(status, &text, Quote::Answer).map_err(|e| e.in_call(name))
    }

    async fn send_named<F>(&self, build: F) -> Result<(String, reqwest::Response), Error>
    where
        F: Fn(&str) -> reqwest::RequestBuilder,
    {
        let token = self.token().await?;
        let (name, response) = execute(build(token.expose())).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok((name, response));
        }
        drop(response);
        tracing::debug!(call = %name, "fuxin: token refused; renewing it once");
        let token = self.renew(&token).await.map_err(|e| e.in_call(&name))?;
        let (name, response) = execute(build(token.expose())).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok((name, response));
        }
        let (status, text) = read_answer(response).await.map_err(|e| e.in_call(&name))?;
        Err(read_data::<serde_json::Value>(status, &text, Quote::Answer)
            .err()
            .unwrap_or_else(|| Error::api(status, None, ""))
            .in_call(name))
    }

    /// Refreshes the token at each refresh point even when no call asks for it, until the handle is
    /// aborted or every clone of this source is dropped (it notices at its next wake-up).
    pub fn refresh_in_background(&self) -> tokio::task::JoinHandle<()> {
        let shared = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            loop {
                let Some(inner) = shared.upgrade() else {
                    return;
                };
                let source = TokenSource { inner };
                let retry_after = source.inner.retry_after;
                let wake = match source.token().await {
                    Ok(_) => source.next_refresh().await,
                    Err(error) => {
                        tracing::warn!(error = %error, "fuxin: cannot fetch an access token");
                        None
                    }
                };
                drop(source);
                tokio::time::sleep_until(wake.unwrap_or_else(|| Instant::now() + retry_after))
                    .await;
            }
        })
    }

    /// Refreshes with the held refresh token, or asks `getAccessToken` when there is none or the
    /// refresh fails.
    async fn renew_locked(&self, held: &mut Option<Held>) -> Result<Secret, Error> {
        let fetcher = &self.inner.fetcher;
        let refresh = held.as_ref().and_then(|h| h.grant.refresh_token.clone());
        let grant = match refresh {
            Some(refresh) => match fetcher.refresh_token(&refresh).await {
                Ok(grant) => grant,
                Err(error) => {
                    tracing::info!(error = %error, "fuxin: refresh failed; asking getAccessToken");
                    fetcher.get_access_token().await?
                }
            },
            None => fetcher.get_access_token().await?,
        };
        Ok(self.hold(held, grant))
    }

    /// Keeps `grant` with its expiry and refresh point, counted from now. A lifetime too long for
    /// the clock (a server's `u64::MAX`) is taken as [`LONGEST_LIFE`].
    fn hold(&self, held: &mut Option<Held>, grant: TokenGrant) -> Secret {
        let now = Instant::now();
        let life = grant.expire_in.min(LONGEST_LIFE);
        let left = self.inner.least_left
            + (self.inner.most_left - self.inner.least_left) * random_fraction();
        let token = grant.access_token.clone();
        *held = Some(Held {
            refresh_at: later(now, life.mul_f64(1.0 - left)),
            expires_at: later(now, life),
            grant,
        });
        token
    }
}

/// The longest lifetime a grant is held for: a century, far past any real token's, and far inside
/// what `Instant` and `Duration::mul_f64` can compute with.
const LONGEST_LIFE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// `at + wait`, or `at` plus [`LONGEST_LIFE`] when the clock cannot hold the sum.
fn later(at: Instant, wait: Duration) -> Instant {
    at.checked_add(wait)
        .or_else(|| at.checked_add(LONGEST_LIFE))
        .unwrap_or(at)
}

/// Sends a request; its name for messages is the method and the path, never the query, which may
/// hold the token.
async fn execute(builder: reqwest::RequestBuilder) -> Result<(String, reqwest::Response), Error> {
    let (http, request) = builder.build_split();
    let request = request.map_err(|e| Error::config(format!("cannot build the request: {e}")))?;
    let name = format!("{} {}", request.method(), request.url().path());
    let response = http
        .execute(request)
        .await
        .map_err(|e| Error::transport(e).in_call(&name))?;
    Ok((name, response))
}

/// A number in [0, 1) that differs from call to call: std's per-process random hash keys.
fn random_fraction() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::random_fraction;

    #[test]
    fn random_fractions_stay_in_range_and_vary() {
        let draws: Vec<f64> = (0..64).map(|_| random_fraction()).collect();
        assert!(draws.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(draws.windows(2).any(|w| w[0] != w[1]));
    }
}
