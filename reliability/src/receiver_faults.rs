//! The receiver under faults: the sandbox pushes events (one at a time, redelivering on FinChat's
//! schedule, time-scaled) through a [`FaultProxy`] to the real [`Receiver`] in this process; on a
//! seeded fraction of first attempts the handler fails, panics, runs past its deadline, or has its
//! connection cut while it runs. The handler counts each event it handled.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::{Duration, Instant};

use finchat_client::events::Event;
use finchat_client::{Dispatcher, HandlerError, HandlerResult, Receiver};
use finchat_sandbox::{PushOutcome, Sandbox, SandboxConfig};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::Tally;
use crate::proxy::{FaultProxy, ProxiedRequest, Rule, Verdict};

/// The callback token of the runs.
const TOKEN: &str = "reliability-callback-token";
/// What an injected panic says; [`quiet_injected_panics`] keeps it off stderr.
const INJECTED_PANIC: &str = "injected panic (finchat-reliability)";

/// A fault of the receiving side, injected on a first attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiverFault {
    /// The proxy closes the connection (both sides) while the handler runs; the handler then
    /// finishes its work (2 ms more) and succeeds.
    DroppedConnection,
    /// The handler returns `Err`.
    HandlerError,
    /// The handler panics.
    HandlerPanic,
    /// The handler awaits past its deadline (a cooperative wait: the receiver's abort stops it).
    HangPastDeadline,
    /// The handler blocks its thread past its deadline, then commits and returns `Ok` (a synchronous
    /// call that no abort interrupts).
    BlockPastDeadline,
}

impl ReceiverFault {
    /// Every fault, in the report's order.
    pub const ALL: [ReceiverFault; 5] = [
        Self::DroppedConnection,
        Self::HandlerError,
        Self::HandlerPanic,
        Self::HangPastDeadline,
        Self::BlockPastDeadline,
    ];

    /// How the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::DroppedConnection => "receiver: connection dropped mid-handler",
            Self::HandlerError => "receiver: handler returns Err",
            Self::HandlerPanic => "receiver: handler panics",
            Self::HangPastDeadline => "receiver: handler awaits past its deadline",
            Self::BlockPastDeadline => "receiver: handler blocks past its deadline",
        }
    }
}

/// One run of the receiver under a fault.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReceiverRun {
    /// The fault.
    pub fault: ReceiverFault,
    /// Events emitted.
    pub events: usize,
    /// The share of first attempts the fault hits.
    pub fraction: f64,
    /// Seeds which events are hit.
    pub seed: u64,
    /// The sandbox's time scale: FinChat's 1 s first retry becomes `scale` s, its hour of
    /// redeliveries `3600 × scale` s.
    pub time_scale: f64,
    /// The receiver's handler deadline.
    pub handler_deadline: Duration,
    /// The longest the run may take before it is reported as stuck.
    pub limit: Duration,
}

impl ReceiverRun {
    /// `events` events with `fault` on `fraction` of them; FinChat's schedule scaled by 0.001 (retries
    /// from 1 ms, the hour of redeliveries is 3.6 s), a 50 ms handler deadline.
    pub fn new(fault: ReceiverFault, events: usize, fraction: f64, seed: u64) -> Self {
        Self {
            fault,
            events,
            fraction,
            seed,
            time_scale: 0.001,
            handler_deadline: Duration::from_millis(50),
            limit: Duration::from_secs(600),
        }
    }

    /// Whether the fault hits the first attempt of `event_id`.
    fn hits(&self, event_id: &str) -> bool {
        crate::picked(self.seed, event_id, self.fraction)
    }

    /// Runs it: emits the events, waits until the sandbox has delivered or dropped every one and no
    /// handler runs any more, and counts.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when a server cannot be started, the sandbox refuses an event, or the run
    /// passes its time limit.
    pub async fn run(self) -> io::Result<Tally> {
        quiet_injected_panics();
        let started = Instant::now();
        let app = Arc::new(App::new(self.clone()));
        let dispatcher = Dispatcher::new(Arc::clone(&app))
            .on_event(|app: Arc<Arc<App>>, event: Event| async move { app.handle(event).await });
        let receiver = Receiver::new(dispatcher, TOKEN)
            .map_err(io::Error::other)?
            .handler_deadline(self.handler_deadline);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let receiver_addr = listener.local_addr()?;
        let serving = tokio::spawn(async move { axum::serve(listener, receiver.router()).await });
        let proxy = FaultProxy::start(receiver_addr, cut_rule(&app)).await?;
        let config = SandboxConfig::new()
            .callback(format!("{}/callback", proxy.url), TOKEN)
            .time_scale(self.time_scale);
        let sandbox = Sandbox::serve(config, "127.0.0.1:0").await?;

        let emitted = crate::emit(&sandbox.handle, self.events)?;
        let last = emitted.last().cloned().unwrap_or_default();
        let deadline = started + self.limit;
        // Pushes go one at a time and in order: once the last event has a record, all have.
        let pushes = loop {
            let pushes = sandbox.handle.pushes();
            if last.is_empty() || pushes.iter().rev().any(|p| p.event_id == last) {
                break pushes;
            }
            if Instant::now() > deadline {
                return Err(io::Error::other(format!(
                    "{}: not every event was pushed within {:?} ({} of {})",
                    self.fault.name(),
                    self.limit,
                    pushes.len(),
                    self.events
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        // Handlers the receiver gave up on may still run (detached, or blocked): wait for them.
        app.all_stopped(self.handler_deadline * 20 + Duration::from_secs(5))
            .await;
        let dropped = pushes
            .iter()
            .filter(|p| p.outcome == PushOutcome::Dropped)
            .count();
        let redelivered: u32 = pushes.iter().map(|p| p.attempts.saturating_sub(1)).sum();
        let injected = app.injected.load(Ordering::SeqCst);
        drop(sandbox);
        drop(proxy);
        serving.abort();
        let handled = app.handled.lock().unwrap_or_else(PoisonError::into_inner);
        let tally = Tally::count(self.fault.name(), &emitted, &handled, started.elapsed())
            .injected(injected)
            .note(format!("{:.1} % of first attempts", self.fraction * 100.0))
            .note(format!("{redelivered} redeliveries"));
        Ok(if dropped > 0 {
            tally.note(format!(
                "{dropped} dropped by the platform after its retry hour"
            ))
        } else {
            tally
        })
    }
}

/// The app behind the receiver: the fault plan and what its handler did.
struct App {
    run: ReceiverRun,
    /// Successful handlings per event id.
    handled: Mutex<HashMap<String, u32>>,
    /// Handler calls per event id.
    attempts: Mutex<HashMap<String, u32>>,
    /// Faults injected.
    injected: AtomicUsize,
    /// Handlers running now, and a signal when one stops.
    running: AtomicUsize,
    stopped: Notify,
    /// For a cut connection: the handler's "I am running" and the proxy's "I have cut it".
    cuts: Mutex<HashMap<String, CutSignals>>,
    /// The events whose connection was cut already (only the first attempt is).
    cut_done: Mutex<HashSet<String>>,
}

/// A cut connection's signals: the handler's "I am running", the proxy's "I have cut it".
type CutSignals = (Arc<Notify>, Arc<Notify>);

/// Counts a running handler, also when its future is dropped.
struct Running<'a>(&'a App);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.stopped.notify_waiters();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    fn new(run: ReceiverRun) -> Self {
        Self {
            run,
            handled: Mutex::default(),
            attempts: Mutex::default(),
            injected: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            stopped: Notify::new(),
            cuts: Mutex::default(),
            cut_done: Mutex::default(),
        }
    }

    /// The notifications of `event_id`'s cut.
    fn cut_signals(&self, event_id: &str) -> CutSignals {
        lock(&self.cuts)
            .entry(event_id.to_owned())
            .or_insert_with(|| (Arc::new(Notify::new()), Arc::new(Notify::new())))
            .clone()
    }

    async fn handle(&self, event: Event) -> HandlerResult {
        self.running.fetch_add(1, Ordering::SeqCst);
        let _running = Running(self);
        if event.event_type() != "m.room.message" {
            // The seeded room announcements: not the run's events.
            return Ok(());
        }
        let id = event.event_id.clone();
        let attempt = {
            let mut attempts = lock(&self.attempts);
            let n = attempts.entry(id.clone()).or_insert(0);
            *n += 1;
            *n
        };
        if attempt == 1 && self.run.hits(&id) {
            self.injected.fetch_add(1, Ordering::SeqCst);
            let deadline = self.run.handler_deadline;
            match self.run.fault {
                ReceiverFault::DroppedConnection => {
                    let (running, cut) = self.cut_signals(&id);
                    running.notify_one();
                    // The proxy cuts the connection now; the handler goes on with the rest of
                    // its work (2 ms, so that the server sees the close while it runs) and succeeds.
                    tokio::time::timeout(Duration::from_secs(5), cut.notified())
                        .await
                        .ok();
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                ReceiverFault::HandlerError => return Err(HandlerError::msg("injected failure")),
                ReceiverFault::HandlerPanic => std::panic::panic_any(INJECTED_PANIC),
                ReceiverFault::HangPastDeadline => tokio::time::sleep(deadline * 4).await,
                ReceiverFault::BlockPastDeadline => std::thread::sleep(deadline * 3),
            }
        }
        *lock(&self.handled).entry(id).or_insert(0) += 1;
        Ok(())
    }

    /// Waits until no handler runs, for at most `limit`.
    async fn all_stopped(&self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let stopped = self.stopped.notified();
            if self.running.load(Ordering::SeqCst) == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, stopped).await.is_err() {
                return;
            }
        }
    }
}

/// The proxy's rule: for [`ReceiverFault::DroppedConnection`], the first push of a hit event is
/// cut once its handler runs; everything else is forwarded.
fn cut_rule(app: &Arc<App>) -> Rule {
    let app = Arc::clone(app);
    Arc::new(move |request: &ProxiedRequest<'_>| {
        if app.run.fault != ReceiverFault::DroppedConnection {
            return Verdict::Forward;
        }
        let Ok(push) = serde_json::from_slice::<serde_json::Value>(request.body) else {
            return Verdict::Forward;
        };
        let event = &push["event"];
        let id = event["event_id"].as_str().unwrap_or_default();
        if event["type"] != "m.room.message"
            || !app.run.hits(id)
            || !lock(&app.cut_done).insert(id.to_owned())
        {
            return Verdict::Forward;
        }
        let (running, cut) = app.cut_signals(id);
        Verdict::CutWhen {
            when: Box::pin(async move { running.notified().await }),
            cut,
        }
    })
}

/// Keeps injected panics off stderr (thousands of them would bury the report); other panics are
/// reported as before.
pub fn quiet_injected_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&INJECTED_PANIC) {
                previous(info);
            }
        }));
    });
}
