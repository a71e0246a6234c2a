//! The fault-injection suite of finchat-cui: it drives the real webhook receiver (in process) and
//! the real polling consumer (a child process, `poll-consumer`) through the sandbox with faults
//! injected, and counts every event by id: handled exactly once, lost, handled twice.
//!
//! - [`receiver_faults`]: pushes whose connection is cut while the handler runs, handlers that
//!   fail, panic, or run past their deadline; the sandbox redelivers on FinChat's schedule, time-scaled.
//! - [`polling_faults`]: the consumer killed with `kill -9` at random points (some right as it saves
//!   its cursor) and restarted; the token endpoint down for a while; a storm of 401 answers.
//! - [`dedupe_figures`]: the receiver's de-duplication window against the event rate, and the memory
//!   held by entries that never finish.
//!
//! Faults between the parts come from [`proxy::FaultProxy`], so the parts are the real ones,
//! unchanged. `cargo test -p finchat-reliability` runs the quick suite; `cargo run --release -p
//! finchat-reliability --bin fault-report -- --events 100000` prints the published figures
//! (`RELIABILITY.md`).
//!
//! ```
//! use std::collections::HashMap;
//! use std::time::Duration;
//! use finchat_reliability::Tally;
//!
//! let emitted = vec!["$1".to_owned(), "$2".to_owned()];
//! let handled = HashMap::from([("$1".to_owned(), 1)]);
//! let tally = Tally::count("example", &emitted, &handled, Duration::ZERO);
//! assert_eq!((tally.once, tally.lost, tally.twice), (1, 1, 0));
//! ```

pub mod dedupe_figures;
pub mod instances;
pub mod polling_faults;
pub mod proxy;
pub mod receiver_faults;
mod tally;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::PathBuf;

use finchat_sandbox::SandboxHandle;

pub use tally::Tally;

/// The seed of a run: `FINCHAT_RELIABILITY_SEED` when set, else a fresh one (print it, so that a
/// failure can be replayed).
pub fn seed() -> u64 {
    std::env::var("FINCHAT_RELIABILITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..))
}

/// Whether the fault plan of `seed` picks `event_id`, for a `share` of the ids: a seeded hash, so the
/// plan needs no table and holds for events pushed before their id is known here.
pub(crate) fn picked(seed: u64, event_id: &str, share: f64) -> bool {
    let mut hasher = DefaultHasher::new();
    seed.hash(&mut hasher);
    event_id.hash(&mut hasher);
    fastrand::Rng::with_seed(hasher.finish()).f64() < share
}

/// Where the runs keep their files (cursors, handled-id logs): `FINCHAT_RELIABILITY_DIR` when set,
/// else `/dev/shm` when it exists (a `kill -9` loses nothing the page cache holds, and fsync on a
/// disk would make the runs minutes longer), else the system's temporary directory.
pub fn work_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("FINCHAT_RELIABILITY_DIR") {
        return PathBuf::from(dir);
    }
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

/// Has the sandbox's people say `count` things to the bot in their direct rooms, round robin: one
/// `m.room.message` event each. Their ids, in order.
///
/// # Errors
///
/// An [`io::Error`] when the sandbox has no direct room or refuses a message.
pub fn emit(sandbox: &SandboxHandle, count: usize) -> io::Result<Vec<String>> {
    let people = sandbox.users();
    let rooms = people
        .iter()
        .map(|person| {
            sandbox.direct_room(person).ok_or_else(|| {
                io::Error::other(format!("the sandbox has no direct room with {person}"))
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    (0..count)
        .map(|i| {
            let who = i % people.len();
            sandbox
                .say(&people[who], &rooms[who], &format!("event {i}"))
                .map(|id| id.to_string())
                .map_err(io::Error::other)
        })
        .collect()
}
