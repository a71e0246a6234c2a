//! The receiver's de-duplication store in figures: how long a window its capacity covers at a given
//! event rate (and the handled ids it forgets early, measured through the public [`DedupeStore`]
//! API), and the memory held by entries that never finish.

use std::time::{Duration, Instant};

use finchat_client::receiver::{DedupeStore, InMemoryDedupe, Seen};

/// How long FinChat redelivers a failed event: the window a redelivered id must be remembered.
pub const REDELIVERY_WINDOW: Duration = Duration::from_secs(3600);

/// The window one store covers at one rate.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Events per second.
    pub rate: f64,
    /// How long an id is remembered at that rate: the TTL, or less when the capacity fills first.
    pub covered: Duration,
}

impl Window {
    /// `capacity` ids for `ttl` at `rate` events per second.
    pub fn at(capacity: usize, ttl: Duration, rate: f64) -> Self {
        let filled = Duration::from_secs_f64(capacity as f64 / rate.max(f64::MIN_POSITIVE));
        Self {
            rate,
            covered: filled.min(ttl),
        }
    }

    /// Whether FinChat's hour of redeliveries is covered.
    pub fn covers_redeliveries(&self) -> bool {
        self.covered >= REDELIVERY_WINDOW
    }
}

/// The highest rate at which `capacity` ids cover FinChat's hour.
pub fn highest_covered_rate(capacity: usize) -> f64 {
    capacity as f64 / REDELIVERY_WINDOW.as_secs_f64()
}

/// Early evictions measured at one rate.
#[derive(Debug, Clone, Copy)]
pub struct Evictions {
    /// Events per second.
    pub rate: f64,
    /// Handled ids fed in: one hour's worth at `rate`.
    pub fed: usize,
    /// Of them, still remembered at the end (all are within the hour, so all should be).
    pub remembered: usize,
}

impl Evictions {
    /// Handled ids forgotten before FinChat stops redelivering them.
    pub fn early(&self) -> usize {
        self.fed - self.remembered
    }
}

/// Feeds one hour's worth of handled ids at `rate` into `store` (as fast as it takes them: the
/// hour is within its TTL either way), then asks, newest first, which it still remembers. The
/// newest ids stay longest, so the remembered ones are the newest block; the count stops at the
/// first forgotten one (asking about it marks it new, which changes the store).
pub async fn measure_early_evictions(store: &dyn DedupeStore, rate: f64) -> Evictions {
    let fed = (rate * REDELIVERY_WINDOW.as_secs_f64()).round() as usize;
    for i in 0..fed {
        let id = format!("$evict-{i}");
        store.begin(&id).await;
        store.finish(&id, true).await;
    }
    let mut remembered = 0;
    for i in (0..fed).rev() {
        if store.begin(&format!("$evict-{i}")).await != Seen::Done {
            break;
        }
        remembered += 1;
    }
    Evictions {
        rate,
        fed,
        remembered,
    }
}

/// The memory held by entries that never finish.
#[derive(Debug, Clone, Copy)]
pub struct StuckMemory {
    /// What was put in: begun and never finished (`in_flight`), and begun and finished behind
    /// them (`finished`).
    pub in_flight: usize,
    /// Finished entries put in after the stuck ones.
    pub finished: usize,
    /// Whether the time budget ran out before all were put in.
    pub out_of_time: bool,
    /// Resident memory before and after, in KiB (`VmRSS`); `None` off Linux.
    pub rss_before_kib: Option<u64>,
    /// See `rss_before_kib`.
    pub rss_after_kib: Option<u64>,
    /// How long it took.
    pub elapsed: Duration,
    /// How long the last (up to) 1,000 `begin` calls took each, on average.
    pub last_begin: Duration,
    /// Whether the oldest finished entry is still remembered (with a bound that holds, it is not).
    pub oldest_finished_remembered: bool,
}

impl StuckMemory {
    /// Resident memory gained, in MiB.
    pub fn grown_mib(&self) -> Option<f64> {
        Some((self.rss_after_kib?.saturating_sub(self.rss_before_kib?)) as f64 / 1024.0)
    }
}

/// Fills a default [`InMemoryDedupe`] (100,000 ids, 2 h) with `in_flight` entries that never
/// finish, then `finished` ordinary ones, within `budget`; reports what it holds then. Run it in a
/// fresh process for a clean figure.
pub async fn measure_stuck_memory(
    in_flight: usize,
    finished: usize,
    budget: Duration,
) -> StuckMemory {
    let store = InMemoryDedupe::default();
    let rss_before_kib = rss_kib();
    let started = Instant::now();
    let mut out_of_time = false;
    let mut put = (0, 0);
    let mut recent = std::collections::VecDeque::with_capacity(1000);
    let total = in_flight + finished;
    for i in 0..total {
        if started.elapsed() > budget {
            out_of_time = true;
            break;
        }
        let id = format!("$stuck-{i}");
        let begun = Instant::now();
        store.begin(&id).await;
        if recent.len() == 1000 {
            recent.pop_front();
        }
        recent.push_back(begun.elapsed());
        if i < in_flight {
            put.0 += 1;
        } else {
            store.finish(&id, true).await;
            put.1 += 1;
        }
    }
    let elapsed = started.elapsed();
    let rss_after_kib = rss_kib();
    let oldest_finished_remembered =
        put.1 > 0 && store.begin(&format!("$stuck-{in_flight}")).await == Seen::Done;
    StuckMemory {
        in_flight: put.0,
        finished: put.1,
        out_of_time,
        rss_before_kib,
        rss_after_kib,
        elapsed,
        last_begin: recent.iter().sum::<Duration>()
            / u32::try_from(recent.len().max(1)).unwrap_or(1),
        oldest_finished_remembered,
    }
}

/// This process's resident memory in KiB, from `/proc/self/status`.
pub fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_store_covers_the_hour_up_to_about_28_events_a_second() {
        let rate = highest_covered_rate(100_000);
        assert!((27.0..28.0).contains(&rate), "{rate}");
        let ttl = Duration::from_secs(7200);
        assert!(Window::at(100_000, ttl, 27.0).covers_redeliveries());
        assert!(!Window::at(100_000, ttl, 100.0).covers_redeliveries());
        assert_eq!(
            Window::at(100_000, ttl, 100.0).covered,
            Duration::from_secs(1000)
        );
    }

    #[test]
    fn resident_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(rss_kib().is_some_and(|kib| kib > 0));
        }
    }
}
