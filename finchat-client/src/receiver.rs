//! The webhook receiver: an axum `Router` for the app's callback (events, PUT) and shortcut search
//! (POST), to mount in the app's own server or serve on its own (with [`Server`], which adds a
//! header-read timeout).
//!
//! - The callback token must be 16 bytes or more ([`MIN_TOKEN_LEN`]). The `token` of each push is
//!   checked in constant time, and `app_id` when the server sends one: a wrong one is 401. Malformed
//!   JSON is 400 with a message, a body over the limit 413, a body slower than its timeout 408; no
//!   input makes it panic. Each refusal is logged at WARN with its reason, never the token (see
//!   [`crate::telemetry`]).
//! - 200 only when the handler succeeded (or durably queued the event); a failure, a panic or a
//!   handler over its deadline (below FinChat's 30 s) is 5xx, so FinChat delivers the event again.
//!   The handler runs in a task of its own, so its outcome is recorded even when the connection
//!   closes first.
//! - A redelivered event is acknowledged but not handled twice (`event_id`, bounded memory), and never
//!   handled by two runs at once: a handler over its deadline keeps its event in flight until it has
//!   really stopped.
//! - A search is answered within its deadline (below FinChat's 5 s): a late handler gives no results.

mod dedupe;
mod serve;

pub use dedupe::{DedupeStore, InMemoryDedupe, Seen};
pub use serve::Server;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use serde_json::json;
use tokio::sync::oneshot;
use tracing::Instrument;

use crate::dispatcher::{Dispatched, Dispatcher, HandlerError};
use crate::events::{Callback, Event, SearchRequest, SearchResponse};
use crate::telemetry::{self, record_outcome};
use crate::{Error, Secret};

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
/// let token = std::env::var("FINCHAT_CALLBACK_TOKEN").map_err(std::io::Error::other)?;
/// let receiver = Receiver::new(dispatcher, token)
///     .map_err(std::io::Error::other)?
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
    body_read_timeout: Duration,
    handler_deadline: Duration,
    search_deadline: Duration,
    dedupe: Arc<dyn DedupeStore>,
}

/// The shortest callback token a [`Receiver`] takes, in bytes. FinChat's tokens are 32 characters
/// long; a shorter one can be guessed, and an empty one lets anyone push.
pub const MIN_TOKEN_LEN: usize = 16;

/// Checks that `token` can guard a receiver, as [`Receiver::new`] does (for a command line, say,
/// to refuse it before anything starts).
///
/// # Errors
///
/// A configuration [`Error`] when `token` is empty or shorter than [`MIN_TOKEN_LEN`] bytes. The
/// message says which and never holds the token.
pub fn check_callback_token(token: &str) -> Result<(), Error> {
    let length = token.len();
    if length == 0 {
        return Err(Error::config(
            "the receiver's callback token is empty, so anyone could push events; \
             give the token configured for the app",
        ));
    }
    if length < MIN_TOKEN_LEN {
        return Err(Error::config(format!(
            "the receiver's callback token is {length} bytes long, shorter than {MIN_TOKEN_LEN} \
             bytes; give the token configured for the app (FinChat's are 32 characters)"
        )));
    }
    Ok(())
}

impl<S: Send + Sync + 'static> Receiver<S> {
    /// A receiver that hands events to `dispatcher` and accepts pushes that carry `token`.
    ///
    /// # Errors
    ///
    /// A configuration [`Error`] when `token` is empty or shorter than [`MIN_TOKEN_LEN`] bytes: such
    /// a token lets anyone (or anyone who guesses it) push events. The error does not quote it.
    pub fn new(dispatcher: Dispatcher<S>, token: impl Into<Secret>) -> Result<Self, Error> {
        let token = token.into();
        check_callback_token(token.expose())?;
        Ok(Self {
            dispatcher: Arc::new(dispatcher),
            token,
            app_id: None,
            events_path: "/callback".into(),
            search_path: "/search".into(),
            body_limit: 1 << 20,
            body_read_timeout: Duration::from_secs(10),
            handler_deadline: Duration::from_secs(25),
            search_deadline: Duration::from_millis(4500),
            dedupe: Arc::new(InMemoryDedupe::default()),
        })
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

    /// How long the body of a push may take to arrive once its headers have (default 10 s); a slower
    /// one is answered 408 and its connection closed.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
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

    /// Where handled event ids are remembered (default: memory, 100 000 ids for 2 hours, which covers
    /// FinChat's hour of redeliveries up to about 28 events/s; see [`InMemoryDedupe`] to size it).
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
        if let (Some(expected), Some(got)) = (&self.app_id, app_id)
            && expected != got
        {
            return Err("this push is for another app_id");
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

/// Reads the body of a push within the body-read timeout and the body limit.
async fn read_body(
    push: &'static str,
    request: Request,
    timeout: Duration,
) -> Result<Bytes, Response> {
    match tokio::time::timeout(timeout, Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) => Err(unreadable(push, rejection)),
        Err(_late) => Err(refuse(
            push,
            StatusCode::REQUEST_TIMEOUT,
            "the body did not arrive in time",
        )),
    }
}

async fn on_event<S: Send + Sync + 'static>(
    State(receiver): State<Arc<Receiver<S>>>,
    request: Request,
) -> Response {
    let body = match read_body("event", request, receiver.body_read_timeout).await {
        Ok(body) => body,
        Err(refused) => return refused,
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

/// How long a call to the dedupe store may take.
const STORE_DEADLINE: Duration = Duration::from_secs(5);

/// What a push is answered.
type Answer = (StatusCode, &'static str);

/// Handles an accepted event once (in the `finchat.event` span).
///
/// Marking the event in flight in the dedupe store, the handler, its deadline and the record of its
/// outcome run in a task of their own, which this request only waits for: when the connection
/// closes first (hyper then drops this future), the handler still gets its deadline, its error is
/// still logged, and its outcome is still recorded, so that FinChat's redelivery is handled (after a
/// failure) or acknowledged (after a success). A shared store's in-flight mark set after the close
/// is still this delivery's, not one left behind until its lease lapses.
async fn handle<S: Send + Sync + 'static>(receiver: Arc<Receiver<S>>, event: Event) -> Response {
    let id = event.event_id.clone();
    let (answer, answered) = oneshot::channel();
    tokio::spawn(deliver(receiver, event, answer).in_current_span());
    match answered.await {
        Ok((status, message)) => reply(status, message),
        // Only a dedupe store that panicked ends the task without an answer.
        Err(_) => {
            tracing::error!(event_id = %id, "event handling ended without an answer");
            reply(StatusCode::INTERNAL_SERVER_ERROR, "handler failed")
        }
    }
}

/// Marks `event` in flight and handles it ([`supervise`]), or answers at once when it is not to be
/// handled now.
async fn deliver<S: Send + Sync + 'static>(
    receiver: Arc<Receiver<S>>,
    event: Event,
    answer: oneshot::Sender<Answer>,
) {
    // An event without a usable id (missing, not a string, empty) cannot be told from another one:
    // it is handled without de-duplication, never under a key that other such events would share.
    let key = if event.event_id.is_empty() {
        tracing::warn!(
            event_type = %event.event_type(),
            "event without an event_id: handled without de-duplication"
        );
        None
    } else {
        if let Err(refused) = begin(&receiver, &event.event_id).await {
            answer.send(refused).ok();
            return;
        }
        Some(event.event_id.clone())
    };
    supervise(receiver, event, key, answer).await;
}

/// Asks the dedupe store to mark the event `id` in flight: `Err` with the answer when it is not to
/// be handled now.
async fn begin<S>(receiver: &Receiver<S>, id: &str) -> Result<(), Answer> {
    match tokio::time::timeout(STORE_DEADLINE, receiver.dedupe.begin(id)).await {
        Ok(seen) => {
            telemetry::delivery(
                matches!(seen, Seen::InFlight | Seen::Done),
                seen == Seen::Done,
            );
            not_now(seen).map_or(Ok(()), Err)
        }
        Err(_late) => {
            record_outcome("failed");
            tracing::warn!(event_id = %id, "the dedupe store did not answer in time; FinChat will deliver the event again");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "the dedupe store did not answer; deliver it again later",
            ))
        }
    }
}

/// The answer to an event that is not to be handled now, if it is not.
fn not_now(seen: Seen) -> Option<Answer> {
    match seen {
        Seen::Done => {
            record_outcome("duplicate");
            Some((StatusCode::OK, "already handled"))
        }
        // Another delivery of it is being handled: not acknowledged, in case that one fails.
        Seen::InFlight => {
            record_outcome("in_flight");
            Some((
                StatusCode::SERVICE_UNAVAILABLE,
                "being handled; deliver it again later",
            ))
        }
        Seen::Full => {
            record_outcome("full");
            tracing::warn!(
                "dedupe store full of events in flight: event refused, FinChat will deliver it again"
            );
            Some((
                StatusCode::SERVICE_UNAVAILABLE,
                "too many events in flight; deliver it again later",
            ))
        }
        Seen::Unavailable => {
            record_outcome("store_unavailable");
            tracing::warn!(
                "the dedupe store is unavailable: event refused, FinChat will deliver it again"
            );
            Some((
                StatusCode::SERVICE_UNAVAILABLE,
                "the dedupe store is unavailable; deliver it again later",
            ))
        }
        Seen::New => None,
    }
}

/// Runs the handler of `event` under its deadline, sends the answer, and records the outcome under
/// `key` (none: not de-duplicated). Runs to the end whether or not anyone waits for the answer.
///
/// At the deadline the push is answered 503 at once, and the handler is aborted; but the key is
/// released only once the handler has really stopped. Abort is cooperative: a handler blocked where
/// it cannot be cancelled (a blocking call, a loop with no `.await`) keeps its event in flight, and
/// every redelivery is answered 503, until it ends. If it then succeeded, its success is kept (a
/// redelivery is acknowledged); otherwise the event is handled on the next redelivery.
async fn supervise<S: Send + Sync + 'static>(
    receiver: Arc<Receiver<S>>,
    event: Event,
    key: Option<String>,
    answer: oneshot::Sender<Answer>,
) {
    let id = event.event_id.clone();
    let dispatcher = Arc::clone(&receiver.dispatcher);
    let mut handling =
        tokio::spawn(async move { dispatcher.dispatch(event).await }.in_current_span());
    let (handled, reply) = match tokio::time::timeout(receiver.handler_deadline, &mut handling)
        .await
    {
        Ok(joined) => outcome(&id, joined),
        Err(_late) => {
            record_outcome("late");
            telemetry::handler_failed("deadline");
            tracing::warn!(event_id = %id, "handler over its deadline; FinChat will deliver the event again");
            answer
                .send((StatusCode::SERVICE_UNAVAILABLE, "handler over its deadline"))
                .ok();
            handling.abort();
            let handled = match handling.await {
                Ok(Ok(_)) => {
                    tracing::info!(event_id = %id, "handler ended after its deadline, successfully; a redelivery is acknowledged");
                    true
                }
                Ok(Err(error)) => {
                    tracing::warn!(event_id = %id, %error, "handler ended after its deadline, failed");
                    false
                }
                Err(join_error) if join_error.is_panic() => {
                    tracing::error!(event_id = %id, %join_error, "handler panicked after its deadline");
                    false
                }
                Err(_cancelled) => false,
            };
            finish(&receiver, key.as_deref(), handled).await;
            return;
        }
    };
    if handled {
        // Acknowledged at once: until the done mark lands, a redelivery finds the event still in
        // flight (503) and comes again, so the order cannot let it be handled twice.
        answer.send(reply).ok();
        finish(&receiver, key.as_deref(), handled).await;
    } else {
        // Released before the answer, so that the redelivery it asks for is handled.
        finish(&receiver, key.as_deref(), handled).await;
        answer.send(reply).ok();
    }
}

/// Whether a handler that ended in time handled its event, and the answer; a failure is logged with
/// the event id.
fn outcome(
    id: &str,
    joined: Result<Result<Dispatched, HandlerError>, tokio::task::JoinError>,
) -> (bool, Answer) {
    match joined {
        Ok(Ok(dispatched)) => {
            record_outcome(match dispatched {
                Dispatched::Handled => "handled",
                Dispatched::NoHandler => "no_handler",
            });
            (true, (StatusCode::OK, "handled"))
        }
        Ok(Err(error)) => {
            record_outcome("failed");
            tracing::warn!(event_id = %id, %error, "handler failed; FinChat will deliver the event again");
            (false, (StatusCode::INTERNAL_SERVER_ERROR, "handler failed"))
        }
        Err(join_error) => {
            record_outcome("panicked");
            telemetry::handler_failed("panic");
            tracing::error!(event_id = %id, %join_error, "handler panicked; FinChat will deliver the event again");
            (false, (StatusCode::INTERNAL_SERVER_ERROR, "handler failed"))
        }
    }
}

/// Records in the dedupe store that the event under `key` was handled, or not (then a redelivery
/// is handled). A store that does not answer in time is logged; the event then stays in flight
/// until the store's own TTL.
async fn finish<S>(receiver: &Receiver<S>, key: Option<&str>, handled: bool) {
    let Some(key) = key else { return };
    if tokio::time::timeout(STORE_DEADLINE, receiver.dedupe.finish(key, handled))
        .await
        .is_err()
    {
        tracing::warn!(event_id = %key, handled, "the dedupe store did not record the outcome in time");
    }
}

async fn on_search<S: Send + Sync + 'static>(
    State(receiver): State<Arc<Receiver<S>>>,
    request: Request,
) -> Response {
    let body = match read_body("search", request, receiver.body_read_timeout).await {
        Ok(body) => body,
        Err(refused) => return refused,
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
    fn an_unavailable_dedupe_store_refuses_the_push_for_a_redelivery() {
        assert_eq!(
            not_now(Seen::Unavailable).map(|(status, _)| status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(not_now(Seen::New), None);
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"token", b"token"));
        assert!(!constant_time_eq(b"token", b"tokem"));
        assert!(!constant_time_eq(b"token", b"token2"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }
}
