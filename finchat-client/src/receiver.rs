//! The webhook receiver: an axum `Router` for the app's callback (events, PUT) and shortcut search
//! (POST), to mount in the app's own server or serve on its own.
//!
//! - The `token` is checked in constant time, and `app_id` when the server sends one: a wrong one is
//!   401. Malformed JSON is 400 with a message, a body over the limit 413; no input makes it panic.
//!   Each refusal is logged at WARN with its reason, never the token (see [`crate::telemetry`]).
//! - 200 only when the handler succeeded (or durably queued the event); a failure, a panic or a
//!   handler over its deadline (below FinChat's 30 s) is 5xx, so FinChat delivers the event again.
//! - A redelivered event is acknowledged but not handled twice (`event_id`, bounded memory).
//! - A search is answered within its deadline (below FinChat's 5 s): a late handler gives no results.

mod dedupe;

pub use dedupe::{DedupeStore, InMemoryDedupe, Seen};

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use serde_json::json;
use tracing::Instrument;

use crate::Secret;
use crate::dispatcher::{Dispatched, Dispatcher};
use crate::events::{Callback, Event, SearchRequest, SearchResponse};
use crate::telemetry::{self, record_outcome};

/// The receiver of an app's callbacks.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use finchat_client::{Dispatcher, Receiver};
///
/// let dispatcher = Dispatcher::new(()).on_message(|_, event, message| async move {
///     println!("{}: {}", event.sender, message.to_plain_text());
///     Ok(())
/// });
/// let receiver = Receiver::new(dispatcher, std::env::var("FINCHAT_CALLBACK_TOKEN").unwrap_or_default())
///     .app_id("5cf29aec6ccfd004ccd28075");
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// axum::serve(listener, receiver.router()).await
/// # }
/// ```
pub struct Receiver<S> {
    dispatcher: Arc<Dispatcher<S>>,
    token: Secret,
    app_id: Option<String>,
    events_path: String,
    search_path: String,
    body_limit: usize,
    handler_deadline: Duration,
    search_deadline: Duration,
    dedupe: Arc<dyn DedupeStore>,
}

impl<S: Send + Sync + 'static> Receiver<S> {
    /// A receiver that hands events to `dispatcher` and accepts pushes that carry `token`.
    pub fn new(dispatcher: Dispatcher<S>, token: impl Into<Secret>) -> Self {
        Self {
            dispatcher: Arc::new(dispatcher),
            token: token.into(),
            app_id: None,
            events_path: "/callback".into(),
            search_path: "/search".into(),
            body_limit: 1 << 20,
            handler_deadline: Duration::from_secs(25),
            search_deadline: Duration::from_millis(4500),
            dedupe: Arc::new(InMemoryDedupe::default()),
        }
    }

    /// Also requires this `app_id` when a push carries one.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The path events are PUT to (default `/callback`).
    pub fn events_path(mut self, path: impl Into<String>) -> Self {
        self.events_path = path.into();
        self
    }

    /// The path searches are POSTed to (default `/search`).
    pub fn search_path(mut self, path: impl Into<String>) -> Self {
        self.search_path = path.into();
        self
    }

    /// The largest body accepted, in bytes (default 1 MiB); larger is 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a handler may take before the push is answered 503 (default 25 s; FinChat waits 30).
    pub fn handler_deadline(mut self, deadline: Duration) -> Self {
        self.handler_deadline = deadline;
        self
    }

    /// How long a search handler may take before no results are answered (default 4.5 s; FinChat
    /// waits 5).
    pub fn search_deadline(mut self, deadline: Duration) -> Self {
        self.search_deadline = deadline;
        self
    }

    /// Where handled event ids are remembered (default: memory, 100 000 ids for 2 hours).
    pub fn dedupe(mut self, store: Arc<dyn DedupeStore>) -> Self {
        self.dedupe = store;
        self
    }

    /// The router: PUT events and POST searches on their paths.
    pub fn router(self) -> Router {
        let events_path = self.events_path.clone();
        let search_path = self.search_path.clone();
        let limit = self.body_limit;
        Router::new()
            .route(&events_path, put(on_event::<S>))
            .route(&search_path, post(on_search::<S>))
            .layer(DefaultBodyLimit::max(limit))
            .with_state(Arc::new(self))
    }

    /// Why a push is refused (401), if it is.
    fn check(&self, token: &Secret, app_id: Option<&str>) -> Result<(), &'static str> {
        if !constant_time_eq(token.expose().as_bytes(), self.token.expose().as_bytes()) {
            return Err("wrong token");
        }
        if let (Some(expected), Some(got)) = (&self.app_id, app_id) {
            if expected != got {
                return Err("this push is for another app_id");
            }
        }
        Ok(())
    }
}

/// Compares without stopping at the first difference, so the time taken says nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        difference |= usize::from(x ^ b.get(i).copied().unwrap_or(!x));
    }
    difference == 0
}

/// A short JSON answer: `{}` for success, `{"error": …}` otherwise.
fn reply(status: StatusCode, message: &str) -> Response {
    let body = if status.is_success() {
        String::from("{}")
    } else {
        json!({ "error": message }).to_string()
    };
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Refuses a push: logged at WARN with the reason (never the token), answered with it.
fn refuse(push: &'static str, status: StatusCode, reason: &str) -> Response {
    telemetry::push_refused(push, status.as_u16(), reason);
    reply(status, reason)
}

/// Refuses a push whose body could not be read (over the limit: 413), answered as axum does.
fn unreadable(push: &'static str, rejection: BytesRejection) -> Response {
    telemetry::push_refused(push, rejection.status().as_u16(), &rejection.body_text());
    rejection.into_response()
}

async fn on_event<S: Send + Sync + 'static>(
    State(receiver): State<Arc<Receiver<S>>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return unreadable("event", rejection),
    };
    let callback: Callback = match serde_json::from_slice(&body) {
        Ok(callback) => callback,
        Err(e) => {
            let reason = format!("malformed callback: {e}");
            return refuse("event", StatusCode::BAD_REQUEST, &reason);
        }
    };
    if let Err(why) = receiver.check(&callback.token, callback.app_id.as_deref()) {
        return refuse("event", StatusCode::UNAUTHORIZED, why);
    }
    let span = telemetry::event_received(&callback.event, telemetry::CALLBACK);
    handle(receiver, callback.event).instrument(span).await
}

/// Handles an accepted event once (in the `finchat.event` span).
async fn handle<S: Send + Sync + 'static>(receiver: Arc<Receiver<S>>, event: Event) -> Response {
    let id = event.event_id.clone();
    // An event without a usable id (missing, not a string, empty) cannot be told from another one:
    // it is handled without de-duplication, never under a key that other such events would share.
    let deduplicated = !id.is_empty();
    let seen = if deduplicated {
        receiver.dedupe.begin(&id).await
    } else {
        tracing::warn!(
            event_type = %event.event_type(),
            "event without an event_id: handled without de-duplication"
        );
        Seen::New
    };
    telemetry::delivery(seen != Seen::New, seen == Seen::Done);
    match seen {
        Seen::Done => {
            record_outcome("duplicate");
            return reply(StatusCode::OK, "already handled");
        }
        // Another delivery of it is being handled: not acknowledged, in case that one fails.
        Seen::InFlight => {
            record_outcome("in_flight");
            return reply(
                StatusCode::SERVICE_UNAVAILABLE,
                "being handled; deliver it again later",
            );
        }
        Seen::New => {}
    }
    let dispatcher = Arc::clone(&receiver.dispatcher);
    let handling = tokio::spawn(async move { dispatcher.dispatch(event).await }.in_current_span());
    let abort = handling.abort_handle();
    let outcome = tokio::time::timeout(receiver.handler_deadline, handling).await;
    let (handled, response) = match outcome {
        Ok(Ok(Ok(dispatched))) => {
            record_outcome(match dispatched {
                Dispatched::Handled => "handled",
                Dispatched::NoHandler => "no_handler",
            });
            (true, reply(StatusCode::OK, "handled"))
        }
        Ok(Ok(Err(error))) => {
            record_outcome("failed");
            tracing::warn!(event_id = %id, %error, "handler failed; FinChat will deliver the event again");
            (
                false,
                reply(StatusCode::INTERNAL_SERVER_ERROR, "handler failed"),
            )
        }
        Ok(Err(join_error)) => {
            record_outcome("panicked");
            telemetry::handler_failed("panic");
            tracing::error!(event_id = %id, %join_error, "handler panicked");
            (
                false,
                reply(StatusCode::INTERNAL_SERVER_ERROR, "handler failed"),
            )
        }
        Err(_late) => {
            abort.abort();
            record_outcome("late");
            telemetry::handler_failed("deadline");
            tracing::warn!(event_id = %id, "handler over its deadline; FinChat will deliver the event again");
            (
                false,
                reply(StatusCode::SERVICE_UNAVAILABLE, "handler over its deadline"),
            )
        }
    };
    if deduplicated {
        receiver.dedupe.finish(&id, handled).await;
    }
    response
}

async fn on_search<S: Send + Sync + 'static>(
    State(receiver): State<Arc<Receiver<S>>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return unreadable("search", rejection),
    };
    let request: SearchRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            let reason = format!("malformed search: {e}");
            return refuse("search", StatusCode::BAD_REQUEST, &reason);
        }
    };
    if let Err(why) = receiver.check(&request.token, request.app_id.as_deref()) {
        return refuse("search", StatusCode::UNAUTHORIZED, why);
    }
    let dispatcher = Arc::clone(&receiver.dispatcher);
    let query = request.event.content;
    let searching = tokio::spawn(async move { dispatcher.search(query).await }.in_current_span());
    let abort = searching.abort_handle();
    let answer = match tokio::time::timeout(receiver.search_deadline, searching).await {
        Ok(Ok(Ok(answer))) => answer,
        Ok(Ok(Err(error))) => {
            tracing::warn!(%error, "search handler failed; answering no results");
            SearchResponse::empty()
        }
        Ok(Err(join_error)) => {
            telemetry::handler_failed("panic");
            tracing::error!(%join_error, "search handler panicked; answering no results");
            SearchResponse::empty()
        }
        Err(_late) => {
            abort.abort();
            telemetry::handler_failed("deadline");
            tracing::warn!("search handler over its deadline; answering no results");
            SearchResponse::empty()
        }
    };
    axum::Json(answer).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"token", b"token"));
        assert!(!constant_time_eq(b"token", b"tokem"));
        assert!(!constant_time_eq(b"token", b"token2"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }
}
