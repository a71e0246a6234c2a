//! The polling consumer under faults: kill -9 may repeat an event it handled but had not yet
//! passed with its cursor (at most one per kill), and must lose none; token faults must cost
//! nothing.

use finchat_reliability::polling_faults::{PollingFault, PollingRun};
use finchat_reliability::{Tally, seed};

use crate::{EVENTS, assert_each_event_handled_once, shown};

async fn run(fault: PollingFault) -> (Tally, u64) {
    let seed = seed();
    let tally = PollingRun::new(fault, EVENTS, seed, env!("CARGO_BIN_EXE_poll-consumer"))
        .run()
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let (tally, seed) = shown(tally, seed);
    assert_eq!(tally.lost, 0, "events lost\n{}", tally.explain(seed));
    (tally, seed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_at_random_points_loses_nothing_and_repeats_at_most_one_event_per_kill() {
    let (tally, seed) = run(PollingFault::Kill9).await;
    assert!(
        tally.twice <= tally.injected,
        "more repeats than kills\n{}",
        tally.explain(seed)
    );
    assert_eq!(tally.once + tally.twice, EVENTS, "{}", tally.explain(seed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_waits_out_a_token_endpoint_outage() {
    assert_each_event_handled_once(run(PollingFault::TokenEndpointDown).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_recovers_from_a_401_storm() {
    assert_each_event_handled_once(run(PollingFault::UnauthorizedStorm).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_recovers_from_a_401_storm_while_the_token_endpoint_is_down() {
    assert_each_event_handled_once(run(PollingFault::StormWhileTokenDown).await);
}
