//! The polling consumer: fetches events from the forwarder API (`GET …/forwarder/:app_id/events`),
//! hands each to the dispatcher in order, and saves the page's `since` (what the API says to pass back)
//! once every event of the page is handled or given up on.
//!
//! What is guaranteed:
//!
//! - **Nothing lost.** The cursor moves only past events that were handled, or kept by the
//!   [`DeadLetter`] (durably, for the default [`FileDeadLetter`]) after the last attempt. A failing
//!   cursor save or dead-letter write stops the consumer before the event, to try again later. Kill
//!   the process at any point: the next run starts at the last saved cursor.
//! - **At most one event twice per kill.** The cursor moves a page at a time (the API gives no
//!   position inside a page); inside the page, each event passed is recorded in the store
//!   ([`CursorStore::save_passed`]: a [`FileCursor`] flushes it to `<cursor file>.passed`) before the
//!   next one starts, so after a restart only the event whose handler had finished but was not yet
//!   recorded comes again. A store that keeps no passed events (the default of the trait,
//!   [`MemoryCursor`]) makes a restart handle the finished part of the page again;
//!   [`PollingConsumer::page_size`] bounds that. Within one run, an event is handled once even when a
//!   later one of its page fails.
//! - **No poison.** Each handler run is a task with a deadline ([`PollingConsumer::handler_deadline`]);
//!   an `Err`, a panic or a late handler is a failed attempt, tried again after a backoff. After
//!   [`PollingConsumer::max_attempts`] the event goes to the dead letter and the consumer moves past
//!   it; an event that cannot be read goes there at once. Attempts are counted in memory: a restart
//!   counts from zero again.
//! - **One consumer at a time.** Several instances may run a consumer over one shared cursor store
//!   (`RedisCursor` with the `redis` feature): the one that holds the store's lease
//!   ([`CursorStore::lease`], [`PollingConsumer::lease`]) polls, renewing it before each fetch and
//!   each event; the others poll nothing ([`Poll::standby`]) and ask again every quarter of the
//!   lease. When the holder dies, its lease lapses and another takes over from the saved cursor and
//!   passed events. Stores that serve one consumer grant the lease always.
//! - **Prompt shutdown.** Once the shutdown future of [`PollingConsumer::run_until`] completes, a
//!   fetch under way is dropped, and the page in hand gets a short grace
//!   ([`PollingConsumer::shutdown_grace`]) to finish and save its cursor; past it, a stuck handler is
//!   aborted and its event not passed, so the next run handles it.

mod cursor;
mod dead_letter;
mod passed;

pub use cursor::{CursorStore, FileCursor, MAX_CURSOR_LEN, MemoryCursor};
pub use dead_letter::{DeadEvent, DeadLetter, FileDeadLetter, LogDeadLetter};

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::dispatcher::{Dispatched, Dispatcher};
use crate::events::Event;
use crate::race::{First, first};
use crate::telemetry;
use crate::{Client, Error, HandlerError};

/// The first wait after a failure; waits double up to [`PollingConsumer::max_backoff`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Poll {
    /// Events handled (or with no handler).
    pub handled: usize,
    /// Events given up on and kept by the dead letter.
    pub dead_lettered: usize,
    /// The event whose handler failed this time and that is tried again at the next poll; the cursor
    /// stays before it.
    pub failure: Option<EventFailure>,
    /// Whether the page was full, so more events may be waiting.
    pub more: bool,
    /// Whether another consumer holds the cursor's lease ([`CursorStore::lease`]), so that this one
    /// fetched nothing (or stopped before the next event of its page).
    pub standby: bool,
}

impl Poll {
    /// Whether an event's handler failed ([`Poll::failure`]).
    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }
}

/// A failed attempt at handling an event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventFailure {
    /// The event's `event_id` (empty when it has none).
    pub event_id: String,
    /// Which attempt this was, from 1.
    pub attempt: u32,
    /// The attempt after which the event goes to the dead letter.
    pub max_attempts: u32,
    /// How it failed.
    pub reason: AttemptError,
}

impl fmt::Display for EventFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "event `{}`: attempt {} of {} failed: {}",
            self.event_id, self.attempt, self.max_attempts, self.reason
        )
    }
}

impl std::error::Error for EventFailure {}

/// How a handler attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptError {
    /// The handler returned `Err` with this message.
    Failed(String),
    /// The handler panicked with this message.
    Panicked(String),
    /// The handler did not finish within its deadline, and was aborted.
    Late(Duration),
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(message) => write!(f, "the handler failed: {message}"),
            Self::Panicked(message) => write!(f, "the handler panicked: {message}"),
            Self::Late(deadline) => write!(f, "the handler ran past its deadline of {deadline:?}"),
        }
    }
}

/// Why a poll stopped before its page's end; the consumer tries again from the saved cursor.
#[derive(Debug)]
#[non_exhaustive]
pub enum PollError {
    /// The page could not be fetched (see [`EventsRequest::send`](crate::EventsRequest::send)).
    Fetch(Error),
    /// The cursor could not be loaded (or is not one), so nothing was polled.
    LoadCursor(io::Error),
    /// The cursor could not be saved; the page is polled again.
    SaveCursor(io::Error),
    /// The cursor's lease could not be taken or renewed, so nothing more was polled.
    Lease(io::Error),
    /// An event given up on could not be kept by the dead letter; the consumer stays before it.
    DeadLetter {
        /// The event's `event_id` (empty when it has none).
        event_id: String,
        /// Why.
        source: io::Error,
    },
}

impl fmt::Display for PollError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Transparent: the client's error says which call failed.
            Self::Fetch(error) => error.fmt(f),
            Self::LoadCursor(error) => write!(f, "cannot load the cursor: {error}"),
            Self::SaveCursor(error) => write!(f, "cannot save the cursor: {error}"),
            Self::Lease(error) => write!(f, "cannot take the cursor's lease: {error}"),
            Self::DeadLetter { event_id, source } => write!(
                f,
                "cannot keep event `{event_id}` in the dead letter, so it is not passed: {source}"
            ),
        }
    }
}

impl std::error::Error for PollError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Fetch(error) => error.source(),
            // The io::Error's text is in ours; its cause (the operating system's error) is next.
            Self::LoadCursor(error)
            | Self::SaveCursor(error)
            | Self::Lease(error)
            | Self::DeadLetter { source: error, .. } => error.source(),
        }
    }
}

/// A failure [`PollingConsumer::run_until`] reports before it waits and tries again.
#[derive(Debug)]
#[non_exhaustive]
pub enum PollFailure<'a> {
    /// The poll stopped: the page not fetched, the cursor not loaded or saved, a dead event not kept.
    Poll {
        /// What failed.
        error: &'a PollError,
        /// The wait before the next try.
        retry_in: Duration,
    },
    /// An event's handler failed; the event is tried again (or, at the last attempt, it was already
    /// given to the dead letter and this is not reported).
    Event {
        /// The attempt that failed.
        failure: &'a EventFailure,
        /// The wait before the next try.
        retry_in: Duration,
    },
}

impl PollFailure<'_> {
    /// The wait before the next try.
    pub fn retry_in(&self) -> Duration {
        match self {
            Self::Poll { retry_in, .. } | Self::Event { retry_in, .. } => *retry_in,
        }
    }

    /// What failed, with its causes.
    pub fn error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        match self {
            Self::Poll { error, .. } => *error,
            Self::Event { failure, .. } => *failure,
        }
    }
}

impl fmt::Display for PollFailure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error(), f)
    }
}

type FailureHook = Box<dyn Fn(&PollFailure<'_>) + Send + Sync>;

/// Polls the forwarder API and dispatches what it gets; see the [module docs](self) for what is
/// guaranteed.
///
/// ```no_run
/// # async fn demo() -> Result<(), finchat_client::Error> {
/// use finchat_client::polling::{FileCursor, PollingConsumer};
/// use finchat_client::{Client, Dispatcher};
///
/// let dispatcher = Dispatcher::new(()).on_event(|_, event| async move {
///     println!("{} {}", event.event_type(), event.event_id);
///     Ok(())
/// });
/// // Events given up on go to since.txt.dead-letter.jsonl.
/// PollingConsumer::new(Client::from_env()?, dispatcher, FileCursor::new("since.txt"))
///     .on_failure(|failure| eprintln!("{failure}; trying again in {:?}", failure.retry_in()))
///     .run_until(async { tokio::signal::ctrl_c().await.ok(); })
///     .await
/// # }
/// ```
pub struct PollingConsumer<S> {
    client: Client,
    dispatcher: Arc<Dispatcher<S>>,
    cursor: Arc<dyn CursorStore>,
    dead_letter: Arc<dyn DeadLetter>,
    page_size: u32,
    idle: Duration,
    max_backoff: Duration,
    handler_deadline: Duration,
    max_attempts: u32,
    on_failure: Option<FailureHook>,
    shutdown_grace: Duration,
    progress: Mutex<Progress>,
    stopping: Stopping,
    /// Names this consumer as the holder of the cursor's lease.
    owner: String,
    lease: Duration,
}

/// Set once `run_until`'s shutdown completed: no new fetch starts, and one under way ends.
#[derive(Default)]
struct Stopping {
    set: AtomicBool,
    notify: Notify,
}

impl Stopping {
    fn set(&self) {
        self.set.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    async fn wait(&self) {
        let notified = self.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if !self.set.load(Ordering::SeqCst) {
            notified.await;
        }
    }
}

/// What the consumer remembers between polls of one run.
#[derive(Default)]
struct Progress {
    /// The cursor `passed` is relative to.
    since: Option<String>,
    /// Whether `passed` was read from the cursor store (once per run, and when the cursor moved).
    loaded: bool,
    /// Events after `since` handled or given up on (keys from [`key`]), not to handle again when the
    /// page is polled again after a later event of it failed.
    passed: HashSet<String>,
    /// Failed attempts and the last error, per event not yet passed.
    attempts: HashMap<String, (u32, String)>,
}

impl<S: Send + Sync + 'static> PollingConsumer<S> {
    /// A consumer of `client`'s events into `dispatcher`, keeping its place in `cursor`, and the
    /// events it gives up on in the cursor's [default dead letter](CursorStore::default_dead_letter).
    pub fn new(
        client: Client,
        dispatcher: Dispatcher<S>,
        cursor: impl CursorStore + 'static,
    ) -> Self {
        let dead_letter = cursor.default_dead_letter();
        Self {
            client,
            dispatcher: Arc::new(dispatcher),
            cursor: Arc::new(cursor),
            dead_letter,
            page_size: 20,
            idle: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            handler_deadline: Duration::from_secs(30),
            max_attempts: 5,
            on_failure: None,
            shutdown_grace: Duration::from_secs(5),
            progress: Mutex::default(),
            stopping: Stopping::default(),
            owner: format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
            lease: Duration::from_secs(60),
        }
    }

    /// How long the cursor's lease lasts once taken or renewed (default 60 s), for a cursor store
    /// shared by several consumers ([`CursorStore::lease`]): only the holder polls; when it dies,
    /// another takes over once the lease lapses. Renewed before each fetch and each event, so keep
    /// it above the [handler deadline](Self::handler_deadline). A consumer without the lease tries
    /// again every quarter of it.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(40));
        self
    }

    /// Events per poll (default 20, the API's default). After a restart, the events of the page in
    /// hand that were handled before are handled again: a smaller page, fewer of them.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// The wait after a poll that found nothing new (default 2 s).
    pub fn idle_interval(mut self, interval: Duration) -> Self {
        self.idle = interval;
        self
    }

    /// The longest wait after failures (default 60 s); waits double from 1 s up to it.
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// How long a handler may run (default 30 s); a late one is aborted, and that is a failed
    /// attempt. The next attempt starts only once the aborted one has stopped (at its next `.await`).
    pub fn handler_deadline(mut self, deadline: Duration) -> Self {
        self.handler_deadline = deadline;
        self
    }

    /// Attempts at an event before it goes to the dead letter (default 5, at least 1). With the
    /// default backoff, 5 attempts span about 15 s.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Where the events given up on go, instead of the cursor's default.
    pub fn dead_letter(mut self, dead_letter: impl DeadLetter + 'static) -> Self {
        self.dead_letter = Arc::new(dead_letter);
        self
    }

    /// How long [`run_until`](Self::run_until), once its shutdown completed, lets the page in hand
    /// finish (its handlers run and its cursor saved) before it aborts the handler that runs and
    /// returns (default 5 s). A fetch under way is dropped at once.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Called by [`run_until`](Self::run_until) on each failure, before it waits and tries again,
    /// instead of its WARN log. It runs on the consumer's task: keep it short, and do not panic.
    pub fn on_failure(mut self, hook: impl Fn(&PollFailure<'_>) + Send + Sync + 'static) -> Self {
        self.on_failure = Some(Box::new(hook));
        self
    }

    /// Fetches one page from the saved cursor and handles its events in order; once all are handled
    /// or given up on, saves the page's `since`. Stops at the first event whose handler fails (and
    /// that has attempts left): the next poll starts at it again, without handling again the ones
    /// before it. Run one poll at a time.
    ///
    /// # Errors
    ///
    /// A [`PollError`] when the cursor cannot be loaded or saved, the page cannot be fetched, or an
    /// event given up on cannot be kept by the dead letter. A failed handler is not an error: it
    /// ends the poll with [`Poll::failure`] set.
    pub async fn poll_once(&self) -> Result<Poll, PollError> {
        if !self.hold_lease().await? {
            return Ok(Poll {
                standby: true,
                ..Poll::default()
            });
        }
        let since = self.cursor.load().await.map_err(PollError::LoadCursor)?;
        let mut request = self.client.forwarder().events().page_size(self.page_size);
        if let Some(since) = &since {
            request = request.since(since.clone());
        }
        // A stuck fetch does not hold up a shutdown.
        let page = match first(request.send(), self.stopping.wait()).await {
            First::Left(page) => page.map_err(PollError::Fetch)?,
            First::Right(()) => return Ok(Poll::default()),
        };
        let mut poll = Poll {
            handled: 0,
            dead_lettered: 0,
            failure: None,
            more: page.events.len() >= self.page_size as usize,
            standby: false,
        };
        let known = {
            let progress = self.progress();
            progress.loaded && progress.since == since
        };
        if !known {
            // A restart, or a cursor moved by someone else: what the store says is passed.
            let passed = self
                .cursor
                .load_passed(since.as_deref())
                .await
                .map_err(PollError::LoadCursor)?;
            let mut progress = self.progress();
            progress.since.clone_from(&since);
            progress.passed = passed.into_iter().collect();
            progress.loaded = true;
        }
        let events = page.events.len();
        for raw in page.events {
            let key = key(&raw);
            if self.progress().passed.contains(&key) {
                continue;
            }
            if !self.hold_lease().await? {
                poll.standby = true;
                return Ok(poll);
            }
            match self.handle(raw, &key).await? {
                Handling::Handled => poll.handled += 1,
                Handling::DeadLettered => poll.dead_lettered += 1,
                Handling::Failed(failure) => {
                    poll.failure = Some(failure);
                    return Ok(poll);
                }
            }
            self.cursor
                .save_passed(since.as_deref(), &key)
                .await
                .map_err(PollError::SaveCursor)?;
            self.progress().passed.insert(key);
        }
        match page.since {
            Some(next) if Some(&next) != since.as_ref() => {
                // Not cancelled with the poll: a `FileCursor` save runs to its end on its own.
                self.cursor
                    .save(&next)
                    .await
                    .map_err(PollError::SaveCursor)?;
                let mut progress = self.progress();
                progress.since = Some(next);
                progress.passed.clear();
            }
            Some(_) => {}
            None if events > 0 => tracing::warn!(
                "the forwarder answered events without a `since`; the cursor stays where it was"
            ),
            None => {}
        }
        Ok(poll)
    }

    /// Takes or renews the cursor's lease. Without it, what this consumer knows of the page in hand
    /// is forgotten: the holder may pass events of it, and the store says which when this consumer
    /// holds the lease again.
    async fn hold_lease(&self) -> Result<bool, PollError> {
        let held = self
            .cursor
            .lease(&self.owner, self.lease)
            .await
            .map_err(PollError::Lease)?;
        if !held {
            self.progress().loaded = false;
        }
        Ok(held)
    }

    /// Handles one event of a page: reads it, runs its handler, and gives up on it after the last
    /// attempt (or at once when it cannot be read).
    async fn handle(&self, raw: Value, key: &str) -> Result<Handling, PollError> {
        let event_id = raw
            .get("event_id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        let given_up = self
            .progress()
            .attempts
            .get(key)
            .filter(|(attempts, _)| *attempts >= self.max_attempts)
            .cloned();
        if let Some((attempts, last_error)) = given_up {
            // The dead letter failed last time: only that is tried again.
            return self.bury(raw, key, event_id, attempts, last_error).await;
        }
        let event: Event = match serde_json::from_value(raw.clone()) {
            Ok(event) => event,
            Err(e) => {
                let why = format!("the event cannot be read: {e}");
                return self.bury(raw, key, event_id, 0, why).await;
            }
        };
        let span = telemetry::event_received(&event, telemetry::POLLING);
        let reason = match self.attempt(event).instrument(span.clone()).await {
            Ok(dispatched) => {
                span.record(
                    "outcome",
                    match dispatched {
                        Dispatched::Handled => "handled",
                        Dispatched::NoHandler => "no_handler",
                    },
                );
                self.progress().attempts.remove(key);
                return Ok(Handling::Handled);
            }
            Err(reason) => reason,
        };
        span.record(
            "outcome",
            match reason {
                AttemptError::Failed(_) => "failed",
                AttemptError::Panicked(_) => "panicked",
                AttemptError::Late(_) => "late",
            },
        );
        let attempt = {
            let mut progress = self.progress();
            let entry = progress.attempts.entry(key.to_owned()).or_default();
            *entry = (entry.0 + 1, reason.to_string());
            entry.0
        };
        if attempt >= self.max_attempts {
            return self
                .bury(raw, key, event_id, attempt, reason.to_string())
                .await;
        }
        span.in_scope(|| tracing::debug!(%reason, attempt, "handler attempt failed"));
        Ok(Handling::Failed(EventFailure {
            event_id: event_id.unwrap_or_default(),
            attempt,
            max_attempts: self.max_attempts,
            reason,
        }))
    }

    /// One run of the event's handler, in its own task, under the deadline.
    async fn attempt(&self, event: Event) -> Result<Dispatched, AttemptError> {
        let dispatcher = Arc::clone(&self.dispatcher);
        let mut task = AbortOnDrop(tokio::spawn(
            async move { dispatcher.dispatch(event).await }.in_current_span(),
        ));
        match tokio::time::timeout(self.handler_deadline, &mut task.0).await {
            Ok(Ok(Ok(dispatched))) => Ok(dispatched),
            Ok(Ok(Err(error))) => Err(AttemptError::Failed(error.to_string())),
            Ok(Err(join_error)) => {
                telemetry::handler_failed("panic");
                let message = if join_error.is_panic() {
                    crate::panic_message(&*join_error.into_panic())
                } else {
                    join_error.to_string()
                };
                Err(AttemptError::Panicked(message))
            }
            Err(_late) => {
                telemetry::handler_failed("deadline");
                task.0.abort();
                // Not two runs of one event at once: wait for the aborted one to stop.
                let stopped = match tokio::time::timeout(self.handler_deadline, &mut task.0).await {
                    Ok(stopped) => stopped,
                    Err(_) => {
                        tracing::error!(
                            "a handler over its deadline does not stop (it blocks its thread?); \
                             waiting for it before trying the event again"
                        );
                        (&mut task.0).await
                    }
                };
                // One that could not be interrupted (it blocked its thread) may have finished its
                // work after all: that success stands, or the event would be handled twice.
                match stopped {
                    Ok(Ok(dispatched)) => Ok(dispatched),
                    _ => Err(AttemptError::Late(self.handler_deadline)),
                }
            }
        }
    }

    /// Gives the event to the dead letter; passed once it is kept.
    async fn bury(
        &self,
        raw: Value,
        key: &str,
        event_id: Option<String>,
        attempts: u32,
        last_error: String,
    ) -> Result<Handling, PollError> {
        let dead = DeadEvent::new(event_id, raw, attempts, last_error);
        let shown_id = dead.event_id.clone().unwrap_or_default();
        if let Err(source) = self.dead_letter.keep(&dead).await {
            // Remembered as given up on, so the next poll only tries the dead letter again.
            self.progress()
                .attempts
                .insert(key.to_owned(), (self.max_attempts, dead.last_error));
            return Err(PollError::DeadLetter {
                event_id: shown_id,
                source,
            });
        }
        telemetry::dead_lettered();
        tracing::error!(
            event_id = %shown_id,
            attempts,
            last_error = %dead.last_error,
            "gave up on a polled event; it is in the dead letter, and the consumer moves past it"
        );
        self.progress().attempts.remove(key);
        Ok(Handling::DeadLettered)
    }

    fn progress(&self) -> MutexGuard<'_, Progress> {
        // Never held across an await, and a poisoned one still holds usable sets.
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Polls until `shutdown` completes: at once while pages come full, after the idle interval when
    /// they do not, and with a doubling backoff after failures, each reported to the
    /// [`on_failure`](Self::on_failure) hook (or logged at WARN).
    ///
    /// Once `shutdown` completes, no new poll starts and a fetch under way is dropped; the page in
    /// hand gets the [shutdown grace](Self::shutdown_grace) to finish and save its cursor. Past it,
    /// the handler that runs is aborted and its event not passed (the next run handles it, and the
    /// events of its page handled before it, again). So a stuck poll or handler delays the return by
    /// at most the grace.
    ///
    /// # Errors
    ///
    /// None in practice: a failed poll is reported and tried again after the backoff, and `Ok(())`
    /// comes once `shutdown` completes.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        tokio::pin!(shutdown);
        let mut backoff = FIRST_BACKOFF;
        loop {
            let poll = self.poll_once();
            tokio::pin!(poll);
            let polled = match first(&mut poll, &mut shutdown).await {
                First::Left(polled) => polled,
                First::Right(()) => {
                    self.stopping.set();
                    if tokio::time::timeout(self.shutdown_grace, poll)
                        .await
                        .is_err()
                    {
                        tracing::warn!(
                            grace = ?self.shutdown_grace,
                            "the events in hand did not finish within the shutdown grace; they will be \
                             polled again"
                        );
                    }
                    return Ok(());
                }
            };
            let wait = match &polled {
                Ok(poll) if poll.standby => {
                    backoff = FIRST_BACKOFF;
                    self.lease / 4
                }
                Ok(poll) => match &poll.failure {
                    None => {
                        backoff = FIRST_BACKOFF;
                        if poll.more { Duration::ZERO } else { self.idle }
                    }
                    Some(failure) => {
                        let retry_in = next_backoff(&mut backoff, self.max_backoff);
                        self.report(&PollFailure::Event { failure, retry_in });
                        retry_in
                    }
                },
                Err(error) => {
                    let retry_in = next_backoff(&mut backoff, self.max_backoff);
                    self.report(&PollFailure::Poll { error, retry_in });
                    retry_in
                }
            };
            if let First::Left(()) = first(&mut shutdown, tokio::time::sleep(wait)).await {
                return Ok(());
            }
        }
    }

    fn report(&self, failure: &PollFailure<'_>) {
        match &self.on_failure {
            Some(hook) => hook(failure),
            None => tracing::warn!(
                error = %Chain(failure.error()),
                retry_in = ?failure.retry_in(),
                "polling failed; trying again"
            ),
        }
    }
}

/// What became of one event.
enum Handling {
    Handled,
    DeadLettered,
    Failed(EventFailure),
}

/// The key an event's attempts and progress are kept under: its `event_id`, or for one without a
/// usable id, the whole event.
fn key(raw: &Value) -> String {
    match raw.get("event_id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => format!("id {id}"),
        _ => format!("raw {raw}"),
    }
}

/// A handler task, aborted when whoever waits for it stops waiting (shutdown).
struct AbortOnDrop(JoinHandle<Result<Dispatched, HandlerError>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// An error and its causes, `: `-separated.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

fn next_backoff(backoff: &mut Duration, max: Duration) -> Duration {
    let wait = (*backoff).min(max);
    *backoff = (*backoff * 2).min(max);
    wait
}
