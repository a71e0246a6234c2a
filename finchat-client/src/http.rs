//! The plumbing the three HTTP clients share (FinChat's, and FuXin's and GoBelieve's behind their
//! features): the time limits and the reqwest client their builders make, their base URLs, the
//! failures on the way to and from a server, and the start of an answer quoted in messages.
//!
//! The functions that can fail return the reason of a configuration error; each client wraps it in
//! its own error type.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
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
    /// The HTTP client with these limits.
    pub fn client(self) -> Result<reqwest::Client, String> {
        install_crypto_provider();
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(self.total)
            .connect_timeout(self.connect)
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
/// kinds and asks it what happened.
pub(crate) enum Failure {
    /// The request did not complete: connection refused, reset, TLS, …
    Transport(reqwest::Error),
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
            Self::Transport(error.without_url())
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
            Self::Transport(error) => std::error::Error::source(error),
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
