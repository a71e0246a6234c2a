//! The receiver under faults: FinChat redelivers, so the goal is 0 lost and 0 twice for each.

use finchat_reliability::receiver_faults::{ReceiverFault, ReceiverRun};
use finchat_reliability::{Tally, seed};

const EVENTS: usize = 1000;

async fn run(fault: ReceiverFault, fraction: f64) -> (Tally, u64) {
    let seed = seed();
    let tally = ReceiverRun::new(fault, EVENTS, fraction, seed)
        .run()
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    println!("{}\n{}\nseed: {seed}", Tally::header(), tally.row());
    assert!(
        tally.injected > 0,
        "nothing injected\n{}",
        tally.explain(seed)
    );
    (tally, seed)
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_dropped_mid_handler_loses_nothing_and_handles_nothing_twice() {
    assert_each_event_handled_once(run(ReceiverFault::DroppedConnection, 0.1).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_handler_gets_the_event_again_and_handles_it_once() {
    assert_each_event_handled_once(run(ReceiverFault::HandlerError, 0.1).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panicking_handler_gets_the_event_again_and_handles_it_once() {
    assert_each_event_handled_once(run(ReceiverFault::HandlerPanic, 0.1).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_handler_awaiting_past_its_deadline_is_stopped_and_the_redelivery_handles_the_event() {
    assert_each_event_handled_once(run(ReceiverFault::HangPastDeadline, 0.02).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_handler_blocking_past_its_deadline_does_not_run_twice() {
    assert_each_event_handled_once(run(ReceiverFault::BlockPastDeadline, 0.02).await);
}
