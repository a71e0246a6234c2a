//! The receiver under faults: FinChat redelivers, so the goal is 0 lost and 0 twice for each.

use finchat_reliability::receiver_faults::{ReceiverFault, ReceiverRun};
use finchat_reliability::{Tally, seed};

use crate::{EVENTS, assert_each_event_handled_once, shown};

async fn run(fault: ReceiverFault, fraction: f64) -> (Tally, u64) {
    let seed = seed();
    let tally = ReceiverRun::new(fault, EVENTS, fraction, seed)
        .run()
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let (tally, seed) = shown(tally, seed);
    (tally, seed)
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
