//! Pushing events to the app's callback as FinChat does: a PUT of `{app_id, token, event}`, 200 within
//! 30 s or it failed; retried at a growing interval (at most 10 min); once failures have lasted an
//! hour, the waiting events are dropped, and a new event that fails is dropped at once. Events go
//! one at a time, in order, and every drop is logged and recorded. Each attempt goes into the
//! activity log as it is answered.

use std::sync::{Arc, Weak};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Notify;
// Tokio's clock, so that a test with a paused clock runs the schedule at once.
use tokio::time::Instant;
use tracing::Instrument;

use super::activity::{PushAnswer, PushAttempt, PushState};
use super::shared::{Shared, now_ms};

/// What became of one event's push.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PushRecord {
    /// The event.
    pub event_id: String,
    /// How many times it was PUT (0 when it was dropped with the backlog unsent).
    pub attempts: u32,
    /// Delivered or dropped.
    pub outcome: PushOutcome,
    /// Why the last attempt failed, if one did.
    pub last_error: Option<String>,
}

/// Whether the app got an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushOutcome {
    /// The callback answered 200.
    Delivered,
    /// Dropped after an hour of failures, as FinChat drops it.
    Dropped,
}

impl PushRecord {
    pub(crate) fn dropped_unsent(event: &Value) -> Self {
        Self {
            event_id: event_id(event),
            attempts: 0,
            outcome: PushOutcome::Dropped,
            last_error: Some("dropped unsent: pushes had failed for longer than the limit".into()),
        }
    }

    pub(crate) fn log(&self) {
        match self.outcome {
            PushOutcome::Delivered => {
                tracing::debug!(event_id = %self.event_id, attempts = self.attempts, "pushed");
            }
            PushOutcome::Dropped => tracing::warn!(
                event_id = %self.event_id,
                attempts = self.attempts,
                error = self.last_error.as_deref().unwrap_or(""),
                "event dropped: the callback failed for longer than FinChat retries"
            ),
        }
    }
}

fn event_id(event: &Value) -> String {
    event["event_id"].as_str().unwrap_or_default().to_owned()
}

/// The platform's times, scaled.
struct Schedule {
    first_interval: Duration,
    max_interval: Duration,
    give_up_after: Duration,
    timeout: Duration,
}

impl Schedule {
    fn new(shared: &Shared) -> Self {
        let config = &shared.config;
        Self {
            first_interval: config.scaled(Duration::from_secs(1)),
            max_interval: config.scaled(Duration::from_secs(10 * 60)),
            give_up_after: config.scaled(Duration::from_secs(60 * 60)),
            timeout: config
                .scaled(Duration::from_secs(30))
                .max(Duration::from_secs(1)),
        }
    }
}

/// The failure streak of the callback: when it began, and whether it has passed the limit.
#[derive(Default)]
struct Failing {
    since: Option<Instant>,
    over_limit: bool,
}

/// Pushes events in order until the sandbox is closed or gone.
pub(crate) async fn run(shared: Weak<Shared>, wake: Arc<Notify>) {
    let http = reqwest::Client::new();
    let mut failing = Failing::default();
    loop {
        let job = {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            if shared.is_closed() {
                return;
            }
            let Some((url, token)) = shared.config.callback.clone() else {
                return;
            };
            let schedule = Schedule::new(&shared);
            shared.next_push().map(|(index, event)| {
                let body = json!({
                    "app_id": shared.config.app_id, "token": token.expose(), "event": event,
                });
                let event_type = event["type"].as_str().unwrap_or_default().to_owned();
                let seq = shared.activity.begin_push(&event);
                (
                    index,
                    seq,
                    event_id(&event),
                    event_type,
                    url,
                    body,
                    schedule,
                )
            })
        };
        let Some((index, seq, event_id, event_type, url, body, schedule)) = job else {
            wake.notified().await;
            continue;
        };
        let mut interval = schedule.first_interval;
        let mut attempts = 0;
        let (outcome, last_error, drop_backlog) = loop {
            attempts += 1;
            let span = tracing::info_span!(
                "finchat.sandbox.push",
                event_id = %event_id,
                event_type = %event_type,
                attempt = attempts,
            );
            let at_ms = now_ms();
            let answer = put(&http, &url, &body, schedule.timeout)
                .instrument(span)
                .await;
            let attempt = PushAttempt { at_ms, answer };
            let Some(error) = failure(&attempt.answer) else {
                failing = Failing::default();
                note(&shared, seq, &event_id, attempt, PushState::Delivered);
                break (PushOutcome::Delivered, None, false);
            };
            let since = *failing.since.get_or_insert_with(Instant::now);
            if since.elapsed() > schedule.give_up_after {
                // The first time the limit is passed, everything waiting is dropped; after that each
                // new event gets one try.
                let first = !std::mem::replace(&mut failing.over_limit, true);
                note(&shared, seq, &event_id, attempt, PushState::Dropped);
                break (PushOutcome::Dropped, Some(error), first);
            }
            note(&shared, seq, &event_id, attempt, PushState::Retrying);
            tracing::debug!(%event_id, attempts, %error, retry_in = ?interval, "push failed");
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(schedule.max_interval);
            if shared.upgrade().is_none_or(|s| s.is_closed()) {
                return;
            }
        };
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let record = PushRecord {
            event_id,
            attempts,
            outcome,
            last_error,
        };
        shared.finish_push(index, record, drop_backlog);
    }
}

/// Records an answered attempt of the push of `event_id` (entry `seq` of the activity log).
fn note(shared: &Weak<Shared>, seq: u64, event_id: &str, attempt: PushAttempt, state: PushState) {
    if let Some(shared) = shared.upgrade() {
        shared.answered(event_id);
        shared.activity.push_attempt(seq, attempt, state);
    }
}

/// Why an attempt failed; `None` when it was acked.
fn failure(answer: &PushAnswer) -> Option<String> {
    match answer {
        PushAnswer::Acked => None,
        PushAnswer::Refused { status } => Some(format!("the callback answered {status}")),
        PushAnswer::Failed { error } => Some(error.clone()),
    }
}

/// One PUT; only a 200 is a success.
async fn put(http: &reqwest::Client, url: &str, body: &Value, timeout: Duration) -> PushAnswer {
    let sent = http.put(url).json(body).timeout(timeout).send().await;
    match sent {
        Ok(response) => match response.status().as_u16() {
            200 => PushAnswer::Acked,
            status => PushAnswer::Refused { status },
        },
        Err(error) if error.is_timeout() => PushAnswer::Failed {
            error: format!("the callback did not answer within {timeout:?}"),
        },
        Err(error) => PushAnswer::Failed {
            error: format!("cannot reach the callback: {error}"),
        },
    }
}
