//! The error of the GoBelieve calls: the `meta` of an error answer, HTTP errors, transport failures,
//! time-outs, unreadable answers, and requests refused before they were sent. Messages are short,
//! lowercase, name the call, and never hold the secret or a token.

use std::fmt;

use reqwest::StatusCode;

use crate::http::Failure;

/// An error of a GoBelieve call.
///
/// Ask it what happened with [`Error::status`], [`Error::meta_code`], [`Error::message`],
/// [`Error::is_unauthorized`], [`Error::is_timeout`], [`Error::is_transport`],
/// [`Error::is_malformed_response`], [`Error::is_refused`].
pub struct Error {
    kind: Kind,
    /// Which call failed, e.g. `POST /messages/peers`.
    call: Option<String>,
}

enum Kind {
    /// The server answered with an error: an HTTP error status, or a `meta.code` that is not a
    /// success.
    Api {
        status: StatusCode,
        code: Option<String>,
        message: String,
    },
    /// The request did not complete, no answer came in time, or it could not be read.
    Failure(Failure),
    /// A request this client refuses to send as it is (see the message).
    Refused(String),
    /// The client is not configured right.
    Config(String),
}

impl Error {
    pub(crate) fn api(
        status: StatusCode,
        code: Option<String>,
        message: impl Into<String>,
    ) -> Self {
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

    pub(crate) fn refused(reason: impl Into<String>) -> Self {
        Self::new(Kind::Refused(reason.into()))
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::new(Kind::Config(reason.into()))
    }

    fn new(kind: Kind) -> Self {
        Self { kind, call: None }
    }

    pub(crate) fn in_call(mut self, call: impl Into<String>) -> Self {
        self.call.get_or_insert_with(|| call.into());
        self
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            Kind::Api { status, .. } => Some(*status),
            Kind::Failure(failure) => failure.status(),
            _ => None,
        }
    }

    /// The answer's `meta.code` (a number is given in decimal), when it had one.
    pub fn meta_code(&self) -> Option<&str> {
        match &self.kind {
            Kind::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The answer's `meta.message` (or the start of an answer without `meta`), when the server
    /// answered.
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            Kind::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The server answered HTTP 401: the app's credentials or the user's token were refused.
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

    /// The request was refused before it was sent (empty content, a setting the endpoint lacks).
    pub fn is_refused(&self) -> bool {
        matches!(self.kind, Kind::Refused(_))
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
                write!(f, "http {}", status.as_u16())?;
                if let Some(code) = code {
                    write!(f, ", code {code}")?;
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Kind::Failure(failure) => failure.fmt(f),
            Kind::Refused(reason) => write!(f, "not sent: {reason}"),
            Kind::Config(reason) => write!(f, "gobelieve client configuration: {reason}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gobelieve::Error({self})")
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
    fn messages_name_the_call_the_status_and_the_meta() {
        let error = Error::api(StatusCode::BAD_REQUEST, Some("400".into()), "no authority")
            .in_call("DELETE /groups/7/members/9");
        assert_eq!(
            error.to_string(),
            "DELETE /groups/7/members/9: http 400, code 400: no authority"
        );
        assert_eq!(
            Error::refused("the content is empty").to_string(),
            "not sent: the content is empty"
        );
    }
}
