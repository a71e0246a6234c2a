//! Remembering which events were handled, so that a redelivered event is acknowledged but not handled
//! twice. Bounded whatever is in flight: entries expire after a TTL (at least the hour FinChat keeps
//! redelivering), the oldest handled ones go first when the store is full, and when events in flight
//! alone fill it a new event is refused (answered 503, so it comes again) rather than let it grow.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::telemetry;
use crate::token::StoreFuture;

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// Not seen before: it is now marked in flight and must be handled.
    New,
    /// Being handled by another delivery right now.
    InFlight,
    /// Handled already.
    Done,
    /// Not seen before, but the store is full of events in flight and cannot take it: not marked,
    /// not to be handled now (the receiver answers 503, so FinChat delivers it again).
    Full,
    /// The store could not be asked (a shared store that is down or slower than its deadline): not
    /// marked, not to be handled now, since it may be handled or in flight elsewhere (the receiver
    /// answers 503, so FinChat delivers it again).
    Unavailable,
}

/// A store of the event ids being handled and handled. Implement it over shared storage when several
/// processes receive the same app's events.
pub trait DedupeStore: Send + Sync {
    /// Marks `event_id` in flight if it is new and there is room; says where it stood. A store that
    /// cannot tell (it is down) answers [`Seen::Unavailable`]: never `New` (that would handle the
    /// event twice) nor `Done` (that would lose it).
    fn begin(&self, event_id: &str) -> StoreFuture<'_, Seen>;
    /// Marks `event_id` done (`handled`) or forgets it so a redelivery is handled (`!handled`).
    fn finish(&self, event_id: &str, handled: bool) -> StoreFuture<'_, ()>;
}

/// A [`DedupeStore`] in memory, bounded by `capacity` entries and a `ttl`.
///
/// # How much it covers
///
/// An event id is remembered for the `ttl` only while fewer than `capacity` newer events came: the
/// store covers `capacity / rate` seconds of events. FinChat redelivers an unacknowledged event for
/// an hour, so the store covers that window up to `capacity / 3600 s` events per second: the
/// default 100,000 entries cover the hour up to about 28 events/s (and the whole 2-hour TTL up to
/// about 14/s). Above that, a handled id may be forgotten before FinChat stops redelivering it, and a
/// late redelivery is then handled again. Size it from your peak rate with
/// [`InMemoryDedupe::for_rate`]; each entry takes roughly 100 bytes plus the id.
///
/// When that happens it says so: [`InMemoryDedupe::evicted_early`] counts the handled ids forgotten
/// before their TTL, as does the `finchat_dedupe_evicted_early_total` counter (with the `metrics`
/// feature), and a WARN line says so at most once a minute.
///
/// The bound holds whatever is in flight: the oldest *handled* entries make room, and when events
/// in flight alone fill the store a new event is refused ([`Seen::Full`], answered 503) until one
/// finishes. Every call takes a short lock and does O(log n) work, never a scan.
pub struct InMemoryDedupe {
    capacity: usize,
    ttl: Duration,
    entries: Mutex<Entries>,
}

/// How often a WARN line reports handled ids forgotten before their TTL.
const EVICTION_WARNING_EVERY: Duration = Duration::from_secs(60);

/// An event's state, when it was first seen, and its place in the orders.
struct Entry {
    seen: Seen,
    first: Instant,
    order: u64,
}

/// The entries by id, and two indexes by age (`order` grows with each new entry, so it follows
/// `first`): every entry, for expiry, and the handled ones, for eviction when full.
#[derive(Default)]
struct Entries {
    state: HashMap<Arc<str>, Entry>,
    by_age: BTreeMap<u64, Arc<str>>,
    done: BTreeSet<u64>,
    next_order: u64,
    evicted_early: u64,
    /// Forgotten early since the last warning, and when that was.
    unreported: u64,
    last_warning: Option<Instant>,
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

    /// Room for every event of `ttl` at `events_per_second`: `capacity = rate × ttl` (at least
    /// 1,000). For FinChat's hour of redeliveries at 100 events/s: `for_rate(100, 3600 s)`, 360,000
    /// entries.
    pub fn for_rate(events_per_second: u32, ttl: Duration) -> Self {
        let capacity = (f64::from(events_per_second) * ttl.as_secs_f64()).ceil();
        // Saturates: a rate times a TTL beyond usize is as good as unbounded.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let capacity = capacity as usize;
        Self::new(capacity.max(1000), ttl)
    }

    /// The most events it remembers.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many events it remembers now (at most [`InMemoryDedupe::capacity`]).
    pub fn len(&self) -> usize {
        self.lock().state.len()
    }

    /// Whether it remembers no event.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many handled ids were forgotten before their TTL to make room: each is a redelivery that
    /// would be handled again. Above zero, the store is too small for the event rate.
    pub fn evicted_early(&self) -> u64 {
        self.lock().evicted_early
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The entries stay consistent even if a holder panicked: no code under the lock panics
        // between the changes of one call.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn begin_now(&self, event_id: &str) -> Seen {
        let now = Instant::now();
        let (seen, warning) = {
            let mut entries = self.lock();
            entries.expire(now, self.ttl);
            if let Some(entry) = entries.state.get(event_id) {
                return entry.seen;
            }
            if entries.state.len() >= self.capacity && !entries.evict_oldest_done() {
                (Seen::Full, None)
            } else {
                entries.insert(event_id, now);
                (Seen::New, entries.warning(now))
            }
        };
        if let Some(forgotten) = warning {
            tracing::warn!(
                forgotten,
                capacity = self.capacity,
                ttl_secs = self.ttl.as_secs(),
                "dedupe store full: handled event ids forgotten before their TTL, so a redelivery \
                 of them would be handled again; raise its capacity (events/s × TTL)"
            );
        }
        seen
    }

    fn finish_now(&self, event_id: &str, handled: bool) {
        let mut entries = self.lock();
        let Entries {
            state,
            by_age,
            done,
            ..
        } = &mut *entries;
        let Some(entry) = state.get_mut(event_id) else {
            return;
        };
        if entry.seen != Seen::InFlight {
            return;
        }
        if handled {
            entry.seen = Seen::Done;
            done.insert(entry.order);
        } else {
            let order = entry.order;
            state.remove(event_id);
            by_age.remove(&order);
        }
    }
}

impl Default for InMemoryDedupe {
    /// 100 000 events for 2 hours: FinChat's hour of redeliveries covered up to about 28 events/s.
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(2 * 3600))
    }
}

impl Entries {
    fn insert(&mut self, event_id: &str, now: Instant) {
        let id: Arc<str> = Arc::from(event_id);
        let order = self.next_order;
        self.next_order += 1;
        self.by_age.insert(order, Arc::clone(&id));
        self.state.insert(
            id,
            Entry {
                seen: Seen::InFlight,
                first: now,
                order,
            },
        );
    }

    /// Forgets the entries older than the TTL, oldest first (an event in flight too: a store shared
    /// with a process that died would otherwise keep it for ever).
    fn expire(&mut self, now: Instant, ttl: Duration) {
        while let Some(entry) = self
            .by_age
            .first_key_value()
            .and_then(|(_, id)| self.state.get(id))
        {
            if now.duration_since(entry.first) < ttl {
                break;
            }
            let order = entry.order;
            if let Some((_, id)) = self.by_age.pop_first() {
                self.state.remove(&id);
            }
            self.done.remove(&order);
        }
    }

    /// Forgets the oldest handled entry, before its TTL (expired ones are gone already); false when
    /// every entry is in flight.
    fn evict_oldest_done(&mut self) -> bool {
        let Some(order) = self.done.pop_first() else {
            return false;
        };
        if let Some(id) = self.by_age.remove(&order) {
            self.state.remove(&id);
        }
        self.evicted_early += 1;
        self.unreported += 1;
        telemetry::dedupe_evicted_early();
        true
    }

    /// How many ids were forgotten early since the last warning, when it is time for another one.
    fn warning(&mut self, now: Instant) -> Option<u64> {
        let due = self
            .last_warning
            .is_none_or(|last| now.duration_since(last) >= EVICTION_WARNING_EVERY);
        if self.unreported == 0 || !due {
            return None;
        }
        self.last_warning = Some(now);
        Some(std::mem::take(&mut self.unreported))
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

    /// Every index holds exactly the live entries.
    fn assert_consistent(store: &InMemoryDedupe) {
        let entries = store.lock();
        assert!(
            entries.state.len() <= store.capacity,
            "{}",
            entries.state.len()
        );
        assert_eq!(entries.by_age.len(), entries.state.len());
        let done = entries
            .state
            .values()
            .filter(|e| e.seen == Seen::Done)
            .count();
        assert_eq!(entries.done.len(), done);
    }

    #[test]
    fn memory_stays_bounded() {
        let store = InMemoryDedupe::new(10, Duration::from_secs(3600));
        for i in 0..1000 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, true);
        }
        assert_eq!(store.len(), 10);
        assert_consistent(&store);
    }

    #[test]
    fn failed_and_expired_events_leave_no_entries_behind() {
        let store = InMemoryDedupe::new(4, Duration::from_secs(3600));
        for i in 0..100 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, i % 2 == 0);
        }
        assert!(store.len() <= 4);
        assert_consistent(&store);
        let expiring = InMemoryDedupe::new(4, Duration::ZERO);
        for i in 0..100 {
            expiring.begin_now(&format!("${i}"));
        }
        assert_eq!(
            expiring.len(),
            1,
            "only the newest, expired at the next call"
        );
        assert_consistent(&expiring);
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
    fn events_in_flight_that_fill_the_store_refuse_new_ones_until_one_finishes() {
        let store = InMemoryDedupe::new(10, Duration::from_secs(3600));
        for i in 0..10 {
            assert_eq!(store.begin_now(&format!("$stuck{i}")), Seen::New);
        }
        assert_eq!(store.begin_now("$new"), Seen::Full);
        assert_eq!(store.len(), 10);
        store.finish_now("$stuck3", true);
        assert_eq!(
            store.begin_now("$new"),
            Seen::New,
            "the handled one made room"
        );
        assert_eq!(store.evicted_early(), 1);
        assert_eq!(
            store.begin_now("$stuck3"),
            Seen::Full,
            "forgotten early, and no room again"
        );
        assert_eq!(store.len(), 10);
        assert_consistent(&store);
    }

    #[test]
    fn only_handled_ids_forgotten_before_their_ttl_count_as_early() {
        let store = InMemoryDedupe::new(2, Duration::from_secs(3600));
        for i in 0..5 {
            let id = format!("${i}");
            store.begin_now(&id);
            store.finish_now(&id, true);
        }
        assert_eq!(store.evicted_early(), 3);
        let expiring = InMemoryDedupe::new(2, Duration::ZERO);
        for i in 0..5 {
            let id = format!("${i}");
            expiring.begin_now(&id);
            expiring.finish_now(&id, true);
        }
        assert_eq!(expiring.evicted_early(), 0, "expired, not forgotten early");
    }

    #[test]
    fn a_store_sized_for_a_rate_covers_its_ttl() {
        let hour = Duration::from_secs(3600);
        assert_eq!(InMemoryDedupe::for_rate(28, hour).capacity(), 100_800);
        assert_eq!(InMemoryDedupe::for_rate(0, hour).capacity(), 1000);
        assert_eq!(InMemoryDedupe::default().capacity() / 3600, 27);
    }

    #[test]
    fn entries_expire() {
        let store = InMemoryDedupe::new(10, Duration::ZERO);
        store.begin_now("$a");
        store.finish_now("$a", true);
        assert_eq!(store.begin_now("$a"), Seen::New);
    }
}
