//! The polling consumer: fetches events from the forwarder API (`GET …/forwarder/:app_id/events`),
//! hands each to the dispatcher in order, and moves the `since` cursor only past events whose handler
//! succeeded, saving it after each one. A restart loses nothing and handles again at most the event
//! that was in flight.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::Instrument;

use crate::dispatcher::{Dispatched, Dispatcher};
use crate::events::Event;
use crate::telemetry;
use crate::token::StoreFuture;
use crate::{Client, Error};

/// Where the `since` cursor is kept between runs.
pub trait CursorStore: Send + Sync {
    /// The saved cursor; `None` before the first event.
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>>;
    /// Saves the cursor.
    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>>;
}

/// A cursor in a file, replaced atomically (written beside it, then renamed over it).
#[derive(Debug, Clone)]
pub struct FileCursor {
    path: PathBuf,
}

impl FileCursor {
    /// The cursor kept in `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

impl CursorStore for FileCursor {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        Box::pin(async move {
            match tokio::fs::read_to_string(&self.path).await {
                Ok(text) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        let since = since.to_owned();
        Box::pin(async move {
            let mut temporary = self.path.clone().into_os_string();
            temporary.push(".tmp");
            let temporary = PathBuf::from(temporary);
            let mut file = tokio::fs::File::create(&temporary).await?;
            tokio::io::AsyncWriteExt::write_all(&mut file, since.as_bytes()).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&temporary, &self.path).await
        })
    }
}

/// A cursor in memory (tests, or an app that keeps it elsewhere itself).
#[derive(Debug, Default)]
pub struct MemoryCursor(Mutex<Option<String>>);

impl CursorStore for MemoryCursor {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        let since = self.0.lock().map(|c| c.clone()).unwrap_or_default();
        Box::pin(async move { Ok(since) })
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        if let Ok(mut cursor) = self.0.lock() {
            *cursor = Some(since.to_owned());
        }
        Box::pin(async { Ok(()) })
    }
}

/// What one poll did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// Events handled (or with no handler).
    pub handled: usize,
    /// Whether an event failed; the cursor stays before it, and the next poll starts there.
    pub failed: bool,
    /// Whether the page was full, so more events may be waiting.
    pub more: bool,
}

/// Polls the forwarder API and dispatches what it gets.
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
/// PollingConsumer::new(Client::from_env()?, dispatcher, FileCursor::new("since.txt"))
///     .run_until(async { tokio::signal::ctrl_c().await.ok(); })
///     .await
/// # }
/// ```
pub struct PollingConsumer<S> {
    client: Client,
    dispatcher: Arc<Dispatcher<S>>,
    cursor: Arc<dyn CursorStore>,
    page_size: u32,
    idle: Duration,
    max_backoff: Duration,
}

impl<S: Send + Sync + 'static> PollingConsumer<S> {
    /// A consumer of `client`'s events into `dispatcher`, keeping its place in `cursor`.
    pub fn new(
        client: Client,
        dispatcher: Dispatcher<S>,
        cursor: impl CursorStore + 'static,
    ) -> Self {
        Self {
            client,
            dispatcher: Arc::new(dispatcher),
            cursor: Arc::new(cursor),
            page_size: 20,
            idle: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
        }
    }

    /// Events per poll (default 20, the API's default).
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

    /// Fetches one page from the saved cursor and handles its events in order, saving the cursor after
    /// each handled one and stopping at the first failure.
    ///
    /// # Errors
    ///
    /// An [`Error`] when the page cannot be fetched (see
    /// [`EventsRequest::send`](crate::EventsRequest::send)), or of class `Local` when the cursor
    /// cannot be loaded or saved. A failed handler or an unreadable event is not an error: it ends
    /// the poll with [`Poll::failed`] set.
    pub async fn poll_once(&self) -> Result<Poll, Error> {
        let since = self
            .cursor
            .load()
            .await
            .map_err(|e| Error::refused(format!("cannot read the cursor: {e}")))?;
        let mut request = self.client.forwarder().events().page_size(self.page_size);
        if let Some(since) = &since {
            request = request.since(since.clone());
        }
        let page = request.send().await?;
        let more = page.events.len() >= self.page_size as usize;
        let mut poll = Poll {
            handled: 0,
            failed: false,
            more,
        };
        for raw in page.events {
            let event: Event = match serde_json::from_value(raw) {
                Ok(event) => event,
                Err(e) => {
                    tracing::error!(error = %e, "a polled event cannot be read; stopping before it");
                    poll.failed = true;
                    break;
                }
            };
            let event_id = event.event_id.clone();
            let span = telemetry::event_received(&event, telemetry::POLLING);
            let dispatched = self.dispatcher.dispatch(event).instrument(span.clone());
            let outcome = match dispatched.await {
                Ok(Dispatched::Handled) => "handled",
                Ok(Dispatched::NoHandler) => "no_handler",
                Err(error) => {
                    span.record("outcome", "failed");
                    tracing::warn!(%event_id, %error, "handler failed; the event will be polled again");
                    poll.failed = true;
                    break;
                }
            };
            span.record("outcome", outcome);
            self.cursor
                .save(&event_id)
                .await
                .map_err(|e| Error::refused(format!("cannot save the cursor: {e}")))?;
            poll.handled += 1;
        }
        Ok(poll)
    }

    /// Polls until `shutdown` completes: at once while pages come full, after the idle interval when
    /// they do not, and with a doubling backoff after failures. An event being handled when
    /// `shutdown` completes is finished first.
    ///
    /// # Errors
    ///
    /// None in practice: a failed poll is logged and tried again after the backoff, and `Ok(())`
    /// comes once `shutdown` completes.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        tokio::pin!(shutdown);
        let mut backoff = Duration::from_secs(1);
        loop {
            // A poll runs to its end, so the event in hand is finished and its cursor saved.
            let wait = match self.poll_once().await {
                Ok(poll) if !poll.failed => {
                    backoff = Duration::from_secs(1);
                    if poll.more { Duration::ZERO } else { self.idle }
                }
                Ok(_) => next_backoff(&mut backoff, self.max_backoff),
                Err(error) => {
                    tracing::warn!(%error, "polling failed; backing off");
                    next_backoff(&mut backoff, self.max_backoff)
                }
            };
            if tokio::time::timeout(wait, &mut shutdown).await.is_ok() {
                return Ok(());
            }
        }
    }
}

fn next_backoff(backoff: &mut Duration, max: Duration) -> Duration {
    let wait = *backoff;
    *backoff = (*backoff * 2).min(max);
    wait
}
