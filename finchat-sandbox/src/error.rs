//! What the sandbox refuses: `SandboxError` for what a person does (submit, say), and the API's
//! refusals with their `errcode`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use finchat_client::FcCode;

/// Why a person's action (a card submission, a message) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// Not one of the sandbox's people.
    #[error("`{user}` is not one of the sandbox's people; pick one of {people}")]
    UnknownUser {
        /// Who was given.
        user: String,
        /// The sandbox's people.
        people: String,
    },
    /// No such room.
    #[error("no room `{0}` in the sandbox")]
    UnknownRoom(String),
    /// The person is not a member of the room.
    #[error("`{user}` is not in room `{room}`")]
    NotInRoom {
        /// The person.
        user: String,
        /// The room.
        room: String,
    },
    /// No such message in the room.
    #[error("no message `{event}` in room `{room}`")]
    UnknownMessage {
        /// The room.
        room: String,
        /// The message's event id.
        event: String,
    },
    /// The message is not a card (`m.cui`).
    #[error("message `{0}` is not a card (m.cui); only cards can be submitted")]
    NotACard(String),
    /// The card (as this person sees it) is `loading` or `disable`, so it takes no input.
    #[error(
        "card `{event}` is `{status}` for this person; only a card in `input` takes a submission"
    )]
    CardClosed {
        /// The card's event id.
        event: String,
        /// Its status.
        status: String,
    },
    /// The pressed reply button is itself `loading` or `disable`.
    #[error("the reply button `{key}={value}` is not active")]
    ButtonClosed {
        /// The button's key.
        key: String,
        /// Its value.
        value: String,
    },
    /// A submitted key that no input, dropdown or reply button of the card has.
    #[error("card `{event}` has no input or button with key `{key}`; its keys are {keys}")]
    UnknownKey {
        /// The card's event id.
        event: String,
        /// The unknown key.
        key: String,
        /// The card's keys.
        keys: String,
    },
    /// An empty message.
    #[error("a message needs some text")]
    EmptyMessage,
    /// The room lets only its owner speak.
    #[error("only the owner of room `{0}` may speak in it")]
    Muted(String),
}

impl SandboxError {
    /// The HTTP status the sandbox's JSON endpoints answer with.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::UnknownRoom(_) | Self::UnknownMessage { .. } => StatusCode::NOT_FOUND,
            Self::NotInRoom { .. } | Self::Muted(_) => StatusCode::FORBIDDEN,
            Self::CardClosed { .. } | Self::ButtonClosed { .. } => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for SandboxError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// An API refusal: the `errcode` and the `error` text, answered as FinChat does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: FcCode,
    pub error: String,
    pub data: Option<serde_json::Value>,
}

impl Refusal {
    pub fn new(code: FcCode, error: impl Into<String>) -> Self {
        Self {
            code,
            error: error.into(),
            data: None,
        }
    }

    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn bad_json(error: impl Into<String>) -> Self {
        Self::new(FcCode::BadJson, error)
    }

    fn status(&self) -> StatusCode {
        match self.code {
            FcCode::AppNotFound
            | FcCode::RoomNotFound
            | FcCode::FcidNotFound
            | FcCode::NotFound => StatusCode::NOT_FOUND,
            FcCode::InvalidSecret | FcCode::InvalidAccessToken => StatusCode::UNAUTHORIZED,
            FcCode::Forbidden | FcCode::AppNotPublished => StatusCode::FORBIDDEN,
            FcCode::InternalError | FcCode::Unknown | FcCode::Other(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = self.status();
        tracing::debug!(errcode = self.code.as_str(), error = %self.error, "api call refused");
        let mut body = json!({ "errcode": self.code.as_str(), "error": self.error });
        if let Some(data) = self.data {
            body["data"] = data;
        }
        (status, Json(body)).into_response()
    }
}
