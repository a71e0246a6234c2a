//! Messages: send (to rooms and users, split into batches the server accepts, sent with bounded
//! concurrency), update-cui, webhook send, send-as-user and send-to-device. Content is validated before
//! anything is sent.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use finchat_cui::{EventId, Fcid, MessageContent, RoomId};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tracing::Instrument;

use super::received::MaybeId;
use super::report::{SendAnswer, SendReport, Target, whole_request_failed};
use crate::client::Call;
use crate::retry::Retry;
use crate::{Client, Error, telemetry};

const SEND: &str = "/api/v1/finchat/open-api/message/send";
const UPDATE_CUI: &str = "/api/v1/finchat/open-api/message/update-cui";
const WEBHOOK_SEND: &str = "/api/v1/finchat/open-api/message/webhook/send";
const SEND_AS_USER: &str = "/api/v1/finchat/privilege-api/message/send-as-user";
const SEND_TO_DEVICE: &str = "/api/v1/finchat/open-api/message/send-to-device";

/// The message calls: `client.messages()`.
#[derive(Clone, Copy)]
pub struct Messages<'a> {
    client: &'a Client,
}

impl Client {
    /// Sending and updating messages.
    pub fn messages(&self) -> Messages<'_> {
        Messages { client: self }
    }
}

/// Called after each batch with (targets done, targets in all). A callback that panics is not called
/// again, and the send goes on (the panic is logged once at `warn`).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Which API a [`SendRequest`] calls.
#[derive(Clone)]
enum Kind {
    Send,
    UpdateCui { origin: EventId },
    AsUser { sender: Fcid, topic: Option<String> },
}

/// A send (or update-cui, or send-as-user) to rooms and users; see [`Messages::send`].
#[must_use = "nothing is sent until `.send().await`"]
pub struct SendRequest<'a> {
    client: &'a Client,
    kind: Kind,
    content: MessageContent,
    targets: Vec<Target>,
    batch_size: usize,
    concurrency: usize,
    progress: Option<Progress>,
}

impl<'a> Messages<'a> {
    /// Sends `content` to rooms and users (`POST …/message/send`).
    ///
    /// Any number of targets: they are sent in batches of at most the client's batch size (rooms and
    /// users in separate requests, since the API ignores `fcids` when `room_ids` is given), several
    /// batches at once, and a batch the server finds too large is halved and sent again (it was
    /// refused whole, so nothing is sent twice). Each target gets its own result.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let card = finchat_cui::cui! { <form><text>"周报提醒"</text><submit>"已读"</submit></form> };
    /// let report = client
    ///     .messages()
    ///     .send(card)
    ///     .room("!a:example.org".parse().unwrap())
    ///     .fcid("@alice:example.org".parse().unwrap())
    ///     .send()
    ///     .await?;
    /// for result in report.undelivered() {
    ///     eprintln!("{}: {:?}", result.target, result.delivery);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(&self, content: impl Into<MessageContent>) -> SendRequest<'a> {
        self.request(Kind::Send, content.into())
    }

    /// Replaces the card `origin` in place (`PUT …/message/update-cui`), in the given rooms or for
    /// the given users (for an exclusive card).
    pub fn update_cui(
        &self,
        origin: EventId,
        content: impl Into<MessageContent>,
    ) -> SendRequest<'a> {
        self.request(Kind::UpdateCui { origin }, content.into())
    }

    /// Sends `content` in `sender`'s name (`POST …/privilege-api/message/send-as-user`). To users,
    /// their direct rooms with `sender` are created as needed. Cards (`m.cui`) cannot be sent this way.
    pub fn send_as_user(
        &self,
        sender: Fcid,
        content: impl Into<MessageContent>,
    ) -> SendRequest<'a> {
        self.request(
            Kind::AsUser {
                sender,
                topic: None,
            },
            content.into(),
        )
    }

    fn request(&self, kind: Kind, content: MessageContent) -> SendRequest<'a> {
        SendRequest {
            client: self.client,
            kind,
            content,
            targets: Vec::new(),
            batch_size: self.client.inner.batch_size,
            concurrency: self.client.inner.concurrency,
            progress: None,
        }
    }

    /// Sends `content` through a webhook bot (`POST …/message/webhook/send`); the new message's id,
    /// kept raw when the server answers one that is not a valid event id (the message was sent).
    ///
    /// # Errors
    ///
    /// An [`Error`] with [`Error::problems`] (class `Local`, nothing sent) for invalid content;
    /// else the API's refusal (`FC_BAD_JSON`, `FC_INVALID_ACCESS_TOKEN`, …) or a transport,
    /// time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn send_webhook(
        &self,
        webhook_id: &str,
        content: impl Into<MessageContent>,
    ) -> Result<MaybeId<EventId>, Error> {
        #[derive(Deserialize)]
        struct Answer {
            event_id: MaybeId<EventId>,
        }
        let content = validated(content.into())?;
        let call = Call::new(Method::POST, WEBHOOK_SEND).json(json!({
            "app_id": self.client.app_id(),
            "webhook_id": webhook_id,
            "content": content,
        }));
        Ok(self.client.call_json::<Answer>(call).await?.event_id)
    }

    /// A to-device message (`PUT …/message/send-to-device`): not stored in any room's history. The
    /// transaction id makes it safe to repeat, so a failed attempt is retried.
    pub fn send_to_device(
        &self,
        event_type: impl Into<String>,
        transaction_id: impl Into<String>,
    ) -> ToDeviceRequest<'a> {
        ToDeviceRequest {
            client: self.client,
            event_type: event_type.into(),
            transaction_id: transaction_id.into(),
            messages: BTreeMap::new(),
        }
    }
}

impl SendRequest<'_> {
    /// Adds a room.
    pub fn room(mut self, room: RoomId) -> Self {
        self.targets.push(Target::Room(room));
        self
    }

    /// Adds rooms.
    pub fn rooms(mut self, rooms: impl IntoIterator<Item = RoomId>) -> Self {
        self.targets.extend(rooms.into_iter().map(Target::Room));
        self
    }

    /// Adds a user: the message goes to their direct room with the app.
    pub fn fcid(mut self, fcid: Fcid) -> Self {
        self.targets.push(Target::User(fcid));
        self
    }

    /// Adds users.
    pub fn fcids(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.targets.extend(fcids.into_iter().map(Target::User));
        self
    }

    /// Adds rooms and users as [`Target`]s: for instance the targets a report says did not get the
    /// message ([`SendReport::undelivered`](crate::SendReport::undelivered)), to try them again.
    pub fn targets(mut self, targets: impl IntoIterator<Item = Target>) -> Self {
        self.targets.extend(targets);
        self
    }

    /// Sets the topic of the direct rooms (send-as-user to users only).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        if let Kind::AsUser { topic: t, .. } = &mut self.kind {
            *t = Some(topic.into());
        }
        self
    }

    /// Targets per request (default: the client's batch size).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = size.max(1);
        self
    }

    /// Requests at once (default: the client's concurrency).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Calls `progress(done, total)` after each batch. If it panics, the panic is logged once at
    /// `warn`, it is not called again, and the send goes on: the report still comes back.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Sends it. `Err` only when nothing was sent: invalid content, no targets, no token. Failures of
    /// single targets or batches are in the report.
    ///
    /// # Errors
    ///
    /// An [`Error`] only when nothing was sent: invalid content ([`Error::problems`]), a request
    /// refused as it is (class `Local`: no targets, non-card content for `update_cui`, a card for
    /// `send_as_user`, a `topic` with rooms), or no access token. Per-target and per-batch failures
    /// are data in the [`SendReport`], not errors.
    pub async fn send(self) -> Result<SendReport, Error> {
        let content = validated(self.content)?;
        match (&self.kind, &content) {
            (Kind::UpdateCui { .. }, MessageContent::Cui(_)) | (Kind::Send, _) => {}
            (Kind::UpdateCui { .. }, other) => {
                return Err(Error::refused(format!(
                    "update-cui replaces a card; the content is {}, not m.cui",
                    other.msgtype()
                )));
            }
            (Kind::AsUser { .. }, MessageContent::Cui(_)) => {
                return Err(Error::refused(
                    "send-as-user does not send cards (m.cui); send the card as the app",
                ));
            }
            (Kind::AsUser { topic: Some(_), .. }, _)
                if self.targets.iter().any(|t| matches!(t, Target::Room(_))) =>
            {
                return Err(Error::refused(
                    "a topic applies to direct rooms with users (fcids), not to room_ids",
                ));
            }
            (Kind::AsUser { .. }, _) => {}
        }
        if self.targets.is_empty() {
            return Err(Error::refused("no rooms and no fcids to send to"));
        }
        // Fetch the token once up front, so that batches running at once do not each wait for it.
        self.client.access_token().await?;
        let batches = batches(&self.targets, self.batch_size);
        let plan = Arc::new(Plan {
            client: self.client.clone(),
            kind: self.kind,
            content: serde_json::to_value(&content)
                .map_err(|e| Error::refused(format!("content cannot be written as JSON: {e}")))?,
            total: self.targets.len(),
            done: AtomicUsize::new(0),
            progress: self.progress,
            progress_panicked: AtomicBool::new(false),
        });
        let mut reports: Vec<Option<SendReport>> = vec![None; batches.len()];
        // Which batch each task sends, so that a task that fails still has its targets reported.
        let mut tasks = std::collections::HashMap::new();
        let mut running = JoinSet::new();
        let mut pending = batches.into_iter().enumerate();
        loop {
            while running.len() < self.concurrency {
                let Some((index, batch)) = pending.next() else {
                    break;
                };
                let plan = Arc::clone(&plan);
                let targets = batch.clone();
                let task = running
                    .spawn(async move { (index, plan.send_batch(batch).await) }.in_current_span());
                tasks.insert(task.id(), (index, targets));
            }
            match running.join_next_with_id().await {
                Some(Ok((id, (index, report)))) => {
                    tasks.remove(&id);
                    reports[index] = Some(report);
                }
                Some(Err(join_error)) => {
                    // Some of its requests may have gone out: its targets are unknown.
                    if let Some((index, targets)) = tasks.remove(&join_error.id()) {
                        reports[index] = Some(SendReport::unknown(
                            &targets,
                            &format!("the task sending this batch failed: {join_error}"),
                        ));
                    }
                }
                None => break,
            }
        }
        let mut report = SendReport::default();
        for part in reports.into_iter().flatten() {
            report.extend(part);
        }
        Ok(report)
    }
}

/// Splits targets into batches of one kind (rooms, users), each at most `size` long, keeping order.
fn batches(targets: &[Target], size: usize) -> Vec<Vec<Target>> {
    let rooms: Vec<Target> = targets
        .iter()
        .filter(|t| matches!(t, Target::Room(_)))
        .cloned()
        .collect();
    let users: Vec<Target> = targets
        .iter()
        .filter(|t| matches!(t, Target::User(_)))
        .cloned()
        .collect();
    rooms
        .chunks(size)
        .chain(users.chunks(size))
        .map(<[Target]>::to_vec)
        .collect()
}

/// What every batch of one send shares.
struct Plan {
    client: Client,
    kind: Kind,
    content: Value,
    total: usize,
    done: AtomicUsize,
    progress: Option<Progress>,
    /// Set once the progress callback panicked: it is not called again.
    progress_panicked: AtomicBool,
}

impl Plan {
    /// Sends one batch; a batch the server finds too large is halved and each half sent again.
    async fn send_batch(&self, batch: Vec<Target>) -> SendReport {
        let mut pending = vec![batch];
        let mut report = SendReport::default();
        while let Some(batch) = pending.pop() {
            match self.request(&batch).await {
                Err(error)
                    if error.fc_code().is_some_and(|c| c.is_limit_exceeded())
                        && batch.len() > 1 =>
                {
                    tracing::debug!(
                        size = batch.len(),
                        "batch over the server's limit; halving it"
                    );
                    let (first, second) = batch.split_at(batch.len() / 2);
                    pending.push(second.to_vec());
                    pending.push(first.to_vec());
                }
                Err(error) => {
                    let failed = whole_request_failed(&batch, &error);
                    telemetry::target_results(&failed);
                    report.extend(failed);
                }
                Ok(part) => report.extend(part),
            }
        }
        let done =
            self.done.fetch_add(report.results.len(), Ordering::SeqCst) + report.results.len();
        self.report_progress(done);
        // Halving sends halves in order, so the batch's own order is kept.
        report
    }

    /// Calls the progress callback, unless it panicked before. A panic is caught (a send that went
    /// out must return its report) and logged once.
    fn report_progress(&self, done: usize) {
        let Some(progress) = &self.progress else {
            return;
        };
        if self.progress_panicked.load(Ordering::SeqCst) {
            return;
        }
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| progress(done, self.total)));
        if let Err(panic) = called
            && !self.progress_panicked.swap(true, Ordering::SeqCst)
        {
            tracing::warn!(
                panic = %crate::panic_message(&*panic),
                "the on_progress callback panicked; it is not called again, the send goes on"
            );
        }
    }

    /// Sends one request; its answer as each target's result.
    async fn request(&self, batch: &[Target]) -> Result<SendReport, Error> {
        let ids: Vec<String> = batch.iter().map(ToString::to_string).collect();
        let field = match batch.first() {
            Some(Target::User(_)) => "fcids",
            _ => "room_ids",
        };
        let mut body =
            json!({ "app_id": self.client.app_id(), field: ids, "content": self.content });
        let (method, path) = match &self.kind {
            Kind::Send => (Method::POST, SEND),
            Kind::UpdateCui { origin } => {
                telemetry::update_cui_called();
                body["origin_event"] = json!(origin);
                (Method::PUT, UPDATE_CUI)
            }
            Kind::AsUser { sender, topic } => {
                body["sender"] = json!(sender);
                if let Some(topic) = topic {
                    body["topic"] = json!(topic);
                }
                (Method::POST, SEND_AS_USER)
            }
        };
        let call = Call::new(method, path).json(body);
        self.client
            .call_json_then(call, |answer: SendAnswer| {
                let report = answer.report(batch);
                telemetry::target_results(&report);
                report
            })
            .await
    }
}

fn validated(content: MessageContent) -> Result<MessageContent, Error> {
    content.validated().map_err(Error::invalid_content)
}

/// A to-device message; see [`Messages::send_to_device`].
#[must_use = "nothing is sent until `.send().await`"]
pub struct ToDeviceRequest<'a> {
    client: &'a Client,
    event_type: String,
    transaction_id: String,
    messages: BTreeMap<String, BTreeMap<String, Value>>,
}

impl ToDeviceRequest<'_> {
    /// Adds `payload` for `fcid`'s device `device_id`, or for all their devices with `"*"`.
    pub fn message(mut self, fcid: &Fcid, device_id: impl Into<String>, payload: Value) -> Self {
        self.messages
            .entry(fcid.to_string())
            .or_default()
            .insert(device_id.into(), payload);
        self
    }

    /// Sends it.
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` when no message was added (nothing is sent); else the API's
    /// refusal (`FC_BAD_JSON`, `FC_FCID_NOT_FOUND`, …) or a transport, time-out or
    /// unreadable-answer failure; see [`Error::class`].
    pub async fn send(self) -> Result<(), Error> {
        if self.messages.is_empty() {
            return Err(Error::refused(
                "a to-device message needs at least one user and device",
            ));
        }
        let call = Call::new(Method::PUT, SEND_TO_DEVICE)
            .query("app_id", self.client.app_id())
            .query("event_type", self.event_type)
            .query("transaction_id", self.transaction_id)
            .json(json!({ "messages": self.messages }))
            .retry(Retry::Safe);
        self.client.call_json::<Value>(call).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_rooms_and_users_apart_and_stay_under_the_size() {
        let room = |i: usize| Target::Room(format!("!r{i}:x").parse().unwrap());
        let user = |i: usize| Target::User(format!("@u{i}:x").parse().unwrap());
        let targets: Vec<Target> = (0..5)
            .map(room)
            .chain((0..3).map(user))
            .chain([room(9)])
            .collect();
        let batches = batches(&targets, 2);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 2, 2, 2, 1]);
        assert!(
            batches[..3]
                .iter()
                .flatten()
                .all(|t| matches!(t, Target::Room(_)))
        );
        assert!(
            batches[3..]
                .iter()
                .flatten()
                .all(|t| matches!(t, Target::User(_)))
        );
    }
}
