//! `gobelieve::Client`: the app's id and its server credentials, the base URL, and the running of
//! every call: its authentication, the retry rules, and reading the envelope.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::auth::{bearer, server_authorization};
use super::{Error, envelope};
use crate::http::{self, AnswerError, Quote, Timeouts};
use crate::{RetryPolicy, Secret};

/// The calls whose answers hold a token (a user's, a customer's): never quoted in messages.
const TOKEN_ANSWERS: &[&str] = &["auth/grant", "auth/customer"];

/// The production server the document names. Not a default: give it to
/// [`ClientBuilder::base_url`] when it is the one.
pub const PRODUCTION_BASE_URL: &str = "https://api.gobelieve.io";

/// The GoBelieve IM REST client: cheap to clone, made by [`Client::builder`].
///
/// ```no_run
/// # async fn demo() -> Result<(), finchat_client::gobelieve::Error> {
/// use finchat_client::gobelieve;
///
/// let client = gobelieve::Client::builder()
///     .base_url(gobelieve::PRODUCTION_BASE_URL)
///     .appid(7)
///     .secret(std::env::var("GOBELIEVE_SECRET").unwrap_or_default())
///     .build()?;
/// client.messages().peer(1, 2, "hello").await?;
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
    appid: u64,
    /// `Basic base64(appid:hex(md5(secret)))`, made once.
    server_auth: Secret,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("gobelieve::Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("appid", &self.inner.appid)
            .field("server_auth", &self.inner.server_auth)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. `base_url`, `appid` and `secret` are required.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    appid: Option<u64>,
    secret: Option<Secret>,
    timeouts: Timeouts,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// The server, e.g. [`PRODUCTION_BASE_URL`]; API paths are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The app's id (an integer).
    pub fn appid(mut self, appid: u64) -> Self {
        self.appid = Some(appid);
        self
    }

    /// The app's secret; only its MD5 is sent.
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

    /// How failed calls are retried: reads, renames, settings and deletions after transport
    /// errors, time-outs and 5xx answers; `POST`s (sends, creations) only when the request never
    /// reached the server, so that nothing is done twice.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The client, or what is missing.
    ///
    /// # Errors
    ///
    /// A configuration [`Error`] when `base_url`, `appid` or `secret` is missing (or the secret
    /// empty), the base URL is not `http(s)://`, or the HTTP client cannot be made (no TLS back
    /// end).
    pub fn build(self) -> Result<Client, Error> {
        let url = self
            .base_url
            .ok_or_else(|| Error::config("base_url is required"))?;
        let base_url = http::base_url(
            "base_url",
            &url,
            "base_url must be an http:// or https:// URL",
        )
        .map_err(Error::config)?;
        let appid = self
            .appid
            .ok_or_else(|| Error::config("appid is required"))?;
        let secret = self
            .secret
            .filter(|s| !s.expose().is_empty())
            .ok_or_else(|| Error::config("secret is required"))?;
        let http = self.timeouts.client().map_err(Error::config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                appid,
                server_auth: server_authorization(appid, &secret),
                retry: self.retry,
            }),
        })
    }
}

/// How a call authenticates.
pub(crate) enum Auth {
    /// The app server's Basic credentials.
    Server,
    /// A user's (or customer's) token.
    User(Secret),
    /// No `Authorization` header.
    None,
}

/// One API call.
pub(crate) struct Call {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    auth: Auth,
    /// What messages may show of the answer: nothing of a token answer.
    quote: Quote,
}

impl Call {
    /// A call with the server's credentials; `path` is under the base URL.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let path = path.into();
        let quote = if TOKEN_ANSWERS.contains(&path.trim_start_matches('/')) {
            Quote::Never
        } else {
            Quote::Answer
        };
        Self {
            method,
            path,
            query: Vec::new(),
            body: None,
            auth: Auth::Server,
            quote,
        }
    }

    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    fn name(&self) -> String {
        format!("{} /{}", self.method, self.path.trim_start_matches('/'))
    }

    /// Repeating a POST could send a message or make a group twice.
    fn may_repeat(&self, error: &Error) -> bool {
        if self.method == Method::POST {
            error.never_reached_server()
        } else {
            error.is_transient()
        }
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The app's id.
    pub fn appid(&self) -> u64 {
        self.inner.appid
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Runs a call and reads `data` of its answer.
    pub(crate) async fn data<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let name = call.name();
        self.run::<T>(call)
            .await?
            .ok_or_else(|| Error::malformed(reqwest::StatusCode::OK, "no `data` in the answer"))
            .map_err(|e| e.in_call(name))
    }

    /// Runs a call whose answer carries nothing needed.
    pub(crate) async fn done(&self, call: Call) -> Result<(), Error> {
        self.run::<serde::de::IgnoredAny>(call).await.map(drop)
    }

    /// Runs a call: authentication, retries, and the envelope.
    async fn run<T: DeserializeOwned>(&self, call: Call) -> Result<Option<T>, Error> {
        let name = call.name();
        self.inner
            .retry
            .run(&name, || self.read_once(&call), |e| call.may_repeat(e))
            .await
            .map_err(|e| e.in_call(name))
    }

    /// Sends a call once and reads the envelope of its answer.
    async fn read_once<T: DeserializeOwned>(&self, call: &Call) -> Result<Option<T>, Error> {
        let (status, text) = self.send_once(call).await?;
        envelope::read(status, &text, call.quote)
    }

    async fn send_once(&self, call: &Call) -> Result<(reqwest::StatusCode, String), Error> {
        let mut url = http::join(&self.inner.base_url, &call.path).map_err(Error::config)?;
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        let mut request = self.inner.http.request(call.method.clone(), url);
        let authorization = match &call.auth {
            Auth::Server => Some(self.inner.server_auth.clone()),
            Auth::User(token) => Some(bearer(token)),
            Auth::None => None,
        };
        if let Some(value) = authorization {
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
                Error::config("the token has characters an HTTP header cannot hold")
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(Error::transport)?;
        if let Some(reason) = http::redirect_refused(&response) {
            return Err(Error::api(response.status(), None, reason));
        }
        http::read_answer(response, http::MAX_ANSWER_SIZE, "16 MiB").await
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
