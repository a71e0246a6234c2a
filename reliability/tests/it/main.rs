//! The quick fault-injection suite: each fault on 1,000 events, counted by id. The seed is printed
//! with every failure; `FINCHAT_RELIABILITY_SEED=<seed>` replays it.

mod instances;
mod polling;
mod receiver;

use finchat_reliability::Tally;

/// Events per fault.
const EVENTS: usize = 1000;

/// Prints `tally` and checks that the fault was injected at all: a run without faults proves nothing.
fn shown(tally: Tally, seed: u64) -> (Tally, u64) {
    println!("{}\n{}\nseed: {seed}", Tally::header(), tally.row());
    assert!(
        tally.injected > 0,
        "nothing injected\n{}",
        tally.explain(seed)
    );
    (tally, seed)
}

/// The goal where the platform redelivers (or nothing was killed): every event handled exactly once.
fn assert_each_event_handled_once((tally, seed): (Tally, u64)) {
    assert_eq!(tally.lost, 0, "events lost\n{}", tally.explain(seed));
    assert_eq!(
        tally.twice,
        0,
        "events handled twice\n{}",
        tally.explain(seed)
    );
    assert_eq!(tally.once, EVENTS, "{}", tally.explain(seed));
}
