//! `Client`: cheap to clone, made by [`Client::builder`]. It holds the HTTP client, the app's
//! credentials and its token, and runs every call: authentication, the retry rules, and reading the
//! API's error answers.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::http::{self, AnswerError, Quote, Timeouts};
use crate::retry::{Retry, RetryPolicy};
use crate::token::{AccessToken, InMemoryTokenStore, TokenManager, TokenStore};
use crate::{Error, FcCode, Secret, telemetry};

const TOKEN: &str = "/api/v1/finchat/open-api/auth/token";

/// The FinChat open API client.
///
/// ```no_run
/// # async fn demo() -> Result<(), finchat_client::Error> {
/// use finchat_client::Client;
///
/// let client = Client::builder()
///     .base_url("https://finchat.example.org")
///     .app_id("5cf29aec6ccfd004ccd28075")
///     .secret(std::env::var("FINCHAT_SECRET").unwrap_or_default())
///     .build()?;
/// let report = client
///     .messages()
///     .send(finchat_cui::MessageContent::text("hello world"))
///     .room("!112321588723954859:example.org".parse().unwrap())
///     .send()
///     .await?;
/// assert!(report.all_delivered());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub base_url: Url,
    pub app_id: String,
    secret: Secret,
    pub tokens: TokenManager,
    pub retry: RetryPolicy,
    pub batch_size: usize,
    pub concurrency: usize,
    /// The time limit of each request, set on the request so that it holds on a caller's client too.
    timeout: Duration,
    user_agent: Option<HeaderValue>,
    max_retry_after: Duration,
    max_answer_size: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("app_id", &self.inner.app_id)
            .field("secret", &self.inner.secret)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. `base_url`, `app_id` and `secret` are required.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    app_id: Option<String>,
    secret: Option<Secret>,
    timeouts: Timeouts,
    refresh_margin: Duration,
    store: Option<Arc<dyn TokenStore>>,
    fetch_tokens: bool,
    retry: RetryPolicy,
    batch_size: usize,
    concurrency: usize,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    max_retry_after: Duration,
    max_answer_size: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            app_id: None,
            secret: None,
            timeouts: Timeouts::default(),
            refresh_margin: Duration::from_secs(300),
            store: None,
            fetch_tokens: true,
            retry: RetryPolicy::default(),
            batch_size: 100,
            concurrency: 8,
            http: None,
            user_agent: None,
            max_retry_after: Duration::from_secs(60),
            max_answer_size: http::MAX_ANSWER_SIZE,
        }
    }
}

impl ClientBuilder {
    /// The server, e.g. `https://finchat.example.org`; API paths are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The app's id.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The app's secret.
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

    /// How long before its expiry a token is replaced (default 5 min), at most half the token's
    /// lifetime: a token that lives less than twice the margin is used for half its life, not
    /// fetched again on every call.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Where the token is kept (default: this process's memory).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Whether this client fetches tokens (default) or only reads them from the token store, when
    /// another process of the app fetches them; see [`crate::token`].
    pub fn fetch_tokens(mut self, fetch: bool) -> Self {
        self.fetch_tokens = fetch;
        self
    }

    /// How calls that may be repeated are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// How many targets one send request carries when a list is split (default 100).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = size.max(1);
        self
    }

    /// How many requests a fan-out runs at once (default 8).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// The longest `Retry-After` the client waits out before repeating a call (default 60 s). A
    /// server that asks for longer gets its error returned at once, with [`Error::retry_after`].
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Makes the calls on the app's own `reqwest::Client` (its proxy, TLS roots, default headers and
    /// connection pool) instead of one the builder makes. Its `User-Agent` is then left alone unless
    /// [`ClientBuilder::user_agent`] names one, and its connect time-out is its own; the total time
    /// limit ([`ClientBuilder::timeout`]) is still set on every request.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as below. The client's own
    /// follows no redirect, since every call carries the app's secret or token and reqwest sends
    /// the body again on a 307 or 308; a caller's client that follows one has already sent them on
    /// by the time the answer comes, which is then refused with an error saying so.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let http = reqwest::Client::builder()
    ///     .https_only(true)
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = finchat_client::Client::builder()
    ///     .http_client(http)
    ///     .base_url("https://finchat.example.org")
    ///     .app_id("5cf29aec6ccfd004ccd28075")
    ///     .secret(std::env::var("FINCHAT_SECRET")?)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The most bytes an API answer read into memory may hold (default 16 MiB). A longer one is
    /// an error of class `MalformedResponse` naming the call, whether or not the server announced
    /// its length; reading stops at the limit. Media downloads are not answers read whole, and are
    /// not capped.
    pub fn max_answer_size(mut self, bytes: usize) -> Self {
        self.max_answer_size = bytes;
        self
    }

    /// The `User-Agent` of every call (default `finchat-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The client, or what is missing.
    ///
    /// # Errors
    ///
    /// A configuration error ([`ErrorClass::Local`](crate::ErrorClass::Local)) when `base_url`,
    /// `app_id` or `secret` is missing, the base URL is not `http(s)://`, the user agent cannot be a
    /// header, or the HTTP client cannot be made (no TLS back end).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .ok_or_else(|| Error::config("base_url is required"))?;
        let base_url = http::base_url(
            "base_url",
            &base_url,
            "base_url must be http:// or https://",
        )
        .map_err(Error::config)?;
        let app_id = self
            .app_id
            .filter(|a| !a.is_empty())
            .ok_or_else(|| Error::config("app_id is required"))?;
        let secret = self
            .secret
            .ok_or_else(|| Error::config("secret is required"))?;
        let user_agent = match (self.user_agent, &self.http) {
            (Some(agent), _) => Some(agent),
            (None, None) => Some(http::USER_AGENT.to_owned()),
            (None, Some(_)) => None,
        };
        let user_agent = user_agent
            .map(|agent| {
                HeaderValue::try_from(agent).map_err(|_| {
                    Error::config("the user agent has characters a header cannot hold")
                })
            })
            .transpose()?;
        let http = match self.http {
            Some(client) => client,
            None => self.timeouts.client().map_err(Error::config)?,
        };
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(InMemoryTokenStore::new()));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                app_id,
                secret,
                tokens: TokenManager::new(store, self.refresh_margin, self.fetch_tokens),
                retry: self.retry,
                batch_size: self.batch_size,
                concurrency: self.concurrency,
                timeout: self.timeouts.total,
                user_agent,
                max_retry_after: self.max_retry_after,
                max_answer_size: self.max_answer_size,
            }),
        })
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

/// The body of a call.
pub(crate) enum Body {
    None,
    Json(Value),
    Bytes {
        content_type: String,
        bytes: bytes::Bytes,
    },
    Form(Vec<(String, String)>),
}

/// How a call authenticates.
pub(crate) enum Auth {
    /// The app access token, fetched as needed; a refused token is replaced once.
    App,
    /// No `Authorization` header.
    None,
    /// A fixed header value (OIDC: Basic credentials, or a user's Bearer token).
    Header(Secret),
}

/// One API call.
pub(crate) struct Call {
    pub method: Method,
    /// A path under the base URL, or a full URL when `absolute`.
    pub path: String,
    /// Whether `path` is a full URL on another host (the OIDC identity provider), made by
    /// [`Call::absolute`].
    pub absolute: bool,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    pub auth: Auth,
    pub retry: Retry,
    /// What error messages may show of the answer.
    pub quote: Quote,
    /// This request's total time limit instead of the client's (a download, whose body the
    /// caller watches for progress); the client's still limits the wait for the answer's head.
    pub timeout: Option<Duration>,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let retry = if method == Method::GET {
            Retry::Safe
        } else {
            Retry::IfNotSent
        };
        Self {
            method,
            path: path.into(),
            absolute: false,
            query: Vec::new(),
            body: Body::None,
            auth: Auth::App,
            retry,
            quote: Quote::Answer,
            timeout: None,
        }
    }

    /// A call to a full URL, not under the base URL: the identity provider is another host.
    pub fn absolute(method: Method, url: Url) -> Self {
        Self {
            absolute: true,
            ..Self::new(method, String::from(url))
        }
    }

    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The answer (success or error) may hold a token or a secret: no message quotes it, only
    /// its size and the shape of what is wrong with it.
    pub fn answer_holds_secret(mut self) -> Self {
        self.quote = Quote::Never;
        self
    }

    /// This request's total time limit instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    fn name(&self) -> String {
        if self.absolute {
            // Another host's URL (the IAM's) may carry user info: never shown.
            let shown = Url::parse(&self.path)
                .map_or_else(|_| self.path.clone(), |url| http::shown_url(&url));
            format!("{} {shown}", self.method)
        } else {
            format!("{} /{}", self.method, self.path.trim_start_matches('/'))
        }
    }
}

/// The API's error answer.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errcode: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    data: Option<Value>,
}

impl ErrorBody {
    /// The error answer in `text`, if it is one. Only an object is: serde would also read an array
    /// of strings (a list answer such as `["!a:x", "!b:x"]`) as `[errcode, error]`.
    fn read(text: &str) -> Option<ErrorBody> {
        if !text.trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(text).ok()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured by `FINCHAT_BASE_URL`, `FINCHAT_APP_ID` and `FINCHAT_SECRET`.
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` when one of the three variables is not set, and as
    /// [`ClientBuilder::build`] otherwise.
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| Error::config(format!("{name} is not set")))
        };
        Client::builder()
            .base_url(var("FINCHAT_BASE_URL")?)
            .app_id(var("FINCHAT_APP_ID")?)
            .secret(var("FINCHAT_SECRET")?)
            .build()
    }

    /// The app's id.
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The app's secret, for the calls that authenticate with it (OIDC's Basic credentials).
    pub(crate) fn secret(&self) -> &Secret {
        &self.inner.secret
    }

    pub(crate) fn url(&self, path: &str) -> Result<Url, Error> {
        http::join(&self.inner.base_url, path).map_err(Error::config)
    }

    /// The current app access token, fetched if there is none or it is about to expire.
    ///
    /// # Errors
    ///
    /// An [`Error`] when a token cannot be fetched: class `Unauthorized` (`FC_INVALID_SECRET`),
    /// `NotFound` (`FC_APP_NOT_FOUND`) or `Forbidden` (`FC_APP_NOT_PUBLISHED`) for the app's
    /// credentials, or a transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        self.inner.tokens.get(|| self.fetch_token()).await
    }

    /// Fetches a new token: `POST /api/v1/finchat/open-api/auth/token`. This invalidates the
    /// previous one, so callers go through [`Client::access_token`] instead.
    async fn fetch_token(&self) -> Result<AccessToken, Error> {
        telemetry::token(&self.inner.app_id, self.request_token()).await
    }

    async fn request_token(&self) -> Result<AccessToken, Error> {
        #[derive(Deserialize)]
        struct TokenAnswer {
            app_access_token: String,
            expires_in: u64,
        }
        let call = Call::new(Method::POST, TOKEN)
            .json(serde_json::json!({
                "app_id": self.inner.app_id,
                "secret": self.inner.secret.expose(),
            }))
            .auth(Auth::None)
            .retry(Retry::Safe)
            .answer_holds_secret();
        let name = call.name();
        let quote = call.quote;
        let response = self.call_without_token(&call).await?;
        let answer: TokenAnswer = self.read_json(response, &name, quote).await?;
        Ok(AccessToken::new(
            answer.app_access_token,
            Duration::from_secs(answer.expires_in),
        ))
    }

    /// Runs a call and reads its JSON answer.
    pub(crate) async fn call_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        self.call_json_then(call, |answer| answer).await
    }

    /// Runs a call and reads its JSON answer into what `then` makes of it, inside the call's span
    /// (so that a send's per-target results land on it).
    pub(crate) async fn call_json_then<T: DeserializeOwned, U>(
        &self,
        call: Call,
        then: impl FnOnce(T) -> U,
    ) -> Result<U, Error> {
        let name = call.name();
        let quote = call.quote;
        let span = telemetry::api_span(&call);
        let answer = async {
            let response = self.run(call).await?;
            self.read_json(response, &name, quote).await.map(then)
        };
        telemetry::api(span, answer).await
    }

    /// Runs a call: authentication, retries, and the API's error answers. The response is a success.
    pub(crate) async fn call(&self, call: Call) -> Result<reqwest::Response, Error> {
        telemetry::api(telemetry::api_span(&call), self.run(call)).await
    }

    /// [`Client::call`] without its span.
    async fn run(&self, call: Call) -> Result<reqwest::Response, Error> {
        let name = call.name();
        let mut token = None;
        let mut replaced_token = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if matches!(call.auth, Auth::App) && token.is_none() {
                token = Some(self.access_token().await.map_err(|e| e.in_call(&name))?);
            }
            let result = self.send_once(&call, token.as_ref()).await;
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if matches!(call.auth, Auth::App) && error.is_token_rejected() && !replaced_token {
                if let Some(refused) = token.take() {
                    self.inner.tokens.discard(&refused.token).await;
                }
                replaced_token = true;
                continue;
            }
            match self.wait_before_retry(&call, attempt, &error) {
                Some(wait) => {
                    tracing::debug!(call = %name, attempt, error = %error, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                }
                None => return Err(error.in_call(name)),
            }
        }
    }

    /// Runs a call that carries no app token (the token call itself, which `call` needs): the same
    /// retries, without the token's replacement.
    async fn call_without_token(&self, call: &Call) -> Result<reqwest::Response, Error> {
        let name = call.name();
        self.inner
            .retry
            .run_with_waits(
                &name,
                || self.send_once(call, None),
                |attempt, error| self.wait_before_retry(call, attempt, error),
            )
            .await
            .map_err(|e| e.in_call(name))
    }

    /// Whether try `attempt` of `call`, failed with `error`, is repeated, and after how long: what
    /// the server asked for in `Retry-After`, or else the backoff. `None` when the call may not be
    /// repeated after this error, the tries are used up, or the server asks for a longer wait than
    /// the client accepts.
    fn wait_before_retry(&self, call: &Call, attempt: u32, error: &Error) -> Option<Duration> {
        let backoff = self
            .inner
            .retry
            .backoff(attempt, call.retry.allows(error))?;
        match error.retry_after() {
            Some(wait) if wait > self.inner.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(backoff),
        }
    }

    /// Refuses a call to another host (the IAM) over plain http when the FinChat server is https:
    /// the app's secret or a user's token would cross the network in clear. An http base URL
    /// (local testing) allows an http IAM too.
    pub(crate) fn check_other_host(&self, url: &Url) -> Result<(), Error> {
        if url.scheme() == "https" || self.inner.base_url.scheme() == "http" {
            return Ok(());
        }
        Err(Error::refused(format!(
            "`{}` is not https while the FinChat server is: the app's secret or a user's token \
             would travel in clear",
            http::shown_url(url)
        )))
    }

    async fn send_once(
        &self,
        call: &Call,
        token: Option<&AccessToken>,
    ) -> Result<reqwest::Response, Error> {
        let mut url = if call.absolute {
            let url = Url::parse(&call.path)
                .map_err(|e| Error::config(format!("`{}` is not a URL: {e}", call.path)))?;
            self.check_other_host(&url)?;
            url
        } else {
            self.url(&call.path)?
        };
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url.clone())
            .timeout(call.timeout.unwrap_or(self.inner.timeout));
        if let Some(agent) = &self.inner.user_agent {
            request = request.header(USER_AGENT, agent.clone());
        }
        match &call.auth {
            Auth::App => {
                if let Some(token) = token {
                    request = request.header(AUTHORIZATION, bearer(&token.token)?);
                }
            }
            Auth::Header(value) => {
                let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
                    Error::config("an authorization value has characters a header cannot hold")
                })?;
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
            Auth::None => {}
        }
        request = match &call.body {
            Body::None => request,
            Body::Json(value) => request.json(value),
            Body::Bytes {
                content_type,
                bytes,
            } => request
                .header(CONTENT_TYPE, content_type)
                .body(bytes.clone()),
            Body::Form(pairs) => request.form(pairs),
        };
        // The head of the answer is due within the client's time-out even when the request as a
        // whole may take longer (`Call::timeout`).
        let response = tokio::time::timeout(self.inner.timeout, request.send())
            .await
            .map_err(|_| Error::timeout())?
            .map_err(Error::transport)?;
        let status = response.status();
        telemetry::record_status(status.as_u16());
        if let Some(reason) = http::redirect_refused(&response) {
            return Err(Error::api(status, FcCode::Unknown, reason, None));
        }
        if let Some(reason) = http::redirect_followed(&response, &url) {
            return Err(Error::config(reason));
        }
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = match status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(http::retry_after),
            _ => None,
        };
        let text = self.read_text(response).await?;
        Err(error_answer(status, &text, call.quote).with_retry_after(retry_after))
    }

    /// An answer's text, under the size cap ([`ClientBuilder::max_answer_size`]).
    async fn read_text(&self, response: reqwest::Response) -> Result<String, Error> {
        let limit = self.inner.max_answer_size;
        let read = http::read_answer(response, limit, "ClientBuilder::max_answer_size");
        read.await.map(|(_, text)| text)
    }

    /// Reads a successful answer's JSON; an `errcode` in it wins over the HTTP status. `quote`
    /// says what a message may show of the answer.
    async fn read_json<T: DeserializeOwned>(
        &self,
        response: reqwest::Response,
        name: &str,
        quote: Quote,
    ) -> Result<T, Error> {
        let status = response.status();
        let text = self
            .read_text(response)
            .await
            .map_err(|e| e.in_call(name))?;
        let body = if text.trim().is_empty() {
            "{}"
        } else {
            text.as_str()
        };
        // The API's error answer wins over the HTTP status: a 2xx may carry an `errcode` too.
        if let Some(answer) = ErrorBody::read(body)
            && !answer.errcode.is_empty()
        {
            return Err(error_answer(status, body, quote).in_call(name));
        }
        quote
            .json(body)
            .map_err(|reason| Error::malformed(status, reason).in_call(name))
    }
}

fn bearer(token: &Secret) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        Error::malformed(
            StatusCode::OK,
            "the access token has characters a header cannot hold",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The error an unsuccessful answer stands for: its `errcode` (with the API's `error` message)
/// when it has one, else `FC_UNKNOWN` with the start of the answer, as far as `quote` lets a
/// message show it.
pub(crate) fn error_answer(status: StatusCode, text: &str, quote: Quote) -> Error {
    match ErrorBody::read(text) {
        Some(body) if !body.errcode.is_empty() => {
            Error::api(status, FcCode::parse(&body.errcode), body.error, body.data)
        }
        _ => Error::api(status, FcCode::Unknown, quote.excerpt(text), None),
    }
}
