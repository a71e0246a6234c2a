//! The live sandbox: its state behind a lock, written to the state file after each change, and the
//! wake-up of the pusher when events are emitted.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;

use super::SandboxConfig;
use super::push::{self, PushRecord};
use super::world::World;

pub(crate) struct Shared {
    pub config: SandboxConfig,
    state: Mutex<World>,
    /// Whether changes are written to the state file: not when it could not be read, so that it is
    /// never overwritten.
    persist: bool,
    /// Set when the sandbox stops: nothing is written or pushed after it.
    closed: AtomicBool,
    pub wake: Arc<Notify>,
    pushes: Mutex<Vec<PushRecord>>,
    pusher_started: AtomicBool,
}

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The sandbox for `config`: its state file's world, or a freshly seeded one (written at once).
    pub fn open(config: SandboxConfig) -> io::Result<Arc<Shared>> {
        let loaded = match &config.state_file {
            Some(path) => World::load(path)?,
            None => None,
        };
        let fresh = loaded.is_none();
        let shared = Self::with_state(
            config,
            loaded.unwrap_or_else(|| World::seeded(now_ms())),
            true,
        );
        if fresh {
            shared.change(|_| Ok::<(), ()>(())).ok();
        }
        Ok(shared)
    }

    /// A seeded sandbox that never writes its state file (which could not be read).
    pub fn unpersisted(config: SandboxConfig) -> Arc<Shared> {
        Self::with_state(config, World::seeded(now_ms()), false)
    }

    fn with_state(config: SandboxConfig, mut state: World, persist: bool) -> Arc<Shared> {
        if config.callback.is_none() {
            state.pushed = state.events.len();
        }
        Arc::new(Shared {
            persist: persist && config.state_file.is_some(),
            config,
            state: Mutex::new(state),
            closed: AtomicBool::new(false),
            wake: Arc::new(Notify::new()),
            pushes: Mutex::new(Vec::new()),
            pusher_started: AtomicBool::new(false),
        })
    }

    /// Reads the state.
    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&lock(&self.state))
    }

    /// Changes the state: when `f` succeeds, the change is written to the state file and new events
    /// are handed to the pusher.
    pub fn change<R, E>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut World) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut state = lock(&self.state);
        let before = state.events.len();
        let result = f(&mut state)?;
        state.rev += 1;
        let emitted = state.events.len() > before;
        if self.config.callback.is_none() {
            // Without a callback, events are only kept for polling, never pushed later.
            state.pushed = state.events.len();
        }
        self.save(&state);
        drop(state);
        // A router built outside a runtime starts its pusher here, on its first request.
        self.start_pusher();
        if emitted {
            self.wake.notify_one();
        }
        Ok(result)
    }

    fn save(&self, state: &World) {
        if !self.persist || self.is_closed() {
            return;
        }
        if let Some(path) = &self.config.state_file {
            if let Err(error) = state.save(path) {
                tracing::error!(path = %path.display(), %error, "cannot write the sandbox state file");
            }
        }
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Stops writing and pushing. Taken under the state lock, so that no write is under way after it.
    pub fn close(&self) {
        let _state = lock(&self.state);
        self.closed.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Starts the pusher if there is a callback, a runtime to run it, and none running yet.
    pub fn start_pusher(self: &Arc<Self>) {
        if self.config.callback.is_none() || self.is_closed() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.pusher_started.swap(true, Ordering::SeqCst) {
            return;
        }
        runtime.spawn(push::run(Arc::downgrade(self), Arc::clone(&self.wake)));
    }

    /// The next event to push: its index, and its event id and JSON.
    pub fn next_push(&self) -> Option<(usize, serde_json::Value)> {
        let state = lock(&self.state);
        let index = state.pushed;
        state.events.get(index).map(|event| (index, event.clone()))
    }

    /// Records what became of the event at `index`; with `drop_backlog`, every event waiting after
    /// it is dropped too.
    pub fn finish_push(&self, index: usize, record: PushRecord, drop_backlog: bool) {
        let mut state = lock(&self.state);
        let mut records = vec![record];
        if state.pushed == index {
            state.pushed = index + 1;
        }
        if drop_backlog {
            for event in &state.events[state.pushed..] {
                records.push(PushRecord::dropped_unsent(event));
            }
            state.pushed = state.events.len();
        }
        for record in &records {
            record.log();
        }
        // Not a change the page redraws for: a redraw under a person's typing would lose it.
        self.save(&state);
        drop(state);
        lock(&self.pushes).extend(records);
    }

    pub fn pushes(&self) -> Vec<PushRecord> {
        lock(&self.pushes).clone()
    }

    /// How many events wait to be pushed.
    pub fn waiting(&self) -> usize {
        let state = lock(&self.state);
        state.events.len().saturating_sub(state.pushed)
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The pusher holds only a weak reference: waking it lets it see that the sandbox is gone.
        self.wake.notify_one();
    }
}
