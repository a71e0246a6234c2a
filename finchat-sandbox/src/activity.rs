//! The activity log: every open-API call the bot makes and every push to its callback, in memory.
//!
//! It is what the inspector page (`/sandbox/inspector`), `GET /sandbox/api/activity` and
//! [`SandboxHandle::activity`](crate::SandboxHandle::activity) show. It keeps the newest
//! [`ACTIVITY_LIMIT`] entries and is never written to the state file: it describes what happened
//! since the sandbox started (or was [cleared](crate::SandboxHandle::clear_activity)), not the world.
//! No secret is kept: no header (so no `Authorization`), the `secret` and `app_access_token` of the
//! token calls replaced by `"[redacted]"`, and of a push only the event, not the callback's `token`.

mod calls;

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use finchat_cui::{EventId, RoomId};
use serde::Serialize;
use serde_json::Value;

pub(crate) use calls::record;

use super::shared::now_ms;

/// How many entries the activity log keeps: the newest 2,000 calls and pushes; older ones are
/// dropped as new ones come.
pub const ACTIVITY_LIMIT: usize = 2_000;

/// One entry of the activity log: an API call of the bot, or a push to its callback.
///
/// As JSON (`GET /sandbox/api/activity`): `{"seq", "at", "kind": "call" | "push", …}` with the
/// fields of [`ApiCall`] or [`PushActivity`] beside them.
///
/// ```no_run
/// # async fn demo(sandbox: finchat_sandbox::RunningSandbox) {
/// use finchat_sandbox::ActivityEntry;
///
/// let updates: Vec<_> = sandbox
///     .handle
///     .activity()
///     .iter()
///     .filter_map(ActivityEntry::call)
///     .filter(|call| call.is_update_cui())
///     .map(|call| (call.status, call.errcode.clone()))
///     .collect();
/// # let _ = updates;
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ActivityEntry {
    /// Its number in the log: increasing, never reused (not even after a clear).
    pub seq: u64,
    /// When, in milliseconds since the epoch: when the sandbox answered a call; when a push was
    /// first tried (or dropped unsent).
    #[serde(rename = "at")]
    pub at_ms: i64,
    /// The call or the push.
    #[serde(flatten)]
    pub detail: Activity,
}

impl ActivityEntry {
    /// The API call, if this entry is one.
    pub fn call(&self) -> Option<&ApiCall> {
        match &self.detail {
            Activity::Call(call) => Some(call),
            Activity::Push(_) => None,
        }
    }

    /// The push, if this entry is one.
    pub fn push(&self) -> Option<&PushActivity> {
        match &self.detail {
            Activity::Push(push) => Some(push),
            Activity::Call(_) => None,
        }
    }

    /// Whether it concerns `room`: a call that targets or names it (see [`ApiCall::rooms`]), or the
    /// push of an event in it.
    pub fn concerns(&self, room: &RoomId) -> bool {
        match &self.detail {
            Activity::Call(call) => call.rooms.contains(room),
            Activity::Push(push) => push.room.as_ref() == Some(room),
        }
    }
}

/// What an [`ActivityEntry`] records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Activity {
    /// A call of the open API (`/api/…`) by the bot.
    Call(ApiCall),
    /// An event pushed to the app's callback.
    Push(PushActivity),
}

/// A call of the open API and the sandbox's answer.
///
/// Bodies are kept as JSON, with the `secret` and `app_access_token` values replaced by
/// `"[redacted]"`. A body that is not JSON (a media upload or download) or is larger than 256 KiB
/// is kept as a summary, `{"bytes": n, "content_type": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiCall {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path, without the query string, e.g. `/api/v1/finchat/open-api/message/send`.
    pub path: String,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The `errcode` of a refusal, e.g. `FC_BAD_JSON`.
    pub errcode: Option<String>,
    /// The request's body; `None` without one.
    pub request: Option<Value>,
    /// The answer's body; `None` without one.
    pub response: Option<Value>,
    /// Why content was refused, one line per problem with its path, e.g.
    /// `content.info.elements[3].key: duplicate key "amount"`.
    pub problems: Vec<String>,
    /// What a `message/send` or `message/update-cui` did for each target, in the request's order.
    pub results: Vec<TargetResult>,
    /// The rooms the call concerns: the rooms a send or an update targets (for `fcids`, the bot's
    /// direct room with each person), the room of the card an update replaces, the room of a
    /// `rooms/{room_id}` call, the room `rooms` created.
    pub rooms: Vec<RoomId>,
}

impl ApiCall {
    /// Which call it is: the path after `/api/v1/finchat/open-api/`, with the ids left out:
    /// `auth/token`, `message/send`, `message/update-cui`, `media/upload`, `media/download`,
    /// `rooms`, `rooms/{room_id}`, and `forwarder/events` for the polling API.
    pub fn operation(&self) -> &str {
        let path = self.path.as_str();
        if let Some(rest) = path.strip_prefix(calls::OPEN) {
            if rest.starts_with("rooms/") {
                return "rooms/{room_id}";
            }
            if rest.starts_with("media/download/") {
                return "media/download";
            }
            return rest;
        }
        if path.starts_with(calls::FORWARDER) {
            return "forwarder/events";
        }
        path
    }

    /// Whether it is a `message/send`.
    pub fn is_send(&self) -> bool {
        self.operation() == "message/send"
    }

    /// Whether it is a `message/update-cui`.
    pub fn is_update_cui(&self) -> bool {
        self.operation() == "message/update-cui"
    }

    /// Whether the sandbox refused it (an `errcode`, or a status of 400 or more).
    pub fn is_refused(&self) -> bool {
        self.errcode.is_some() || self.status >= 400
    }

    /// The `content` a send or an update carried, as the bot sent it.
    pub fn content(&self) -> Option<&Value> {
        self.request.as_ref()?.get("content")
    }

    /// The card an update replaces: its `origin_event`.
    pub fn origin_event(&self) -> Option<EventId> {
        self.request
            .as_ref()?
            .get("origin_event")?
            .as_str()?
            .parse()
            .ok()
    }
}

/// What a send or an update did for one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TargetResult {
    /// The room id or fcid, as the request named it.
    pub target: String,
    /// The new message's (or update's) event id, when it worked.
    pub event_id: Option<EventId>,
    /// The `errcode`, when it did not.
    pub errcode: Option<String>,
    /// The `error` text, when it did not.
    pub error: Option<String>,
}

impl TargetResult {
    /// Whether it worked for this target.
    pub fn is_ok(&self) -> bool {
        self.errcode.is_none() && self.event_id.is_some()
    }
}

/// An event pushed to the app's callback: every attempt and what became of it. The entry is
/// updated in place as attempts are made.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PushActivity {
    /// The event's id.
    pub event_id: String,
    /// The event's type, e.g. `finstore.room.interactcui`.
    pub event_type: String,
    /// The event's room.
    pub room: Option<RoomId>,
    /// Who caused it (`None` when the event names nobody, as `finstore.room.create` does).
    pub sender: Option<String>,
    /// The event as pushed (the callback's body is `{app_id, token, event}`; the token is not kept).
    pub event: Value,
    /// Where the push stands.
    pub state: PushState,
    /// Every attempt so far, oldest first (none for an event dropped unsent).
    pub attempts: Vec<PushAttempt>,
}

impl PushActivity {
    fn new(event: &Value, state: PushState) -> Self {
        let text = |key: &str| {
            let text = event.get(key).and_then(Value::as_str);
            text.filter(|text| !text.is_empty())
        };
        Self {
            event_id: text("event_id").unwrap_or_default().to_owned(),
            event_type: text("type").unwrap_or_default().to_owned(),
            room: text("room_id").and_then(|room| room.parse().ok()),
            sender: text("sender").map(str::to_owned),
            event: event.clone(),
            state,
            attempts: Vec::new(),
        }
    }

    /// The answer of the latest attempt.
    pub fn last_answer(&self) -> Option<&PushAnswer> {
        self.attempts.last().map(|attempt| &attempt.answer)
    }
}

/// Where a push stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PushState {
    /// The first attempt is under way.
    Delivering,
    /// An attempt failed; the next one is waiting or under way.
    Retrying,
    /// The callback answered 200.
    Delivered,
    /// Dropped after failures had lasted the limit (an hour, scaled), as FinChat drops it; with no
    /// attempt when it was dropped unsent with the backlog.
    Dropped,
}

/// One PUT of an event to the callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PushAttempt {
    /// When it was made, in milliseconds since the epoch.
    #[serde(rename = "at")]
    pub at_ms: i64,
    /// How the callback answered.
    #[serde(flatten)]
    pub answer: PushAnswer,
}

/// How the callback answered one attempt.
///
/// As JSON: `{"answer": "acked"}`, `{"answer": "refused", "status": 500}` or
/// `{"answer": "failed", "error": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PushAnswer {
    /// It answered 200: delivered.
    Acked,
    /// It answered another HTTP status.
    Refused {
        /// The status.
        status: u16,
    },
    /// No answer: the callback could not be reached, or did not answer within the time-out.
    Failed {
        /// Why.
        error: String,
    },
}

/// Which entries to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Call,
    Push,
}

/// A selection of the log: by room and kind, the newest `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    pub room: Option<RoomId>,
    pub kind: Option<Kind>,
    pub limit: usize,
}

impl Filter {
    fn matches(&self, entry: &ActivityEntry) -> bool {
        let kind = match &entry.detail {
            Activity::Call(_) => Kind::Call,
            Activity::Push(_) => Kind::Push,
        };
        self.kind.is_none_or(|k| k == kind) && self.room.as_ref().is_none_or(|r| entry.concerns(r))
    }
}

/// The log itself: bounded, with a revision that changes on every change.
pub(crate) struct ActivityLog {
    inner: Mutex<Log>,
}

struct Log {
    entries: VecDeque<ActivityEntry>,
    limit: usize,
    next_seq: u64,
    rev: u64,
}

impl Log {
    fn append(&mut self, at_ms: i64, detail: Activity) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.rev += 1;
        if self.entries.len() >= self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back(ActivityEntry { seq, at_ms, detail });
        seq
    }

    /// The entry `seq`, unless it was dropped or cleared since.
    fn get_mut(&mut self, seq: u64) -> Option<&mut ActivityEntry> {
        // Entries are in `seq` order.
        let index = self.entries.partition_point(|entry| entry.seq < seq);
        self.entries.get_mut(index).filter(|entry| entry.seq == seq)
    }
}

impl ActivityLog {
    pub fn new() -> Self {
        Self::with_limit(ACTIVITY_LIMIT)
    }

    fn with_limit(limit: usize) -> Self {
        Self {
            inner: Mutex::new(Log {
                entries: VecDeque::new(),
                limit: limit.max(1),
                next_seq: 1,
                rev: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Log> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn record_call(&self, call: ApiCall) {
        self.lock().append(now_ms(), Activity::Call(call));
    }

    /// A push of `event` begins; its entry's `seq`, for [`ActivityLog::push_attempt`].
    pub fn begin_push(&self, event: &Value) -> u64 {
        let push = PushActivity::new(event, PushState::Delivering);
        self.lock().append(now_ms(), Activity::Push(push))
    }

    /// An attempt of the push `seq` got `answer`; the push is now `state`.
    pub fn push_attempt(&self, seq: u64, attempt: PushAttempt, state: PushState) {
        let mut log = self.lock();
        let Some(entry) = log.get_mut(seq) else {
            return;
        };
        if let Activity::Push(push) = &mut entry.detail {
            push.attempts.push(attempt);
            push.state = state;
        }
        log.rev += 1;
    }

    /// `event` was dropped with the backlog, never sent.
    pub fn push_dropped_unsent(&self, event: &Value) {
        let push = PushActivity::new(event, PushState::Dropped);
        self.lock().append(now_ms(), Activity::Push(push));
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Vec<ActivityEntry> {
        self.lock().entries.iter().cloned().collect()
    }

    /// The entries `filter` selects, newest first, and the log's revision.
    pub fn select(&self, filter: &Filter) -> (Vec<ActivityEntry>, u64) {
        let log = self.lock();
        let entries = log
            .entries
            .iter()
            .rev()
            .filter(|entry| filter.matches(entry))
            .take(filter.limit)
            .cloned()
            .collect();
        (entries, log.rev)
    }

    /// Forgets every entry (a push under way is not recorded further).
    pub fn clear(&self) {
        let mut log = self.lock();
        log.entries.clear();
        log.rev += 1;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn call(path: &str) -> ApiCall {
        ApiCall {
            method: "GET".into(),
            path: path.into(),
            status: 200,
            errcode: None,
            request: None,
            response: None,
            problems: Vec::new(),
            results: Vec::new(),
            rooms: Vec::new(),
        }
    }

    #[test]
    fn the_log_keeps_the_newest_entries_up_to_its_limit() {
        let log = ActivityLog::with_limit(3);
        for n in 0..5 {
            log.record_call(call(&format!("/api/{n}")));
        }
        let seqs: Vec<u64> = log.entries().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [3, 4, 5]);
    }

    #[test]
    fn a_push_is_updated_in_place_and_every_change_moves_the_revision() {
        let log = ActivityLog::with_limit(10);
        let event =
            json!({"event_id": "$1:sandbox", "type": "m.room.message", "room_id": "!a:sandbox"});
        let seq = log.begin_push(&event);
        let all = Filter {
            room: None,
            kind: None,
            limit: 10,
        };
        let (_, before) = log.select(&all);
        let refused = PushAttempt {
            at_ms: 1,
            answer: PushAnswer::Refused { status: 500 },
        };
        log.push_attempt(seq, refused, PushState::Retrying);
        let (entries, after) = log.select(&all);
        assert!(after > before);
        assert_eq!(entries.len(), 1);
        let push = entries[0].push().unwrap();
        assert_eq!(push.state, PushState::Retrying);
        assert_eq!(push.attempts.len(), 1);
        assert_eq!(push.room.as_ref().map(RoomId::as_str), Some("!a:sandbox"));

        log.clear();
        assert!(log.entries().is_empty());
        // A push cleared away is not brought back by its next attempt.
        let acked = PushAttempt {
            at_ms: 2,
            answer: PushAnswer::Acked,
        };
        log.push_attempt(seq, acked, PushState::Delivered);
        assert!(log.entries().is_empty());
        assert_eq!(log.begin_push(&event), seq + 1, "numbers are never reused");
    }

    #[test]
    fn entries_serialise_with_their_kind_and_the_answer_of_each_attempt() {
        let attempt = PushAttempt {
            at_ms: 7,
            answer: PushAnswer::Refused { status: 503 },
        };
        assert_eq!(
            serde_json::to_value(&attempt).unwrap(),
            json!({"at": 7, "answer": "refused", "status": 503})
        );
        let entry = ActivityEntry {
            seq: 1,
            at_ms: 5,
            detail: Activity::Call(call("/api/v1/finchat/open-api/rooms")),
        };
        let value = serde_json::to_value(&entry).unwrap();
        assert_eq!(value["kind"], "call");
        assert_eq!(value["at"], 5);
        assert_eq!(value["path"], "/api/v1/finchat/open-api/rooms");
    }

    #[test]
    fn operations_leave_the_ids_out() {
        let operation = |path: &str| call(path).operation().to_owned();
        assert_eq!(
            operation("/api/v1/finchat/open-api/message/send"),
            "message/send"
        );
        assert_eq!(
            operation("/api/v1/finchat/open-api/rooms/!finance:sandbox"),
            "rooms/{room_id}"
        );
        assert_eq!(
            operation("/api/v1/finchat/open-api/media/download/sandbox/abc"),
            "media/download"
        );
        assert_eq!(
            operation("/api/v1/finchat/privilege-api/forwarder/app/events"),
            "forwarder/events"
        );
    }
}
