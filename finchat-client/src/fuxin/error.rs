//! The error of the FuXin calls: the `{success, errorCode, error}` answers, HTTP errors, transport
//! failures, time-outs and unreadable answers. Messages are short, lowercase, name the call, and
//! never hold the secret or a token.

use std::fmt;

use reqwest::StatusCode;

use crate::http::Failure;

/// An error of a FuXin call.
///
/// Ask it what happened with [`Error::error_code`], [`Error::status`], [`Error::is_unauthorized`],
/// [`Error::is_timeout`], [`Error::is_transport`], [`Error::is_malformed_response`].
pub struct Error {
    kind: Kind,
    /// Which call failed, e.g. `POST /gateway/oauth2/token/getAccessToken`.
    call: Option<String>,
}

enum Kind {
    /// The server answered with an error: an HTTP error status, or `success: false` / a non-zero
    /// `errorCode` in the envelope.
    Api {
        status: StatusCode,
        code: Option<i64>,
        message: String,
    },
    /// The request did not complete, no answer came in time, or it could not be read.
    Failure(Failure),
    /// The client is not configured right.
    Config(String),
    /// A [`TokenFetcher`](super::TokenFetcher) other than the client could not get a grant.
    Fetch(String),
}

impl Error {
    pub(crate) fn api(status: StatusCode, code: Option<i64>, message: impl Into<String>) -> Self {
        Self::new(Kind::Api {
            status,
            code,
            message: message.into(),
        })
    }

    pub(crate) fn transport(error: reqwest::Error) -> Self {
        Self::new(Kind::Failure(Failure::transport(error)))
    }

    pub(crate) fn malformed(status: StatusCode, reason: impl Into<String>) -> Self {
        Self::new(Kind::Failure(Failure::malformed(status, reason)))
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::new(Kind::Config(reason.into()))
    }

    /// The error of a [`TokenFetcher`](super::TokenFetcher) other than [`Client`](super::Client)
    /// (a cache, another transport, a test's fake): `reason` says why it has no grant.
    pub fn fetch_failed(reason: impl Into<String>) -> Self {
        Self::new(Kind::Fetch(reason.into()))
    }

    fn new(kind: Kind) -> Self {
        Self { kind, call: None }
    }

    pub(crate) fn in_call(mut self, call: impl Into<String>) -> Self {
        self.call.get_or_insert_with(|| call.into());
        self
    }

    /// The envelope's `errorCode`, when the server answered with one.
    pub fn error_code(&self) -> Option<i64> {
        match &self.kind {
            Kind::Api { code, .. } => *code,
            _ => None,
        }
    }

    /// The envelope's `error` text (or the start of a non-envelope answer), when the server answered.
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            Kind::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            Kind::Api { status, .. } => Some(*status),
            Kind::Failure(failure) => failure.status(),
            _ => None,
        }
    }

    /// The server answered HTTP 401: the token (or the credentials) were refused.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// No answer came within the time-out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, Kind::Failure(Failure::Timeout))
    }

    /// The request failed on the way (connection, TLS, reset), not with an answer.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Failure(Failure::Transport(_)))
    }

    /// The server answered something that could not be read.
    pub fn is_malformed_response(&self) -> bool {
        matches!(self.kind, Kind::Failure(Failure::Malformed { .. }))
    }

    /// Whether the request cannot have reached the server (the connection was never made).
    pub(crate) fn never_reached_server(&self) -> bool {
        matches!(&self.kind, Kind::Failure(failure) if failure.never_reached_server())
    }

    /// Whether repeating a harmless call may help: transport errors, time-outs, 5xx answers.
    pub(crate) fn is_transient(&self) -> bool {
        match &self.kind {
            Kind::Failure(Failure::Transport(_) | Failure::Timeout) => true,
            Kind::Api { status, .. } => status.is_server_error(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(call) = &self.call {
            write!(f, "{call}: ")?;
        }
        match &self.kind {
            Kind::Api {
                status,
                code,
                message,
            } => {
                match code {
                    Some(code) => write!(f, "errorCode {code} (http {})", status.as_u16())?,
                    None => write!(f, "http {}", status.as_u16())?,
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Kind::Failure(failure) => failure.fmt(f),
            Kind::Config(reason) => write!(f, "fuxin client configuration: {reason}"),
            Kind::Fetch(reason) => write!(f, "no token: {reason}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fuxin::Error({self})")
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Failure(failure) => failure.source(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_call_the_code_and_the_status() {
        let error = Error::api(StatusCode::OK, Some(10001), "secret错误")
            .in_call("POST /gateway/oauth2/token/getAccessToken");
        assert_eq!(
            error.to_string(),
            "POST /gateway/oauth2/token/getAccessToken: errorCode 10001 (http 200): secret错误"
        );
        let plain = Error::api(StatusCode::UNAUTHORIZED, None, "");
        assert_eq!(plain.to_string(), "http 401");
        assert!(plain.is_unauthorized());
    }
}
