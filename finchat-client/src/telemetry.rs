//! What the client tells about itself: the names of its `tracing` spans and of its `metrics`
//! counters, each given once here, with the fields and labels they carry.
//!
//! The names are stable: dashboards, alerts and log filters may rely on them.
//!
//! # Spans
//!
//! | span | level | fields | one per |
//! | --- | --- | --- | --- |
//! | `finchat.event` | INFO | `event_id`, `event_type`, `room_id`, `sender`, `source` (`callback` or `polling`), `redelivery` (bool), `outcome` | event the receiver accepted or the polling consumer read |
//! | `finchat.handler` | INFO | `handler` (`on_message`, `on_command`, `on_submission`, `on_decision`, `on_unread_submission`, `on_room_created`, `on_event`, `on_search`), `outcome` (`ok`, `error`) | handler run, inside its `finchat.event` |
//! | `finchat.api` | INFO | `method`, `endpoint` (the path, never the query), `status`, `errcode`, `failed_targets` | API call, its retries and token fetch included |
//! | `finchat.token` | INFO | `app_id`, `status`, `errcode`, `outcome` (`ok`, `error`) | app access token fetched |
//!
//! The `outcome` of `finchat.event` is one of `handled`, `no_handler`, `duplicate` (handled before,
//! acknowledged again), `in_flight` (being handled by another delivery; answered 503), `full` (the
//! dedupe store is full of events in flight; answered 503), `store_unavailable` (the dedupe store
//! could not be asked; answered 503), `failed`, `panicked` and `late` (over
//! the handler deadline). `failed_targets` counts the targets a send or
//! update-cui request's answer refused.
//!
//! A push the receiver refuses is logged at WARN, `push refused`, with `push` (`event` or
//! `search`), `status` (401, 400, 413, …) and `reason` (`wrong token`, the JSON error, the body
//! limit): nobody else hears of it. A failed API call and a failed token fetch are logged at DEBUG
//! inside their spans: the error goes back to the caller, who reports it.
//!
//! No span or log line holds a token, a secret or an `Authorization` header: tokens are
//! [`Secret`](crate::Secret)s, which print as `[redacted]`, and endpoints are paths without their
//! query.
//!
//! # Counters
//!
//! With the `metrics` feature, these go through the [`metrics`](https://docs.rs/metrics) facade to
//! the recorder the app installs (a Prometheus exporter, say); without it they compile to nothing.
//!
//! | counter | labels | counts |
//! | --- | --- | --- |
//! | `finchat_events_received_total` | `source` (`callback`, `polling`) | events accepted (token checked) or read from a poll |
//! | `finchat_redeliveries_total` | | pushes of an event the dedupe store holds as handled or in flight |
//! | `finchat_dedupe_hits_total` | | of those, the ones acknowledged without handling (handled before) |
//! | `finchat_dedupe_evicted_early_total` | | handled ids the in-memory dedupe store forgot before their TTL to make room (each one a redelivery that would be handled again: raise its capacity) |
//! | `finchat_events_dead_lettered_total` | | polled events given up on (unparseable, or out of attempts) and handed to the dead letter |
//! | `finchat_handler_failures_total` | `reason` (`error`, `panic`, `deadline`) | handler runs that did not succeed, searches included |
//! | `finchat_token_fetches_total` | `outcome` (`ok`, `error`) | app access token fetches |
//! | `finchat_send_failures_total` | `errcode` (`FC_…`, or `none` when delivery is unknown) | targets of a send, update-cui or send-as-user not certainly delivered |
//! | `finchat_update_cui_calls_total` | | update-cui requests sent (a long target list is several) |
//!
//! A redelivery after a failure is handled again and is not counted as a redelivery: the dedupe
//! store forgets a failed event, so that it is handled when it comes back.

use std::future::Future;

use tracing::Instrument;
use tracing::field::Empty;
use tracing::{Span, info_span};

use crate::client::Call;
use crate::events::Event;
use crate::{Delivery, Error, HandlerError, SendReport};

/// The span of one event: `finchat.event`.
pub const EVENT_SPAN: &str = "finchat.event";
/// The span of one handler run: `finchat.handler`.
pub const HANDLER_SPAN: &str = "finchat.handler";
/// The span of one API call: `finchat.api`.
pub const API_SPAN: &str = "finchat.api";
/// The span of one token fetch: `finchat.token`.
pub const TOKEN_SPAN: &str = "finchat.token";

/// Events accepted or polled: `finchat_events_received_total`.
pub const EVENTS_RECEIVED: &str = "finchat_events_received_total";
/// Pushes of an event handled or in flight: `finchat_redeliveries_total`.
pub const REDELIVERIES: &str = "finchat_redeliveries_total";
/// Pushes acknowledged without handling: `finchat_dedupe_hits_total`.
pub const DEDUPE_HITS: &str = "finchat_dedupe_hits_total";
/// Handled ids forgotten before their TTL: `finchat_dedupe_evicted_early_total`.
pub const DEDUPE_EVICTED_EARLY: &str = "finchat_dedupe_evicted_early_total";
/// Polled events handed to the dead letter: `finchat_events_dead_lettered_total`.
pub const EVENTS_DEAD_LETTERED: &str = "finchat_events_dead_lettered_total";
/// Handler runs that failed: `finchat_handler_failures_total`.
pub const HANDLER_FAILURES: &str = "finchat_handler_failures_total";
/// Token fetches: `finchat_token_fetches_total`.
pub const TOKEN_FETCHES: &str = "finchat_token_fetches_total";
/// Targets not certainly delivered: `finchat_send_failures_total`.
pub const SEND_FAILURES: &str = "finchat_send_failures_total";
/// Update-cui requests: `finchat_update_cui_calls_total`.
pub const UPDATE_CUI_CALLS: &str = "finchat_update_cui_calls_total";

/// The `source` of events pushed to the receiver.
#[cfg(feature = "receiver")]
pub(crate) const CALLBACK: &str = "callback";
/// The `source` of events read by the polling consumer.
pub(crate) const POLLING: &str = "polling";

/// Adds one to a counter (nothing without the `metrics` feature).
#[inline]
fn count(name: &'static str, labels: &[(&'static str, &'static str)]) {
    #[cfg(feature = "metrics")]
    metrics::counter!(name, labels).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = (name, labels);
}

/// Records `outcome` on the current span (`finchat.event`, inside the receiver's or the polling
/// consumer's handling).
#[cfg(feature = "receiver")]
pub(crate) fn record_outcome(outcome: &'static str) {
    Span::current().record("outcome", outcome);
}

/// Counts `event` as received from `source`, and opens its `finchat.event` span.
pub(crate) fn event_received(event: &Event, source: &'static str) -> Span {
    count(EVENTS_RECEIVED, &[("source", source)]);
    info_span!(
        EVENT_SPAN,
        event_id = %event.event_id,
        event_type = event.event_type(),
        room_id = event.room_id.as_deref(),
        sender = %event.sender,
        source,
        redelivery = Empty,
        outcome = Empty,
    )
}

/// Marks the current event as new, or as a redelivery; `done`: it was handled before (a dedupe hit).
#[cfg(feature = "receiver")]
pub(crate) fn delivery(redelivery: bool, done: bool) {
    Span::current().record("redelivery", redelivery);
    if redelivery {
        count(REDELIVERIES, &[]);
    }
    if done {
        count(DEDUPE_HITS, &[]);
    }
}

/// A handled id the in-memory dedupe store forgot before its TTL.
#[cfg(feature = "receiver")]
pub(crate) fn dedupe_evicted_early() {
    count(DEDUPE_EVICTED_EARLY, &[]);
}

/// A polled event handed to the dead letter.
pub(crate) fn dead_lettered() {
    count(EVENTS_DEAD_LETTERED, &[]);
}

/// A push the receiver refused, at WARN with the reason (which never holds the token).
#[cfg(feature = "receiver")]
pub(crate) fn push_refused(push: &'static str, status: u16, reason: &str) {
    tracing::warn!(push, status, reason, "push refused");
}

/// A handler run that did not succeed: `reason` is `error`, `panic` or `deadline`.
pub(crate) fn handler_failed(reason: &'static str) {
    count(HANDLER_FAILURES, &[("reason", reason)]);
}

/// Runs a handler in a `finchat.handler` span named `handler`, recording its outcome.
pub(crate) async fn handler<T>(
    handler: &'static str,
    run: impl Future<Output = Result<T, HandlerError>>,
) -> Result<T, HandlerError> {
    let span = info_span!(HANDLER_SPAN, handler, outcome = Empty);
    let result = run.instrument(span.clone()).await;
    match &result {
        Ok(_) => span.record("outcome", "ok"),
        Err(_) => {
            handler_failed("error");
            span.record("outcome", "error")
        }
    };
    result
}

/// A `finchat.api` span for `call`: its method and its path, without the query.
pub(crate) fn api_span(call: &Call) -> Span {
    info_span!(
        API_SPAN,
        method = %call.method,
        endpoint = %Endpoint(call),
        status = Empty,
        errcode = Empty,
        failed_targets = Empty,
    )
}

/// A call's endpoint as a span shows it: the path under the base URL, or for a call to another
/// host its origin and path; never the query, which may hold a code or a token.
struct Endpoint<'a>(&'a Call);

impl std::fmt::Display for Endpoint<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let call = self.0;
        if !call.absolute {
            return write!(f, "/{}", call.path.trim_start_matches('/'));
        }
        match url::Url::parse(&call.path) {
            Ok(url) => write!(f, "{}{}", url.origin().ascii_serialization(), url.path()),
            Err(_) => f.write_str("(not a URL)"),
        }
    }
}

/// Runs a call in `span` (from [`api_span`]), recording how it failed.
pub(crate) async fn api<T>(
    span: Span,
    call: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let result = call.instrument(span.clone()).await;
    if let Err(error) = &result {
        record_error(&span, error);
        span.in_scope(|| tracing::debug!(%error, "call failed"));
    }
    result
}

/// Records the HTTP status of an answer on the current span (`finchat.api` or `finchat.token`).
pub(crate) fn record_status(status: u16) {
    Span::current().record("status", status);
}

/// Records the `errcode` of a failed call (its status is recorded as each answer comes).
fn record_error(span: &Span, error: &Error) {
    if let Some(code) = error.fc_code() {
        span.record("errcode", code.as_str());
    }
}

/// Fetches a token in a `finchat.token` span, counting the fetch.
pub(crate) async fn token<T>(
    app_id: &str,
    fetch: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let span = info_span!(
        TOKEN_SPAN,
        app_id,
        status = Empty,
        errcode = Empty,
        outcome = Empty
    );
    let result = fetch.instrument(span.clone()).await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(error) => {
            record_error(&span, error);
            span.in_scope(|| tracing::debug!(%error, "cannot fetch the app access token"));
            "error"
        }
    };
    span.record("outcome", outcome);
    count(TOKEN_FETCHES, &[("outcome", outcome)]);
    result
}

/// Counts the targets of `report` that did not certainly get the message, by `errcode`, and
/// records how many on the current span (the `finchat.api` span of the request, when there is one).
pub(crate) fn target_results(report: &SendReport) {
    let mut failed = 0_u64;
    for result in report.undelivered() {
        failed += 1;
        let errcode = match &result.delivery {
            Delivery::Failed { errcode, .. } => errcode.as_str(),
            _ => "none",
        };
        send_failed(errcode);
    }
    Span::current().record("failed_targets", failed);
}

fn send_failed(errcode: &str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(SEND_FAILURES, "errcode" => errcode.to_owned()).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = errcode;
}

/// An update-cui request is sent.
pub(crate) fn update_cui_called() {
    count(UPDATE_CUI_CALLS, &[]);
}
