//! The live sandbox: its state behind a lock, the state file written after changes by a writer task
//! of its own, and the wake-up of the pusher when events are emitted.
//!
//! A change bumps a generation number under the lock and wakes the writer; the writer takes a
//! snapshot under the lock (a clone, media bytes shared) and serialises and writes it on a blocking
//! thread, off the lock, durably ([`persist::write_durably`]). Changes made while a write is under
//! way are coalesced into the next one. Without a runtime to run the writer, the change writes at
//! once.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use tokio::sync::{Notify, watch};

use super::SandboxConfig;
use super::activity::ActivityLog;
use super::persist;
use super::push::{self, PushRecord};
use super::world::World;
use super::world_spec::Seed;

/// How the state file is kept.
struct Persistence {
    path: PathBuf,
    /// The generation of the state the file should hold: bumped under the state lock by each change.
    requested: AtomicU64,
    /// The generation last written, and the error of the last write if it failed.
    written: watch::Sender<Written>,
    wake: Arc<Notify>,
    writer_started: AtomicBool,
    /// The generation the file holds: taken around each write, so that a write of an older
    /// snapshot that finishes late (the writer's, while the sandbox is dropped and writes the
    /// newest itself) never replaces a newer one.
    renamed: Arc<Mutex<u64>>,
}

#[derive(Clone, Default)]
struct Written {
    generation: u64,
    error: Option<(io::ErrorKind, String)>,
}

impl Persistence {
    fn pending(&self) -> bool {
        self.requested.load(Ordering::SeqCst) > self.written.borrow().generation
    }

    /// Records how writing generation `generation` went (a failure is logged).
    fn record(&self, generation: u64, result: io::Result<()>) {
        let error = result.err().map(|error| {
            tracing::error!(%error, "the sandbox state file was not written; the next change tries again");
            (error.kind(), error.to_string())
        });
        self.written.send_modify(|written| {
            if generation >= written.generation {
                *written = Written { generation, error };
            }
        });
    }
}

/// Writes `snapshot`, of `generation`, unless the file already holds a newer one.
fn write_generation(
    renamed: &Mutex<u64>,
    generation: u64,
    path: &Path,
    snapshot: &World,
) -> io::Result<()> {
    let mut renamed = lock(renamed);
    if generation <= *renamed {
        return Ok(());
    }
    write_snapshot(path, snapshot)?;
    *renamed = generation;
    Ok(())
}

/// Serialises and writes a snapshot of the world.
fn write_snapshot(path: &Path, snapshot: &World) -> io::Result<()> {
    let bytes = serde_json::to_vec(snapshot).map_err(io::Error::other)?;
    persist::write_durably(path, &bytes)
}

pub(crate) struct Shared {
    pub config: SandboxConfig,
    /// The world a reset puts back: the configured one, checked once when the sandbox started.
    pub seed: Seed,
    state: Mutex<World>,
    /// How changes are written to the state file: `None` without one, or when it could not be
    /// read, so that it is never overwritten.
    persistence: Option<Persistence>,
    /// Set when the sandbox stops: nothing is written or pushed after it.
    closed: AtomicBool,
    pub wake: Arc<Notify>,
    pushes: Mutex<Vec<PushRecord>>,
    /// The event whose push the callback answered last (event ids are never reused).
    last_answered: Mutex<Option<String>>,
    /// The bot's API calls and the pushes, in memory only.
    pub activity: ActivityLog,
    pusher_started: AtomicBool,
}

/// Milliseconds since the epoch, on the clock the bot's registry reads (it follows tokio's paused
/// clock in tests, so that event times and card deadlines move together).
pub(crate) fn now_ms() -> i64 {
    finchat_client::millis::now_ms()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The sandbox for `config`: its state file's world, or a world freshly seeded with `seed`
    /// (written at once). A reset seeds `seed` again.
    ///
    /// # Errors
    ///
    /// The state file's read error.
    pub fn open(config: SandboxConfig, seed: Seed) -> io::Result<Arc<Shared>> {
        let loaded = match &config.state_file {
            Some(path) => World::load(path)?,
            None => None,
        };
        // A fresh world is written at once, and so is a migrated one.
        let (state, write) = match loaded {
            Some((state, migrated)) => (state, migrated),
            None => (World::seeded(&seed, now_ms()), true),
        };
        let shared = Self::with_state(config, seed, state, true);
        if write {
            shared.change(|_| Ok::<(), ()>(())).ok();
        }
        Ok(shared)
    }

    /// A seeded sandbox that never writes its state file (which could not be read).
    pub fn unpersisted(config: SandboxConfig, seed: Seed) -> Arc<Shared> {
        let state = World::seeded(&seed, now_ms());
        Self::with_state(config, seed, state, false)
    }

    fn with_state(
        config: SandboxConfig,
        seed: Seed,
        mut state: World,
        persist: bool,
    ) -> Arc<Shared> {
        if config.callback.is_none() {
            state.pushed = state.events.len();
        }
        let persistence = config
            .state_file
            .clone()
            .filter(|_| persist)
            .map(|path| Persistence {
                path,
                requested: AtomicU64::new(0),
                written: watch::Sender::new(Written::default()),
                wake: Arc::new(Notify::new()),
                writer_started: AtomicBool::new(false),
                renamed: Arc::default(),
            });
        Arc::new(Shared {
            persistence,
            config,
            seed,
            state: Mutex::new(state),
            closed: AtomicBool::new(false),
            wake: Arc::new(Notify::new()),
            pushes: Mutex::new(Vec::new()),
            last_answered: Mutex::new(None),
            activity: ActivityLog::new(),
            pusher_started: AtomicBool::new(false),
        })
    }

    /// Reads the state.
    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&lock(&self.state))
    }

    /// Changes the state: when `f` succeeds, the change is handed to the writer of the state file
    /// (see [`Shared::flush`]) and new events to the pusher.
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
        self.request_save(&state);
        drop(state);
        // A router built outside a runtime starts its pusher and writer here, on its first request.
        self.start_pusher();
        self.save();
        if emitted {
            self.wake.notify_one();
        }
        Ok(result)
    }

    /// Asks for the state (held locked as `_state`) to be written; nothing after the sandbox closed.
    fn request_save(&self, _state: &World) {
        if let Some(persistence) = self.persistence.as_ref().filter(|_| !self.is_closed()) {
            persistence.requested.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Wakes the writer, or writes at once where there is no runtime to run it.
    fn save(self: &Arc<Self>) {
        let Some(persistence) = &self.persistence else {
            return;
        };
        if self.start_writer() {
            persistence.wake.notify_one();
        } else {
            self.write_now(persistence);
        }
    }

    /// Writes the current state on this thread (no runtime, or the sandbox is going away).
    fn write_now(&self, persistence: &Persistence) {
        if !persistence.pending() {
            return;
        }
        let state = lock(&self.state);
        let generation = persistence.requested.load(Ordering::SeqCst);
        let result = write_generation(&persistence.renamed, generation, &persistence.path, &state);
        drop(state);
        persistence.record(generation, result);
    }

    /// Starts the writer if there is a state file, a runtime to run it and none running yet;
    /// whether it runs.
    fn start_writer(self: &Arc<Self>) -> bool {
        let Some(persistence) = &self.persistence else {
            return false;
        };
        if persistence.writer_started.load(Ordering::SeqCst) {
            return true;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return false;
        };
        if !persistence.writer_started.swap(true, Ordering::SeqCst) {
            runtime.spawn(write_on_change(
                Arc::downgrade(self),
                Arc::clone(&persistence.wake),
            ));
        }
        true
    }

    /// Waits until the state file holds every change made so far; at once without a state file.
    ///
    /// # Errors
    ///
    /// The error of the write that should have held them (its message names the file).
    pub async fn flush(self: &Arc<Self>) -> io::Result<()> {
        let Some(persistence) = &self.persistence else {
            return Ok(());
        };
        if persistence.written.borrow().error.is_some() && !persistence.pending() {
            // The last write failed and nothing changed since: ask for it again.
            let _state = lock(&self.state);
            persistence.requested.fetch_add(1, Ordering::SeqCst);
        }
        let target = persistence.requested.load(Ordering::SeqCst);
        let mut written = persistence.written.subscribe();
        self.save();
        let done = written
            .wait_for(|w| w.generation >= target)
            .await
            .map_err(|_| io::Error::other("the sandbox state file's writer stopped"))?;
        match &done.error {
            None => Ok(()),
            Some((kind, message)) => Err(io::Error::new(*kind, message.clone())),
        }
    }

    /// Stores an upload in the media directory, if the state is kept in a file (in memory it is
    /// only in the world).
    ///
    /// # Errors
    ///
    /// The write's error, naming the file.
    pub async fn store_media(&self, media_id: &str, bytes: axum::body::Bytes) -> io::Result<()> {
        let Some(persistence) = &self.persistence else {
            return Ok(());
        };
        let path = persist::media_dir(&persistence.path).join(media_id);
        tokio::task::spawn_blocking(move || persist::write_durably(&path, &bytes))
            .await
            .map_err(io::Error::other)?
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Stops pushing, and writing any change made from now on. Taken under the state lock, so that
    /// no change is requested after it; the writer writes those made before it (see
    /// [`Shared::flush`]) and stops.
    pub fn close(&self) {
        let _state = lock(&self.state);
        self.closed.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        if let Some(persistence) = &self.persistence {
            persistence.wake.notify_one();
        }
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
    pub fn finish_push(self: &Arc<Self>, index: usize, record: PushRecord, drop_backlog: bool) {
        let mut state = lock(&self.state);
        // A reset while the push was under way replaced the events: the one now at `index` is
        // another (event ids are never reused), still to be pushed.
        let current = state.pushed == index
            && state
                .events
                .get(index)
                .is_some_and(|event| event["event_id"].as_str() == Some(record.event_id.as_str()));
        let mut records = vec![record];
        let mut dropped_unsent = Vec::new();
        if current {
            state.pushed = index + 1;
        }
        if drop_backlog && current {
            for event in &state.events[state.pushed..] {
                records.push(PushRecord::dropped_unsent(event));
                dropped_unsent.push(event.clone());
            }
            state.pushed = state.events.len();
        }
        for record in &records {
            record.log();
        }
        // Not a change the page redraws for: a redraw under a person's typing would lose it.
        self.request_save(&state);
        drop(state);
        // The activity log first, so that whoever sees the records sees its entries too.
        for event in &dropped_unsent {
            self.activity.push_dropped_unsent(event);
        }
        lock(&self.pushes).extend(records);
        self.save();
    }

    pub fn pushes(&self) -> Vec<PushRecord> {
        lock(&self.pushes).clone()
    }

    /// Forgets the pushes recorded so far (a reset).
    pub fn clear_pushes(&self) {
        lock(&self.pushes).clear();
    }

    /// Removes the files of uploads the world no longer has (a reset), if the state is kept in a
    /// file; a failure is logged. The state file may name them until it is rewritten: a sandbox
    /// started from it then forgets them, with a warning. Nothing is removed once the sandbox is
    /// closed: the state file, no longer rewritten, still names them.
    pub fn remove_media_files(&self, media_ids: &[String]) {
        let Some(persistence) = self.persistence.as_ref().filter(|_| !self.is_closed()) else {
            return;
        };
        let dir = persist::media_dir(&persistence.path);
        for id in media_ids.iter().filter(|id| persist::is_media_id(id)) {
            match std::fs::remove_file(dir.join(id)) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => {
                    tracing::warn!(%error, media = %id, dir = %dir.display(), "an upload's file was not removed");
                }
                _ => {}
            }
        }
    }

    /// How many events wait to be pushed.
    pub fn waiting(&self) -> usize {
        let state = lock(&self.state);
        state.events.len().saturating_sub(state.pushed)
    }

    /// Notes that the callback answered an attempt of the push of `event_id` (see [`unanswered`]).
    ///
    /// [`unanswered`]: Shared::unanswered
    pub fn answered(&self, event_id: &str) {
        *lock(&self.last_answered) = Some(event_id.to_owned());
    }

    /// How many events the callback has not answered yet: those waiting to be pushed, the one being
    /// pushed included until an attempt of it is answered.
    pub fn unanswered(&self) -> usize {
        let state = lock(&self.state);
        let waiting = state.events.len().saturating_sub(state.pushed);
        let current = state
            .events
            .get(state.pushed)
            .and_then(|e| e["event_id"].as_str());
        let answered = current.is_some() && current == lock(&self.last_answered).as_deref();
        waiting - usize::from(answered)
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The pusher and the writer hold only a weak reference: waking them lets them see that the
        // sandbox is gone. A change the writer had no time for is written here.
        self.wake.notify_one();
        if let Some(persistence) = &self.persistence {
            persistence.wake.notify_one();
            self.write_now(persistence);
        }
    }
}

/// The writer: on each wake-up, writes the latest state if a change asked for it (changes made in
/// the meantime coalesce into one write); stops once the sandbox is closed and everything asked
/// for before is written, or gone.
async fn write_on_change(shared: Weak<Shared>, wake: Arc<Notify>) {
    loop {
        let job = {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            let Some(persistence) = &shared.persistence else {
                return;
            };
            if persistence.pending() {
                // The snapshot under the lock; serialising and writing off it.
                let state = lock(&shared.state);
                let generation = persistence.requested.load(Ordering::SeqCst);
                let snapshot = state.clone();
                drop(state);
                let renamed = Arc::clone(&persistence.renamed);
                Some((generation, snapshot, persistence.path.clone(), renamed))
            } else if shared.is_closed() {
                return;
            } else {
                None
            }
        };
        match job {
            Some((generation, snapshot, path, renamed)) => {
                let result = tokio::task::spawn_blocking(move || {
                    write_generation(&renamed, generation, &path, &snapshot)
                })
                .await
                .unwrap_or_else(|e| Err(io::Error::other(e)));
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                if let Some(persistence) = &shared.persistence {
                    persistence.record(generation, result);
                }
            }
            None => wake.notified().await,
        }
    }
}
