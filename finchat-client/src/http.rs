//! The plumbing the three HTTP clients share (FinChat's, and FuXin's and GoBelieve's behind their
//! features): the time limits and the reqwest client their builders make (which follows no
//! redirect), their base URLs, the failures on the way to and from a server, answers read under a
//! size cap, and what of an answer a message may quote.
//!
//! The functions that can fail return the reason of a configuration error; each client wraps it in
//! its own error type.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

/// The `User-Agent` the clients send unless told otherwise.
pub(crate) const USER_AGENT: &str = concat!("finchat-client/", env!("CARGO_PKG_VERSION"));

/// The wait a `Retry-After` value asks for: delay-seconds, or an HTTP date (a date in the past is no
/// wait). `None` when it is neither.
pub(crate) fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The most an API answer read into memory may hold unless a client is told otherwise: 16 MiB.
pub(crate) const MAX_ANSWER_SIZE: usize = 16 << 20;

/// How long a request may take: in all, and to connect (defaults 30 s and 10 s).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub total: Duration,
    pub connect: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            total: Duration::from_secs(30),
            connect: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    /// The HTTP client with these limits. It follows no redirect: every call of the three clients
    /// carries a secret (an app secret, a token, server credentials), and on a 307 or 308 reqwest
    /// would send the body again, secret and all, to wherever the answer points. A redirect comes
    /// back as an answer, which the clients turn into an error naming it ([`redirect_refused`]).
    pub fn client(self) -> Result<reqwest::Client, String> {
        install_crypto_provider();
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(self.total)
            .connect_timeout(self.connect)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))
    }
}

/// With the `rustls-ring` feature, makes ring the process's rustls crypto provider, unless the app
/// installed one itself; reqwest refuses to build a client without one.
fn install_crypto_provider() {
    #[cfg(feature = "rustls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first; either way a provider is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The setting `name` (`base_url`, …) as a base URL: an `http://` or `https://` URL whose path ends
/// with `/`, so that API paths join under it. `not_http` is the reason given for another scheme,
/// which each client words its own way.
pub(crate) fn base_url(name: &str, url: &str, not_http: &str) -> Result<Url, String> {
    let mut parsed = Url::parse(url).map_err(|e| format!("{name} `{url}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(not_http.to_owned());
    }
    if !parsed.path().ends_with('/') {
        parsed.set_path(&format!("{}/", parsed.path()));
    }
    Ok(parsed)
}

/// `path` (with or without its leading `/`) under `base`, a URL made by [`base_url`].
pub(crate) fn join(base: &Url, path: &str) -> Result<Url, String> {
    base.join(path.trim_start_matches('/'))
        .map_err(|e| format!("cannot join `{path}` to the base URL: {e}"))
}

/// A call that failed without an answer the API meant: the request did not complete, no answer
/// came in time, or the answer could not be read. Each client's error holds one of these among its
/// kinds and asks it what happened. Cheap to clone, so that one failure can answer several callers.
#[derive(Clone)]
pub(crate) enum Failure {
    /// The request did not complete: connection refused, reset, TLS, …
    Transport(Arc<reqwest::Error>),
    /// No answer within the time-out.
    Timeout,
    /// The server answered something this client cannot read.
    Malformed { status: StatusCode, reason: String },
}

impl Failure {
    /// A time-out, or else a transport failure; the URL is dropped, as it may hold a token.
    pub fn transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else {
            Self::Transport(Arc::new(error.without_url()))
        }
    }

    pub fn malformed(status: StatusCode, reason: impl Into<String>) -> Self {
        Self::Malformed {
            status,
            reason: reason.into(),
        }
    }

    /// The HTTP status of the unreadable answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Malformed { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the request cannot have reached the server (the connection was never made).
    pub fn never_reached_server(&self) -> bool {
        matches!(self, Self::Transport(e) if e.is_connect())
    }

    /// The transport error, as the source of the client's error.
    ///
    /// The message already quotes the transport error, so the chain goes on from *its* cause: a cause
    /// chain printed in full says each thing once.
    pub fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(error) => std::error::Error::source(&**error),
            _ => None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(error) => write!(f, "request failed: {error}"),
            Self::Timeout => f.write_str("no answer in time"),
            Self::Malformed { status, reason } => {
                write!(f, "unreadable answer (http {}): {reason}", status.as_u16())
            }
        }
    }
}

/// Why an answer is refused because it is a redirect (3xx): where it points (without its query,
/// which may hold anything), and that it was not followed. `None` for any other answer.
pub(crate) fn redirect_refused(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| response.url().join(location).ok())
        .map_or_else(|| "nowhere readable".to_owned(), |url| shown_url(&url));
    Some(format!(
        "redirected to `{target}`; not followed, as the call carries credentials that must not \
         go anywhere else (change the base URL if the server has moved)"
    ))
}

/// Why an answer is refused because it came from another URL than `asked`: the caller's own
/// `reqwest::Client` followed a redirect, and so sent the call's credentials on. `None` when the
/// answer is the asked URL's.
pub(crate) fn redirect_followed(response: &reqwest::Response, asked: &Url) -> Option<String> {
    (response.url() != asked).then(|| {
        format!(
            "the answer came through a redirect to `{}`, which the app's reqwest::Client \
             followed with the call's credentials; build that client with \
             `.redirect(reqwest::redirect::Policy::none())`",
            shown_url(response.url())
        )
    })
}

/// A URL for a message: without user info, query or fragment.
pub(crate) fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.into()
}

/// The two ways each client's error says that an answer could not be read.
pub(crate) trait AnswerError {
    /// The connection failed while the answer arrived.
    fn transport(error: reqwest::Error) -> Self;
    /// The answer cannot be read (here: it is too large).
    fn malformed(status: StatusCode, reason: String) -> Self;
}

/// The status and body text of an answer, read chunk by chunk and refused as soon as it passes
/// `limit` bytes: a `Content-Length` over the limit is refused before reading, and a body without
/// one is cut off at the limit, so an endless or huge answer never fills the memory. The refusal
/// names `setting`, which raises the limit.
pub(crate) async fn read_answer<E: AnswerError>(
    mut response: reqwest::Response,
    limit: usize,
    setting: &str,
) -> Result<(StatusCode, String), E> {
    let status = response.status();
    let too_large = || {
        E::malformed(
            status,
            format!("the answer is over {limit} bytes, the most this client reads ({setting})"),
        )
    };
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let expected = announced.map_or(0, |length| length as usize);
    let mut body = Vec::with_capacity(expected.min(limit));
    while let Some(chunk) = response.chunk().await.map_err(E::transport)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(not_utf8) => String::from_utf8_lossy(not_utf8.as_bytes()).into_owned(),
    };
    Ok((status, text))
}

/// What an error message may show of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    /// Its start: an ordinary answer.
    Answer,
    /// Nothing but its size and the shape of what is wrong with it: an answer that may hold a
    /// token or a secret (a token answer, and the error answers of the calls that send a secret).
    Never,
}

impl Quote {
    /// `text` as a message shows it.
    pub fn excerpt(self, text: &str) -> String {
        match self {
            Quote::Answer => excerpt(text),
            Quote::Never => {
                let shown = format!("{} bytes, not quoted as it may hold a secret", text.len());
                match oauth_error_code(text) {
                    Some(code) => format!("`{code}` ({shown})"),
                    None => shown,
                }
            }
        }
    }

    /// `text` read as `T`, or why not: serde's reason and the start of the answer, or, when the
    /// answer may not be quoted, only what is wrong and where (see [`shape_problem`]).
    pub fn json<T: DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Quote::Answer => serde_json::from_str(text)
                .map_err(|e| format!("{e}; the answer was {}", excerpt(text))),
            Quote::Never => {
                let mut de = serde_json::Deserializer::from_str(text);
                let value = serde_path_to_error::deserialize(&mut de)
                    .map_err(|e| shape_problem("", &e.path().to_string(), e.inner()))?;
                de.end().map_err(|e| shape_problem("", "", &e))?;
                Ok(value)
            }
        }
    }

    /// `value`, the field `at` of an answer, read as `T`, or why not, as [`Quote::json`] says it.
    #[cfg(any(feature = "fuxin", feature = "gobelieve"))]
    pub fn value<T: DeserializeOwned>(
        self,
        value: serde_json::Value,
        at: &str,
    ) -> Result<T, String> {
        match self {
            Quote::Answer => serde_json::from_value(value).map_err(|e| format!("`{at}`: {e}")),
            Quote::Never => serde_path_to_error::deserialize(value)
                .map_err(|e| shape_problem(at, &e.path().to_string(), e.inner())),
        }
    }
}

/// The `error` of an OAuth 2.0 error answer (RFC 6749 §5.2: `invalid_grant`, …), which names the
/// refusal and cannot hold a secret: only an identifier of at most 64 characters is taken.
fn oauth_error_code(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: String,
    }
    let code = serde_json::from_str::<OAuthError>(text).ok()?.error;
    let is_code = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    is_code.then_some(code)
}

/// What is wrong with an answer that may not be quoted, and where, without any of its values:
/// the kind of problem, the type that was expected, a field name when the type names it (a missing
/// field), the JSON path under `at`, and the line and column.
///
/// serde's own messages quote the value they stumbled on (`invalid type: string "…", expected
/// u64`), so only the parts of them that come from the type are kept.
fn shape_problem(at: &str, path: &str, error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let mut reason = match error.classify() {
        Category::Syntax => "not JSON".to_owned(),
        Category::Eof => "not JSON (it ends early)".to_owned(),
        Category::Io => "unreadable".to_owned(),
        Category::Data => data_problem(&message_without_position(error)),
    };
    // serde_path_to_error writes `.` for the top and `?` for a place it cannot name.
    let path = path.trim_start_matches('.');
    let path = if path == "?" { "" } else { path };
    let place = match (at, path) {
        ("", "") => String::new(),
        (at, "") => at.to_owned(),
        ("", path) => path.to_owned(),
        (at, path) => format!("{at}.{path}"),
    };
    if !place.is_empty() {
        reason.push_str(&format!(" at `{place}`"));
    }
    if error.line() > 0 {
        reason.push_str(&format!(
            " (line {}, column {})",
            error.line(),
            error.column()
        ));
    }
    reason.push_str("; the answer is not quoted, as it may hold a secret");
    reason
}

/// serde_json's message without the ` at line L column C` it ends with.
fn message_without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => message,
    }
}

/// The parts of serde's data error `message` that come from the type, not from the answer.
fn data_problem(message: &str) -> String {
    // These name a field of the type.
    if message.starts_with("missing field `") || message.starts_with("duplicate field `") {
        return message.to_owned();
    }
    // serde's `Unexpected` kinds, and serde_json's `null`; any other text after "invalid type: "
    // is not serde's and is dropped.
    const FOUND: &[&str] = &[
        "null",
        "boolean",
        "integer",
        "floating point",
        "character",
        "string",
        "byte array",
        "unit value",
        "Option value",
        "newtype struct",
        "sequence",
        "map",
        "enum",
        "unit variant",
        "newtype variant",
        "tuple variant",
        "struct variant",
    ];
    const KINDS: &[&str] = &[
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "unknown field",
    ];
    let Some(kind) = KINDS.iter().find(|kind| message.starts_with(**kind)) else {
        return "a value of the wrong type or form".to_owned();
    };
    let mut problem = (*kind).to_owned();
    if let Some(found) = message.strip_prefix("invalid type: ") {
        let found = found
            .split(['"', '`', ','])
            .next()
            .unwrap_or_default()
            .trim();
        if FOUND.contains(&found) {
            problem.push_str(&format!(": {found}"));
        }
    }
    if let Some((_, expected)) = message.rsplit_once(", expected ") {
        problem.push_str(&format!(", expected {expected}"));
    }
    problem
}

/// The start of an answer, for messages.
pub(crate) fn excerpt(text: &str) -> String {
    const MAX: usize = 200;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_http_and_ends_with_a_slash() {
        let base = base_url("base_url", "https://x.example.org/prefix", "not http").unwrap();
        assert_eq!(base.as_str(), "https://x.example.org/prefix/");
        assert_eq!(
            join(&base, "/a/b").unwrap().as_str(),
            "https://x.example.org/prefix/a/b"
        );
        assert_eq!(
            base_url("base_url", "ftp://x", "not http").unwrap_err(),
            "not http"
        );
        assert!(
            base_url("base_url", "x", "not http")
                .unwrap_err()
                .starts_with("base_url `x` is not a URL: ")
        );
    }

    #[test]
    fn a_shape_problem_keeps_what_the_type_says_and_drops_what_the_answer_says() {
        assert_eq!(
            data_problem(r#"invalid type: string "SECRET, expected x", expected u64"#),
            "invalid type: string, expected u64"
        );
        assert_eq!(
            data_problem("unknown variant `SECRET`, expected one of `a`, `b`"),
            "unknown variant, expected one of `a`, `b`"
        );
        assert_eq!(
            data_problem("missing field `access_token`"),
            "missing field `access_token`"
        );
        assert_eq!(
            data_problem("`SECRET` is not a number of seconds"),
            "a value of the wrong type or form"
        );
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only read")]
        struct Answer {
            token: String,
            kind: Kind,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Kind {
            Bearer,
        }
        let error = Quote::Never
            .json::<Answer>(r#"{"token": "SECRET", "kind": "SECRET-KIND"}"#)
            .unwrap_err();
        assert!(!error.contains("SECRET"), "{error}");
        assert!(error.contains("at `kind`"), "{error}");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        let later = SystemTime::now() + Duration::from_secs(120);
        let wait = retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(
            wait > Duration::from_secs(110) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        let earlier = SystemTime::now() - Duration::from_secs(120);
        assert_eq!(
            retry_after(&httpdate::fmt_http_date(earlier)),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
        assert_eq!(retry_after("-5"), None);
    }
}
