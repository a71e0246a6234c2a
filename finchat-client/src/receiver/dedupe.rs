//! Remembering which events were handled, so that a redelivered event is acknowledged but not handled
//! twice. Bounded: entries expire after a TTL (at least the hour FinChat keeps redelivering) and the
//! oldest finished ones go first when the store is full.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::token::StoreFuture;

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Not seen before: it is now marked in flight and must be handled.
    New,
    /// Being handled by another delivery right now.
    InFlight,
    /// Handled already.
    Done,
}

/// A store of the event ids being handled and handled. Implement it over shared storage when several
/// processes receive the same app's events.
pub trait DedupeStore: Send + Sync {
    /// Marks `event_id` in flight if it is new; says where it stood.
    fn begin(&self, event_id: &str) -> StoreFuture<'_, Seen>;
    /// Marks `event_id` done (`handled`) or forgets it so a redelivery is handled (`!handled`).
    fn finish(&self, event_id: &str, handled: bool) -> StoreFuture<'_, ()>;
}

/// A [`DedupeStore`] in memory, bounded by `capacity` entries and a `ttl`.
pub struct InMemoryDedupe {
    capacity: usize,
    ttl: Duration,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    state: HashMap<String, (Seen, Instant)>,
    order: VecDeque<String>,
}

impl InMemoryDedupe {
    /// Remembers up to `capacity` events for `ttl` each (use at least an hour: FinChat redelivers for
    /// that long).
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            capacity: capacity.max(1),
            ttl,
            entries: Mutex::default(),
        }
    }

    fn begin_now(&self, event_id: &str) -> Seen {
        let Ok(mut entries) = self.entries.lock() else {
            return Seen::New;
        };
        let now = Instant::now();
        if let Some((seen, at)) = entries.state.get(event_id) {
            if now.duration_since(*at) < self.ttl {
                return *seen;
            }
        }
        entries.evict(now, self.ttl, self.capacity);
        entries
            .state
            .insert(event_id.to_owned(), (Seen::InFlight, now));
        entries.order.push_back(event_id.to_owned());
        Seen::New
    }

    fn finish_now(&self, event_id: &str, handled: bool) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if handled {
            entries
                .state
                .insert(event_id.to_owned(), (Seen::Done, Instant::now()));
        } else {
            entries.state.remove(event_id);
        }
    }
}

impl Default for InMemoryDedupe {
    /// 100 000 events for 2 hours.
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(2 * 3600))
    }
}

impl Entries {
    /// Drops expired entries, then the oldest finished ones while over capacity.
    fn evict(&mut self, now: Instant, ttl: Duration, capacity: usize) {
        while let Some(oldest) = self.order.front() {
            let expired = self
                .state
                .get(oldest)
                .is_none_or(|(_, at)| now.duration_since(*at) >= ttl);
            let over = self.state.len() >= capacity
                && self
                    .state
                    .get(oldest)
                    .is_none_or(|(seen, _)| *seen == Seen::Done);
            if !(expired || over) {
                break;
            }
            if let Some(id) = self.order.pop_front() {
                if self
                    .state
                    .get(&id)
                    .is_none_or(|(seen, _)| *seen != Seen::InFlight || expired)
                {
                    self.state.remove(&id);
                }
            }
        }
    }
}

impl DedupeStore for InMemoryDedupe {
    fn begin(&self, event_id: &str) -> StoreFuture<'_, Seen> {
        let seen = self.begin_now(event_id);
        Box::pin(async move { seen })
    }

    fn finish(&self, event_id: &str, handled: bool) -> StoreFuture<'_, ()> {
        self.finish_now(event_id, handled);
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_new_then_in_flight_then_done() {
        let store = InMemoryDedupe::default();
        assert_eq!(store.begin_now("$a"), Seen::New);
        assert_eq!(store.begin_now("$a"), Seen::InFlight);
        store.finish_now("$a", true);
        assert_eq!(store.begin_now("$a"), Seen::Done);
    }

    #[test]
    fn a_failed_event_is_new_again() {
        let store = InMemoryDedupe::default();
        store.begin_now("$a");
        store.finish_now("$a", false);
        assert_eq!(store.begin_now("$a"), Seen::New);
    }

    #[test]
    fn memory_stays_bounded() {
        let store = InMemoryDedupe::new(10, Duration::from_secs(3600));
        for i in 0..1000 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, true);
        }
        let entries = store.entries.lock().unwrap();
        assert!(entries.state.len() <= 10, "{}", entries.state.len());
        assert!(entries.order.len() <= 11, "{}", entries.order.len());
    }

    #[test]
    fn entries_expire() {
        let store = InMemoryDedupe::new(10, Duration::ZERO);
        store.begin_now("$a");
        store.finish_now("$a", true);
        assert_eq!(store.begin_now("$a"), Seen::New);
    }
}
