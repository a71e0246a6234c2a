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

/// Each event with its state and when it was first seen; `order` lists them oldest first. An id whose
/// entry was removed (a failure) or replaced (seen again after it expired) leaves a stale line in
/// `order`, recognised by its time and skipped.
#[derive(Default)]
struct Entries {
    state: HashMap<String, (Seen, Instant)>,
    order: VecDeque<(String, Instant)>,
}

impl InMemoryDedupe {
    /// Remembers up to `capacity` events for `ttl` each, counted from their first delivery (use at
    /// least an hour: FinChat redelivers for that long).
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            capacity: capacity.max(1),
            ttl,
            entries: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The entries stay consistent even if a holder panicked: every change is one insert or remove.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn begin_now(&self, event_id: &str) -> Seen {
        let mut entries = self.lock();
        let now = Instant::now();
        if let Some((seen, first)) = entries.state.get(event_id) {
            if now.duration_since(*first) < self.ttl {
                return *seen;
            }
        }
        entries.evict(now, self.ttl, self.capacity);
        entries
            .state
            .insert(event_id.to_owned(), (Seen::InFlight, now));
        entries.order.push_back((event_id.to_owned(), now));
        Seen::New
    }

    fn finish_now(&self, event_id: &str, handled: bool) {
        let mut entries = self.lock();
        if handled {
            if let Some((seen, _)) = entries.state.get_mut(event_id) {
                *seen = Seen::Done;
            }
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
    /// Drops stale lines and expired entries from the front, then the oldest finished entries while
    /// the store is full. An event still in flight is never forgotten before it expires.
    fn evict(&mut self, now: Instant, ttl: Duration, capacity: usize) {
        if self.order.len() >= 2 * capacity {
            // Many stale lines behind a live front (failures): drop them all at once.
            let state = &self.state;
            self.order
                .retain(|(id, first)| state.get(id).is_some_and(|(_, at)| at == first));
        }
        while let Some((id, first)) = self.order.front() {
            let current = self.state.get(id).filter(|(_, at)| at == first);
            let drop = match current {
                None => true,
                Some((seen, at)) => {
                    now.duration_since(*at) >= ttl
                        || (self.state.len() >= capacity && *seen == Seen::Done)
                }
            };
            if !drop {
                break;
            }
            let live = current.is_some();
            if let Some((id, _)) = self.order.pop_front() {
                if live {
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
        let entries = store.lock();
        assert!(entries.state.len() <= 10, "{}", entries.state.len());
        assert!(entries.order.len() <= 11, "{}", entries.order.len());
    }

    #[test]
    fn failed_and_expired_events_leave_no_entries_behind() {
        let store = InMemoryDedupe::new(4, Duration::from_secs(3600));
        for i in 0..100 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, i % 2 == 0);
        }
        let entries = store.lock();
        assert!(entries.state.len() <= 4, "{}", entries.state.len());
        assert!(
            entries.order.len() <= 8,
            "stale lines are dropped too: {}",
            entries.order.len()
        );
    }

    #[test]
    fn an_event_in_flight_is_not_forgotten_when_the_store_is_full() {
        let store = InMemoryDedupe::new(2, Duration::from_secs(3600));
        store.begin_now("$slow");
        for i in 0..10 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, true);
        }
        assert_eq!(store.begin_now("$slow"), Seen::InFlight);
    }

    #[test]
    fn entries_expire() {
        let store = InMemoryDedupe::new(10, Duration::ZERO);
        store.begin_now("$a");
        store.finish_now("$a", true);
        assert_eq!(store.begin_now("$a"), Seen::New);
    }
}
