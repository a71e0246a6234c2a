//! [`CardRegistry`]: sends cards and keeps them, changes them by compare-and-set, and pushes each
//! change to every copy.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use finchat_cui::{CuiContent, CuiForm, Fcid, Problems, RoomId};
use serde::Serialize;
use serde_json::Value;

use super::edit::{self, CardEdit};
use super::notices::Notices;
use super::store::{CardFilter, CardStore, StoreError};
use super::{CardCopy, CardId, CardRecord, Phase};
use crate::millis::{duration_ms, now_ms};
use crate::race::first;
use crate::{Client, SendReport, Target};

/// Why the registry could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// The card store failed or did not answer in time.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The content (as sent, or after a change) breaks a rule of the format; nothing was sent.
    #[error("card `{id}`: the content is invalid: {problems}")]
    Invalid {
        /// The card (`-` for one not yet registered).
        id: String,
        /// Every problem, by its path.
        problems: Problems,
    },
    /// The send or update request failed as a whole.
    #[error("card `{id}`: {source}")]
    Request {
        /// The card.
        id: String,
        /// Why.
        #[source]
        source: crate::Error,
    },
    /// The app's data for the card cannot be written as JSON; nothing was sent.
    #[error("the card's data cannot be written as JSON: {0}")]
    Data(#[source] serde_json::Error),
    /// No target got the card, so there is nothing to register.
    #[error("the card reached none of its targets: {}", undelivered(.0))]
    NotSent(SendReport),
    /// No card with this id is registered.
    #[error("no card `{0}` is registered")]
    Unknown(CardId),
    /// Other changes of the card kept coming first; this one was given up after `tries` tries.
    #[error("card `{id}` kept changing under this change; gave up after {tries} tries")]
    Contended {
        /// The card.
        id: CardId,
        /// How many times the change was tried.
        tries: u32,
    },
}

/// Each target `report` says did not certainly get the message, and why, on one line.
pub(super) fn undelivered(report: &SendReport) -> String {
    report
        .undelivered()
        .map(|r| format!("{}: {:?}", r.target, r.delivery))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A change that was kept and pushed: the card as kept now, and what update-cui did for each copy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Updated {
    /// The card after the change.
    pub card: CardRecord,
    /// One result per copy updated (and per person's own copy).
    pub report: SendReport,
}

impl Updated {
    /// Whether every copy shows the change.
    pub fn all_delivered(&self) -> bool {
        self.report.all_delivered()
    }
}

/// The cards a bot sent, with what it takes to change them and see them decided once: a
/// [`CardStore`] that keeps them, the [`Client`] that updates them, and the lifecycle's settings.
///
/// Cheap to clone; clones share everything.
///
/// ```no_run
/// # async fn demo(client: finchat_client::Client, room: finchat_cui::RoomId) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use finchat_client::cards::{CardRegistry, MemoryCardStore};
/// use finchat_cui::{Status, cui};
///
/// let registry = CardRegistry::new(client, MemoryCardStore::new());
/// let card = cui! { <form><text>"报销申请 #42"</text><input key="amount" value="1200"/><submit>"提交"</submit></form> };
/// let sent = registry.send(card).room(room).label("claim", "42").deadline(Duration::from_secs(86_400)).send().await?;
/// // Later, from any instance that shares the store:
/// registry.patch(sent.id(), |card| { card.set_value("amount", "1500"); card.set_status(Status::Input); }).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CardRegistry {
    pub(super) client: Client,
    pub(super) store: Arc<dyn CardStore>,
    pub(super) store_deadline: Duration,
    pub(super) lease: Duration,
    pub(super) loading: bool,
    pub(super) tries: u32,
    pub(super) poll_every: Duration,
    pub(super) notices: Arc<Notices>,
    pub(super) changed: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for CardRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardRegistry")
            .field("store_deadline", &self.store_deadline)
            .field("lease", &self.lease)
            .field("loading", &self.loading)
            .finish_non_exhaustive()
    }
}

impl CardRegistry {
    /// A registry that sends and updates cards with `client` and keeps them in `store`.
    pub fn new(client: Client, store: impl CardStore + 'static) -> Self {
        Self::with_store(client, Arc::new(store))
    }

    /// A registry on a store shared with other parts of the app.
    pub fn with_store(client: Client, store: Arc<dyn CardStore>) -> Self {
        Self {
            client,
            store,
            store_deadline: Duration::from_secs(5),
            lease: Duration::from_secs(20),
            loading: true,
            tries: 8,
            poll_every: Duration::from_millis(500),
            notices: Arc::new(Notices::default()),
            changed: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// How long each call to the store may take (default 5 s); past it, the call fails with
    /// [`StoreError::TimedOut`].
    #[must_use]
    pub fn store_deadline(mut self, deadline: Duration) -> Self {
        self.store_deadline = deadline;
        self
    }

    /// How long a decision handler may run (default 20 s). Its submission holds the card for that
    /// long (a lease: another instance takes the card over only after it); a handler still running
    /// then is stopped and the submission counts as failed. The same holds for an expiry handler
    /// ([`CardRegistry::expire_due`]). Keep it below the receiver's (or the
    /// polling consumer's) handler deadline, 25 s by default, so that the lifecycle can put the card
    /// back before the receiver gives up on the event.
    #[must_use]
    pub fn handler_deadline(mut self, deadline: Duration) -> Self {
        self.lease = deadline;
        self
    }

    /// Whether a card shows `loading` while its decision handler runs (default `true`).
    #[must_use]
    pub fn show_loading(mut self, loading: bool) -> Self {
        self.loading = loading;
        self
    }

    /// The texts the lifecycle sends and draws (defaults in Chinese).
    #[must_use]
    pub fn notices(mut self, notices: Notices) -> Self {
        self.notices = Arc::new(notices);
        self
    }

    /// The client the registry sends with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends `content` and registers it: one copy per target that got it.
    pub fn send(&self, content: impl Into<CuiContent>) -> RegisterRequest<'_> {
        RegisterRequest {
            registry: self,
            content: content.into(),
            targets: Vec::new(),
            id: None,
            kind: String::from("card"),
            labels: BTreeMap::new(),
            data: Ok(Value::Null),
            approvers: Vec::new(),
            deadline: None,
            ask: false,
        }
    }

    /// Sends the card of a decision to be taken as the form `T` (an approval): the kind is `T`'s
    /// name, so that [`Dispatcher::on_decision::<T>`](crate::Dispatcher::on_decision) gets its
    /// submissions. Sent to people ([`RegisterRequest::fcids`]) with no approvers named, those
    /// people are the approvers.
    pub fn ask<T: CuiForm>(&self, content: impl Into<CuiContent>) -> RegisterRequest<'_> {
        let mut request = self.send(content);
        request.kind = kind_of::<T>().to_owned();
        request.ask = true;
        request
    }

    /// The card `id`.
    ///
    /// # Errors
    ///
    /// [`CardError::Store`] when the store fails.
    pub async fn get(&self, id: &CardId) -> Result<Option<CardRecord>, CardError> {
        Ok(self.timed("get", self.store.get(id)).await?)
    }

    /// The card one of whose copies is the event `origin`.
    pub(crate) async fn by_origin(
        &self,
        origin: &finchat_cui::EventId,
    ) -> Result<Option<CardRecord>, StoreError> {
        self.timed("by_origin", self.store.by_origin(origin)).await
    }

    /// Changes the card `id` with `edit`, validates the result, keeps it (compare-and-set, retried
    /// on the new revision when another change came first) and updates every copy.
    ///
    /// # Errors
    ///
    /// [`CardError::Unknown`], [`CardError::Invalid`] (nothing kept or sent),
    /// [`CardError::Contended`], [`CardError::Store`]. A copy the update did not reach is in
    /// [`Updated::report`], not an error.
    pub async fn patch(
        &self,
        id: &CardId,
        mut edit: impl FnMut(&mut CardEdit<'_>),
    ) -> Result<Updated, CardError> {
        let changed = self
            .change(id, None, |card| {
                edit(&mut CardEdit::new(card));
                Ok(Some(()))
            })
            .await?;
        let (card, ()) = changed.ok_or_else(|| CardError::Unknown(id.clone()))?;
        Ok(self.push(card).await)
    }

    /// Applies `edit` to every card `filter` selects, each as [`CardRegistry::patch`] does.
    ///
    /// # Errors
    ///
    /// [`CardError::Store`] when the cards cannot be found; each card's own failure is in
    /// [`Refreshed::failed`].
    pub async fn refresh(
        &self,
        filter: &CardFilter,
        mut edit: impl FnMut(&mut CardEdit<'_>),
    ) -> Result<Refreshed, CardError> {
        let cards = self.timed("find", self.store.find(filter)).await?;
        let mut refreshed = Refreshed::default();
        for card in cards {
            let id = card.id.clone();
            let changed = self
                .change(&id, Some(card), |card| {
                    if !filter.matches(card) {
                        return Ok(None);
                    }
                    edit(&mut CardEdit::new(card));
                    Ok(Some(()))
                })
                .await;
            match changed {
                Ok(Some((card, ()))) => refreshed.updated.push(self.push(card).await),
                Ok(None) => {}
                Err(error) => refreshed.failed.push((id, error)),
            }
        }
        Ok(refreshed)
    }

    /// Waits until the card `id` is decided or expired, and gives it; a decision taken by another
    /// instance is seen within [`CardRegistry::poll_every`] (default 500 ms).
    ///
    /// # Errors
    ///
    /// [`CardError::Unknown`] and [`CardError::Store`].
    pub async fn wait_closed(&self, id: &CardId) -> Result<CardRecord, CardError> {
        loop {
            let changed = self.changed.notified();
            let card = self
                .get(id)
                .await?
                .ok_or_else(|| CardError::Unknown(id.clone()))?;
            if card.phase.is_final() {
                return Ok(card);
            }
            let _ = first(changed, tokio::time::sleep(self.poll_every)).await;
        }
    }

    /// Waits for the decision on the card `id` (sent with [`CardRegistry::ask`]) and reads it as
    /// the form `T`: `None` when the card expired undecided. An exclusive card (`shared: false`)
    /// has no one decision: each person's is in [`CardRecord::user_phases`], and the card closes
    /// only when it expires, so this waits for its deadline and gives `None`.
    ///
    /// # Errors
    ///
    /// As [`CardRegistry::wait_closed`]; [`CardError::Store`] with [`StoreError::Corrupt`] when the
    /// kept submission does not read as `T`.
    pub async fn decision<T: CuiForm>(&self, id: &CardId) -> Result<Option<Decided<T>>, CardError> {
        let card = self.wait_closed(id).await?;
        let Phase::Decided {
            by,
            at_ms,
            outcome,
            submission,
            ..
        } = &card.phase
        else {
            return Ok(None);
        };
        let submission = submission.clone().unwrap_or_default();
        let form = T::from_submission(&submission).map_err(|errors| StoreError::Corrupt {
            id: id.to_string(),
            reason: format!("the decision kept does not read as the form: {errors}"),
        })?;
        Ok(Some(Decided {
            form,
            by: by.clone(),
            at_ms: *at_ms,
            outcome: outcome.clone(),
        }))
    }

    /// Forgets the cards decided or expired more than `older_than` ago (by when they were
    /// registered), so that a durable store does not grow for ever; the number forgotten. A
    /// submission on a forgotten card goes to the dispatcher's next route, as for any unknown card.
    ///
    /// It reads every card to find them: run it now and then (daily), not per event.
    ///
    /// # Errors
    ///
    /// [`CardError::Store`] when the cards cannot be read or one cannot be removed (those before it
    /// are removed).
    pub async fn forget_closed(&self, older_than: Duration) -> Result<usize, CardError> {
        let before = now_ms().saturating_sub(duration_ms(older_than));
        let cards = self
            .timed("find", self.store.find(&CardFilter::all()))
            .await?;
        let mut forgotten = 0;
        for card in cards
            .iter()
            .filter(|c| c.phase.is_final() && c.created_ms < before)
        {
            self.timed("remove", self.store.remove(&card.id)).await?;
            forgotten += 1;
        }
        Ok(forgotten)
    }

    /// How often [`CardRegistry::wait_closed`] looks at the store for another instance's decision
    /// (default 500 ms).
    #[must_use]
    pub fn poll_every(mut self, every: Duration) -> Self {
        self.poll_every = every;
        self
    }

    /// Runs `call` under the store deadline.
    pub(super) async fn timed<T>(
        &self,
        call: &'static str,
        future: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.store_deadline, future).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::TimedOut {
                call,
                after: self.store_deadline,
            }),
        }
    }

    /// Reads the card (or starts from `known`), applies `change` and keeps the result by
    /// compare-and-set, reading again and retrying when another change came first. `Ok(None)`: the
    /// card is not registered, or `change` wanted no change.
    pub(super) async fn change<R>(
        &self,
        id: &CardId,
        known: Option<CardRecord>,
        mut change: impl FnMut(&mut CardRecord) -> Result<Option<R>, CardError>,
    ) -> Result<Option<(CardRecord, R)>, CardError> {
        let mut known = known;
        for _ in 0..self.tries {
            let mut next = match known.take() {
                Some(card) => card,
                None => match self.get(id).await? {
                    Some(card) => card,
                    None => return Ok(None),
                },
            };
            let read_at = next.revision;
            let Some(result) = change(&mut next)? else {
                return Ok(None);
            };
            check(&next)?;
            next.revision = read_at + 1;
            if self.timed("replace", self.store.replace(&next)).await? {
                self.changed.notify_waiters();
                return Ok(Some((next, result)));
            }
        }
        Err(CardError::Contended {
            id: id.clone(),
            tries: self.tries,
        })
    }

    /// Updates every copy to what `card` holds, then makes sure a newer revision kept meanwhile (by
    /// another instance, whose update may have landed before this one) is what the copies show.
    pub(super) async fn push(&self, card: CardRecord) -> Updated {
        let mut card = card;
        let mut report = self.update_copies(&card).await;
        for _ in 0..self.tries {
            match self.timed("revision", self.store.revision(&card.id)).await {
                Ok(Some(kept)) if kept > card.revision => match self.get(&card.id).await {
                    Ok(Some(newer)) => {
                        report = self.update_copies(&newer).await;
                        card = newer;
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(card = %card.id, %error, "could not read the newer revision of a card after an update");
                        break;
                    }
                },
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(card = %card.id, %error, "could not check the card is current after an update");
                    break;
                }
            }
        }
        Updated { card, report }
    }

    /// update-cui for every copy, then every person's own copy.
    async fn update_copies(&self, card: &CardRecord) -> SendReport {
        let mut report = SendReport::default();
        for copy in &card.copies {
            report.extend(self.update(copy, card.content.clone(), &card.id).await);
        }
        for (person, own) in &card.per_user {
            for copy in card.copies.iter().filter(|c| holds(c, person)) {
                let own = edit::own_copy(own.clone(), person);
                report.extend(self.update(copy, own, &card.id).await);
            }
        }
        report
    }

    /// update-cui of one copy.
    pub(super) async fn update(
        &self,
        copy: &CardCopy,
        content: CuiContent,
        id: &CardId,
    ) -> SendReport {
        let request = self
            .client
            .messages()
            .update_cui(copy.origin_event.clone(), content)
            .targets([copy.target.clone()]);
        match request.send().await {
            Ok(report) => report,
            Err(error) => {
                tracing::warn!(card = %id, origin_event = %copy.origin_event, %error, "update-cui failed");
                SendReport::unknown(std::slice::from_ref(&copy.target), &error.to_string())
            }
        }
    }
}

/// Whether `person` can see `copy`: every room copy, and their own direct copy.
fn holds(copy: &CardCopy, person: &Fcid) -> bool {
    match &copy.target {
        Target::Room(_) => true,
        Target::User(fcid) => fcid == person,
    }
}

/// Validates the content and every person's own copy.
fn check(card: &CardRecord) -> Result<(), CardError> {
    let invalid = |problems| CardError::Invalid {
        id: card.id.to_string(),
        problems,
    };
    card.content.validate().map_err(invalid)?;
    for own in card.per_user.values() {
        own.validate().map_err(invalid)?;
    }
    Ok(())
}

/// The kind under which cards of the form `T` are registered: its type's name without its path.
pub(crate) fn kind_of<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    let name = name.split('<').next().unwrap_or(name);
    name.rsplit("::").next().unwrap_or(name)
}

/// What a bulk [`CardRegistry::refresh`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Refreshed {
    /// Each card changed, with what its update did.
    pub updated: Vec<Updated>,
    /// Each card that could not be changed, and why.
    pub failed: Vec<(CardId, CardError)>,
}

/// A decision as [`CardRegistry::decision`] gives it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decided<T> {
    /// What was submitted, as the form.
    pub form: T,
    /// Who decided.
    pub by: Fcid,
    /// When (milliseconds since the Unix epoch).
    pub at_ms: i64,
    /// The outcome line the card shows.
    pub outcome: Option<String>,
}

/// A card to send and register: [`CardRegistry::send`], [`CardRegistry::ask`].
#[must_use = "a request does nothing until `.send().await`"]
pub struct RegisterRequest<'r> {
    registry: &'r CardRegistry,
    content: CuiContent,
    targets: Vec<Target>,
    id: Option<CardId>,
    kind: String,
    labels: BTreeMap<String, String>,
    data: Result<Value, serde_json::Error>,
    approvers: Vec<Fcid>,
    deadline: Option<Duration>,
    /// Sent by [`CardRegistry::ask`]: the people it goes to are the approvers unless named.
    ask: bool,
}

impl RegisterRequest<'_> {
    /// Sends it to a room.
    pub fn room(mut self, room: RoomId) -> Self {
        self.targets.push(Target::Room(room));
        self
    }

    /// Sends it to rooms.
    pub fn rooms(mut self, rooms: impl IntoIterator<Item = RoomId>) -> Self {
        self.targets.extend(rooms.into_iter().map(Target::Room));
        self
    }

    /// Sends it to a person's direct room with the app.
    pub fn fcid(mut self, fcid: Fcid) -> Self {
        self.targets.push(Target::User(fcid));
        self
    }

    /// Sends it to people's direct rooms with the app.
    pub fn fcids(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.targets.extend(fcids.into_iter().map(Target::User));
        self
    }

    /// Registers it under `id` (default: a random id). Sending again with an id already registered
    /// sends nothing and gives the card kept under it, so a retried request is not sent twice.
    pub fn id(mut self, id: CardId) -> Self {
        self.id = Some(id);
        self
    }

    /// Its kind, for filters (default `card`; [`CardRegistry::ask`] sets the form's name).
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = kind.into();
        self
    }

    /// A label, for filters.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// The app's data for the card, kept with it as JSON (the card itself carries no hidden
    /// state); a handler reads it back from [`CardRecord::data`]. Should it not be writable as
    /// JSON, [`RegisterRequest::send`] fails with [`CardError::Data`] and sends nothing.
    pub fn data(mut self, data: &impl Serialize) -> Self {
        self.data = serde_json::to_value(data);
        self
    }

    /// Who may decide; a submission from anyone else is answered with a notice and changes
    /// nothing.
    pub fn approvers(mut self, approvers: impl IntoIterator<Item = Fcid>) -> Self {
        self.approvers.extend(approvers);
        self
    }

    /// Closes the card as expired this long after it is sent.
    pub fn deadline(mut self, after: Duration) -> Self {
        self.deadline = Some(after);
        self
    }

    /// Sends the card and registers it.
    ///
    /// When the card reached some targets but could not be registered (the store failed), each
    /// copy is closed (`disable`, with [`Notices::unregistered`]) so that nobody fills in a card whose
    /// answer would be lost, and the store's error is returned.
    ///
    /// # Errors
    ///
    /// [`CardError::Invalid`] (nothing sent), [`CardError::Request`], [`CardError::NotSent`] (no
    /// target got it), [`CardError::Store`].
    pub async fn send(self) -> Result<Registered, CardError> {
        let registry = self.registry;
        let data = self.data.map_err(CardError::Data)?;
        // Only an id the app chose can be a retry of a request already registered; a new random
        // one costs no store call.
        if let Some(id) = &self.id
            && let Some(card) = registry.get(id).await?
        {
            return Ok(Registered {
                card,
                report: SendReport::default(),
            });
        }
        let id = self.id.unwrap_or_else(CardId::random);
        self.content
            .validate()
            .map_err(|problems| CardError::Invalid {
                id: id.to_string(),
                problems,
            })?;
        let request = registry
            .client
            .messages()
            .send(self.content.clone())
            .targets(self.targets.iter().cloned());
        let report = request.send().await.map_err(|source| CardError::Request {
            id: id.to_string(),
            source,
        })?;
        let copies: Vec<CardCopy> = report
            .results
            .iter()
            .filter_map(|r| {
                r.event_id().map(|event| CardCopy {
                    target: r.target.clone(),
                    origin_event: event.clone(),
                })
            })
            .collect();
        if copies.is_empty() {
            return Err(CardError::NotSent(report));
        }
        let mut approvers = self.approvers;
        if approvers.is_empty() && self.ask {
            approvers = self
                .targets
                .iter()
                .filter_map(|t| match t {
                    Target::User(fcid) => Some(fcid.clone()),
                    Target::Room(_) => None,
                })
                .collect();
        }
        let mut card = CardRecord::new(id.clone(), self.kind, self.content, copies);
        card.labels = self.labels;
        card.data = data;
        card.approvers = approvers;
        card.deadline_ms = self
            .deadline
            .map(|after| now_ms().saturating_add(duration_ms(after)));
        if let Err(error) = registry.timed("insert", registry.store.insert(&card)).await {
            tracing::error!(card = %id, %error, "a sent card could not be registered; closing its copies");
            let closed = edit::closed(&card.content, Some(&registry.notices.unregistered));
            for copy in &card.copies {
                registry.update(copy, closed.clone(), &id).await;
            }
            return Err(error.into());
        }
        Ok(Registered { card, report })
    }
}

/// A card sent and registered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Registered {
    /// The card as kept.
    pub card: CardRecord,
    /// What the send did for each target (empty when the id was already registered).
    pub report: SendReport,
}

impl Registered {
    /// Its id in the registry.
    pub fn id(&self) -> &CardId {
        &self.card.id
    }
}

#[cfg(test)]
mod tests {
    use super::kind_of;

    struct ApprovalForm;

    #[test]
    fn a_form_kind_is_its_type_name_without_its_path() {
        assert_eq!(kind_of::<ApprovalForm>(), "ApprovalForm");
        assert_eq!(kind_of::<Vec<u8>>(), "Vec");
    }
}
