//! `fuxin::Client`: the enterprise's credentials, the two token hosts, and the two token calls.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use url::Url;

use super::wire::{read_grant, timestamp_millis};
use super::{Error, TokenGrant, TokenSource};
use crate::http::{self, AnswerError, Timeouts};
use crate::{RetryPolicy, Secret};

/// The path of `getAccessToken` under [`ClientBuilder::base_url`].
pub const GET_ACCESS_TOKEN: &str = "gateway/oauth2/token/getAccessToken";
/// The path of `refreshToken` under [`ClientBuilder::refresh_base_url`].
pub const REFRESH_TOKEN: &str = "gateway/oauth2/token/refreshToken";
/// The `scope` both calls send; the document fixes it.
pub const SCOPE: &str = "resGroupSecret";

/// The FuXin token client: cheap to clone, made by [`Client::builder`].
///
/// ```no_run
/// # async fn demo() -> Result<(), finchat_client::fuxin::Error> {
/// let client = finchat_client::fuxin::Client::builder()
///     .base_url("https://fuxin.example.org")
///     .eid("10001")
///     .secret(std::env::var("FUXIN_SECRET").unwrap_or_default())
///     .build()?;
/// let grant = client.get_access_token().await?;
/// println!("good for {:?}", grant.expire_in);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    refresh_base_url: Url,
    eid: String,
    secret: Secret,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("fuxin::Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("refresh_base_url", &self.inner.refresh_base_url.as_str())
            .field("eid", &self.inner.eid)
            .field("secret", &self.inner.secret)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. `base_url`, `eid` and `secret` are required; nothing has a default taken
/// from the document, whose values are examples.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    refresh_base_url: Option<String>,
    eid: Option<String>,
    secret: Option<Secret>,
    timeouts: Timeouts,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// The host of `getAccessToken`, e.g. `https://fuxin.example.org`; [`GET_ACCESS_TOKEN`] is
    /// appended to it. Also the host of `refreshToken` unless [`ClientBuilder::refresh_base_url`] says
    /// otherwise.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The host of `refreshToken` ([`REFRESH_TOKEN`] is appended), when it is not the base URL: the
    /// document names one host for `getAccessToken` and another for `refreshToken`.
    pub fn refresh_base_url(mut self, url: impl Into<String>) -> Self {
        self.refresh_base_url = Some(url.into());
        self
    }

    /// The enterprise id (`eid`).
    pub fn eid(mut self, eid: impl Into<String>) -> Self {
        self.eid = Some(eid.into());
        self
    }

    /// The secret of the assistant the tokens are for.
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// How long one request may take in all (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.total = timeout;
        self
    }

    /// How long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// How failed token calls are retried: `getAccessToken` after transport errors, time-outs and
    /// 5xx answers; `refreshToken` only when the request never reached the server, since a refresh
    /// token may be good for one use.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The client, or what is missing.
    ///
    /// # Errors
    ///
    /// A configuration [`Error`] when `base_url`, `eid` or `secret` is missing or empty, a base URL
    /// is not `http(s)://`, or the HTTP client cannot be made (no TLS back end).
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .ok_or_else(|| Error::config("base_url is required"))?;
        let base_url = parse_base("base_url", &base)?;
        let refresh_base_url = match &self.refresh_base_url {
            Some(url) => parse_base("refresh_base_url", url)?,
            None => base_url.clone(),
        };
        let eid = self
            .eid
            .filter(|e| !e.is_empty())
            .ok_or_else(|| Error::config("eid is required"))?;
        let secret = self
            .secret
            .filter(|s| !s.expose().is_empty())
            .ok_or_else(|| Error::config("secret is required"))?;
        let http = self.timeouts.client().map_err(Error::config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                refresh_base_url,
                eid,
                secret,
                retry: self.retry,
            }),
        })
    }
}

/// An `http(s)://` URL whose path ends with `/`, so that paths join under it.
fn parse_base(name: &str, url: &str) -> Result<Url, Error> {
    let not_http = format!("{name} `{url}` must be an http:// or https:// URL");
    http::base_url(name, url, &not_http).map_err(Error::config)
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The enterprise id.
    pub fn eid(&self) -> &str {
        &self.inner.eid
    }

    /// A [`TokenSource`] over this client with the default schedule; see
    /// [`TokenSource::builder`] for another.
    pub fn token_source(&self) -> TokenSource {
        TokenSource::builder(self.clone()).build()
    }

    /// A new grant from the eid and the secret (`POST {base_url}/gateway/oauth2/token/getAccessToken`
    /// with `eid`, `secret`, `timestamp` and `scope`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::fuxin::Client) -> Result<(), finchat_client::fuxin::Error> {
    /// let grant = client.get_access_token().await?;
    /// let refresh = grant.refresh_token.expect("FuXin sends one");
    /// let next = client.refresh_token(&refresh).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (an HTTP error status, or `success: false` with its
    /// [`Error::error_code`], e.g. a wrong secret), or a transport, time-out or unreadable-answer
    /// failure once the retries are used up.
    pub async fn get_access_token(&self) -> Result<TokenGrant, Error> {
        let inner = &self.inner;
        let url = join(&inner.base_url, GET_ACCESS_TOKEN)?;
        let body = || {
            json!({
                "eid": inner.eid,
                "secret": inner.secret.expose(),
                "timestamp": timestamp_millis(),
                "scope": SCOPE,
            })
        };
        self.token_call(url, body, Error::is_transient).await
    }

    /// The next grant for `refresh_token` (`POST {refresh_base_url}/gateway/oauth2/token/refreshToken`
    /// with `eid`, `refreshToken`, `timestamp` and `scope`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (an HTTP error status, or `success: false` with its
    /// [`Error::error_code`], e.g. a used or expired refresh token), or a transport, time-out or
    /// unreadable-answer failure; it is retried only when it never reached the server.
    pub async fn refresh_token(&self, refresh_token: &Secret) -> Result<TokenGrant, Error> {
        let inner = &self.inner;
        let url = join(&inner.refresh_base_url, REFRESH_TOKEN)?;
        let body = || {
            json!({
                "eid": inner.eid,
                "refreshToken": refresh_token.expose(),
                "timestamp": timestamp_millis(),
                "scope": SCOPE,
            })
        };
        self.token_call(url, body, Error::never_reached_server)
            .await
    }

    /// Posts a token request (a fresh body, so a fresh timestamp, for each try) and reads the grant.
    async fn token_call(
        &self,
        url: Url,
        body: impl Fn() -> serde_json::Value,
        retryable: fn(&Error) -> bool,
    ) -> Result<TokenGrant, Error> {
        let name = format!("{} {}", Method::POST, url.path());
        self.inner
            .retry
            .run(&name, || self.post_once(url.clone(), body()), retryable)
            .await
            .map_err(|e| e.in_call(name))
    }

    async fn post_once(&self, url: Url, body: serde_json::Value) -> Result<TokenGrant, Error> {
        let response = self
            .inner
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(Error::transport)?;
        if let Some(reason) = http::redirect_refused(&response) {
            return Err(Error::api(response.status(), None, reason));
        }
        let (status, text) = read_answer(response).await?;
        read_grant(status, &text)
    }
}

impl AnswerError for Error {
    fn transport(error: reqwest::Error) -> Self {
        Error::transport(error)
    }

    fn malformed(status: StatusCode, reason: String) -> Self {
        Error::malformed(status, reason)
    }
}

/// An answer's status and text, at most [`http::MAX_ANSWER_SIZE`] bytes of it.
pub(super) async fn read_answer(
    response: reqwest::Response,
) -> Result<(StatusCode, String), Error> {
    http::read_answer(response, http::MAX_ANSWER_SIZE, "16 MiB").await
}

fn join(base: &Url, path: &str) -> Result<Url, Error> {
    base.join(path)
        .map_err(|e| Error::config(format!("cannot join `{path}` to `{base}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paths_join_under_the_base_url_path() {
        let base = parse_base("base_url", "https://fuxin.example.org/prefix").unwrap();
        assert_eq!(
            join(&base, GET_ACCESS_TOKEN).unwrap().as_str(),
            "https://fuxin.example.org/prefix/gateway/oauth2/token/getAccessToken"
        );
        assert!(parse_base("base_url", "ftp://x").is_err());
    }

    #[test]
    fn the_builder_names_what_is_missing_and_debug_hides_the_secret() {
        let error = Client::builder()
            .base_url("http://127.0.0.1:1")
            .secret("s")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "fuxin client configuration: eid is required"
        );
        let client = Client::builder()
            .base_url("http://127.0.0.1:1")
            .eid("10001")
            .secret("test-secret")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("test-secret"));
    }
}
