//! The one error type of the client: the API's `{errcode, error}` answers, transport failures, time-outs,
//! malformed responses, and content refused before it was sent. Messages are short, lowercase, and never
//! hold a secret or a token.

use std::fmt;
use std::time::Duration;

use finchat_cui::Problems;
use reqwest::StatusCode;
use serde_json::Value;

use crate::FcCode;
use crate::http::Failure;

/// An error of the FinChat client.
///
/// Ask it what happened with [`Error::fc_code`], [`Error::status`], [`Error::is_timeout`],
/// [`Error::is_transport`], [`Error::is_malformed_response`], [`Error::problems`].
///
/// Cheap to clone: one failed token fetch answers every caller that waited for it.
#[derive(Clone)]
pub struct Error {
    /// Boxed, so that a `Result<_, Error>` stays small.
    kind: Box<Kind>,
    /// Which call failed, e.g. `POST /api/v1/finchat/open-api/message/send`.
    call: Option<String>,
}

#[derive(Clone)]
enum Kind {
    /// The server answered with an error.
    Api {
        status: StatusCode,
        code: FcCode,
        message: String,
        data: Option<Value>,
        /// The server's `Retry-After`, on a 429 or 503.
        retry_after: Option<Duration>,
    },
    /// The request did not complete, no answer came in time, or it could not be read.
    Failure(Failure),
    /// Content that breaks the format's rules; nothing was sent.
    InvalidContent(Problems),
    /// A request this client refuses to send as it is (see the message).
    Refused(String),
    /// The client is not configured right.
    Config(String),
    /// The shared token store could not be asked (Redis down, say).
    TokenStore(String),
    /// Writing what was received (a download) failed here; `what` names where.
    Write {
        what: String,
        /// Shared, so that the error stays cheap to clone.
        source: std::sync::Arc<std::io::Error>,
    },
}

impl Error {
    pub(crate) fn api(
        status: StatusCode,
        code: FcCode,
        message: String,
        data: Option<Value>,
    ) -> Self {
        Self::new(Kind::Api {
            status,
            code,
            message,
            data,
            retry_after: None,
        })
    }

    /// The same error, with the wait the server asked for in `Retry-After`.
    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        if let Kind::Api { retry_after, .. } = &mut *self.kind {
            *retry_after = wait;
        }
        self
    }

    pub(crate) fn transport(error: reqwest::Error) -> Self {
        Self::new(Kind::Failure(Failure::transport(error)))
    }

    pub(crate) fn malformed(status: StatusCode, reason: impl Into<String>) -> Self {
        Self::new(Kind::Failure(Failure::malformed(status, reason)))
    }

    pub(crate) fn invalid_content(problems: Problems) -> Self {
        Self::new(Kind::InvalidContent(problems))
    }

    pub(crate) fn refused(reason: impl Into<String>) -> Self {
        Self::new(Kind::Refused(reason.into()))
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::new(Kind::Config(reason.into()))
    }

    /// The shared token store failed; `reason` never holds the token.
    pub(crate) fn token_store(reason: impl Into<String>) -> Self {
        Self::new(Kind::TokenStore(reason.into()))
    }

    /// No answer, or no progress, in time.
    pub(crate) fn timeout() -> Self {
        Self::new(Kind::Failure(Failure::Timeout))
    }

    /// Writing what was received to `what` (a file, a writer) failed.
    pub(crate) fn write(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::new(Kind::Write {
            what: what.into(),
            source: std::sync::Arc::new(source),
        })
    }

    fn new(kind: Kind) -> Self {
        Self {
            kind: Box::new(kind),
            call: None,
        }
    }

    pub(crate) fn in_call(mut self, call: impl Into<String>) -> Self {
        self.call.get_or_insert_with(|| call.into());
        self
    }

    /// The API's `errcode`, when the server answered with one.
    pub fn fc_code(&self) -> Option<&FcCode> {
        match &*self.kind {
            Kind::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &*self.kind {
            Kind::Api { status, .. } => Some(*status),
            Kind::Failure(failure) => failure.status(),
            _ => None,
        }
    }

    /// The `data` the server sent with its error, if any.
    pub fn data(&self) -> Option<&Value> {
        match &*self.kind {
            Kind::Api { data, .. } => data.as_ref(),
            _ => None,
        }
    }

    /// How long the server asked the client to wait before trying again (`Retry-After` on a 429 or
    /// 503 answer). The client waits it out itself when it may repeat the call and the wait is
    /// within [`ClientBuilder::max_retry_after`](crate::ClientBuilder::max_retry_after); this is
    /// what it was told when it gave up.
    pub fn retry_after(&self) -> Option<Duration> {
        match &*self.kind {
            Kind::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// What kind of failure this is: the `errcode` decides, and the HTTP status when the code is
    /// `FC_UNKNOWN` or absent (as the API documents).
    pub fn class(&self) -> ErrorClass {
        match &*self.kind {
            Kind::Api { status, code, .. } => ErrorClass::of(code, *status),
            Kind::Failure(Failure::Transport(_)) => ErrorClass::Transport,
            Kind::Failure(Failure::Timeout) => ErrorClass::Timeout,
            Kind::Failure(Failure::Malformed { .. }) => ErrorClass::MalformedResponse,
            Kind::InvalidContent(_)
            | Kind::Refused(_)
            | Kind::Config(_)
            | Kind::TokenStore(_)
            | Kind::Write { .. } => ErrorClass::Local,
        }
    }

    /// No answer came within the time-out.
    pub fn is_timeout(&self) -> bool {
        matches!(*self.kind, Kind::Failure(Failure::Timeout))
    }

    /// The request failed on the way (connection, TLS, reset), not with an answer.
    pub fn is_transport(&self) -> bool {
        matches!(*self.kind, Kind::Failure(Failure::Transport(_)))
    }

    /// The server answered something that could not be read.
    pub fn is_malformed_response(&self) -> bool {
        matches!(*self.kind, Kind::Failure(Failure::Malformed { .. }))
    }

    /// The content broke the format's rules, so nothing was sent; these are the problems.
    pub fn problems(&self) -> Option<&Problems> {
        match &*self.kind {
            Kind::InvalidContent(problems) => Some(problems),
            _ => None,
        }
    }

    /// Whether the server said the app's access token is missing, wrong or expired: the token
    /// errcode `FC_INVALID_ACCESS_TOKEN`, or a 401 or 403 that names no errcode (none, or
    /// `FC_UNKNOWN`), which the API documents as "app_access_token missing or expired". A 401 or
    /// 403 with any other errcode (`FC_FORBIDDEN`, `FC_APP_NOT_PUBLISHED`, one this client does not
    /// know) refuses the call, not the token, which is kept.
    pub(crate) fn is_token_rejected(&self) -> bool {
        match &*self.kind {
            Kind::Api { status, code, .. } => match code {
                FcCode::InvalidAccessToken => true,
                FcCode::Unknown => {
                    matches!(*status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether the request cannot have reached the server (the connection was never made).
    pub(crate) fn never_reached_server(&self) -> bool {
        matches!(&*self.kind, Kind::Failure(failure) if failure.never_reached_server())
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The request was wrong (`FC_BAD_JSON`, 400).
    BadRequest,
    /// The app's credentials or token were refused (`FC_INVALID_SECRET`, `FC_INVALID_ACCESS_TOKEN`, 401).
    Unauthorized,
    /// The app may not do this (`FC_FORBIDDEN`, `FC_APP_NOT_PUBLISHED`, 403).
    Forbidden,
    /// Something does not exist (`FC_*_NOT_FOUND`, 404).
    NotFound,
    /// Too many targets in one request (`FC_MESSAGE_*_LIMIT_EXCEEDED`).
    LimitExceeded,
    /// A user is or is not in a room, against what was asked.
    Conflict,
    /// Too many requests (429): the server refused this one and may say when to come back
    /// ([`Error::retry_after`]).
    RateLimited,
    /// The server failed (`FC_INTERNAL_ERROR`, 5xx).
    Server,
    /// Another answer.
    Other,
    /// The request did not complete.
    Transport,
    /// No answer in time.
    Timeout,
    /// An answer that could not be read.
    MalformedResponse,
    /// Refused before anything was sent, or a local failure (writing a download).
    Local,
}

impl ErrorClass {
    fn of(code: &FcCode, status: StatusCode) -> Self {
        match code {
            FcCode::BadJson | FcCode::RoomIsNotFederate => Self::BadRequest,
            FcCode::InvalidSecret | FcCode::InvalidAccessToken => Self::Unauthorized,
            FcCode::Forbidden | FcCode::AppNotPublished => Self::Forbidden,
            FcCode::AppNotFound
            | FcCode::RoomNotFound
            | FcCode::FcidNotFound
            | FcCode::NotFound => Self::NotFound,
            FcCode::MessageFcidLimitExceeded | FcCode::MessageRoomIdLimitExceeded => {
                Self::LimitExceeded
            }
            FcCode::FcidAlreadyInRoom | FcCode::FcidNotInRoom => Self::Conflict,
            FcCode::InternalError => Self::Server,
            FcCode::Unknown | FcCode::Other(_) => match status.as_u16() {
                400 | 422 => Self::BadRequest,
                401 => Self::Unauthorized,
                403 => Self::Forbidden,
                404 => Self::NotFound,
                409 => Self::Conflict,
                429 => Self::RateLimited,
                500..=599 => Self::Server,
                _ => Self::Other,
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(call) = &self.call {
            write!(f, "{call}: ")?;
        }
        match &*self.kind {
            Kind::Api {
                status,
                code,
                message,
                ..
            } => {
                write!(f, "{code} (http {})", status.as_u16())?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Kind::Failure(failure) => failure.fmt(f),
            Kind::InvalidContent(problems) => {
                write!(
                    f,
                    "content not sent, it breaks the format's rules:\n{problems}"
                )
            }
            Kind::Refused(reason) => write!(f, "not sent: {reason}"),
            Kind::Config(reason) => write!(f, "client configuration: {reason}"),
            Kind::TokenStore(reason) => write!(f, "token store: {reason}"),
            Kind::Write { what, source } => write!(f, "cannot write {what}: {source}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({self})")
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            // The message already holds the problems, and the transport error's own text.
            Kind::Failure(failure) => failure.source(),
            Kind::Write { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errcode_wins_over_the_status_and_fc_unknown_falls_back_to_it() {
        let not_found = Error::api(StatusCode::OK, FcCode::RoomNotFound, String::new(), None);
        assert_eq!(not_found.class(), ErrorClass::NotFound);
        let unknown = |status: u16| {
            Error::api(
                StatusCode::from_u16(status).unwrap(),
                FcCode::Unknown,
                String::new(),
                None,
            )
            .class()
        };
        assert_eq!(unknown(404), ErrorClass::NotFound);
        assert_eq!(unknown(503), ErrorClass::Server);
        assert_eq!(unknown(401), ErrorClass::Unauthorized);
        let forbidden_by_code = Error::api(
            StatusCode::NOT_FOUND,
            FcCode::Forbidden,
            String::new(),
            None,
        );
        assert_eq!(forbidden_by_code.class(), ErrorClass::Forbidden);
    }

    #[test]
    fn every_documented_code_has_a_class() {
        for code in FcCode::KNOWN {
            let error = Error::api(
                StatusCode::IM_A_TEAPOT,
                FcCode::parse(code),
                String::new(),
                None,
            );
            let class = error.class();
            if *code == "FC_UNKNOWN" {
                assert_eq!(class, ErrorClass::Other, "{code}");
            } else {
                assert_ne!(class, ErrorClass::Other, "{code}");
            }
        }
    }

    #[test]
    fn messages_name_the_call_and_the_code() {
        let error = Error::api(
            StatusCode::OK,
            FcCode::RoomNotFound,
            "房间不存在".into(),
            None,
        )
        .in_call("POST /api/v1/finchat/open-api/message/send");
        assert_eq!(
            error.to_string(),
            "POST /api/v1/finchat/open-api/message/send: FC_ROOM_NOT_FOUND (http 200): 房间不存在"
        );
    }
}
