//! Three instances on one Redis behind a round-robin balancer, connections cut mid-handler, one
//! instance killed half way: every card decided exactly once, one token request in all.

use finchat_reliability::instances::{InstancesRun, InstancesTally};
use finchat_test_support::redis::RedisServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_three_instances_decide_every_card_exactly_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let seed = finchat_reliability::seed();
    let tally = InstancesRun::new(redis.url(), redis.prefix(), 150, seed)
        .run()
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    println!(
        "{}\n{}\nseed: {seed}",
        InstancesTally::header(),
        tally.row()
    );
    assert!(
        tally.killed && tally.cut > 0,
        "faults were injected: {tally:?}"
    );
    assert!(tally.row().contains("| 1 of 3 |"), "{}", tally.row());
    assert_eq!(tally.submissions, 300);
    assert_eq!(
        (tally.lost, tally.decided_twice),
        (0, 0),
        "seed {seed}: {tally:?}"
    );
    assert_eq!(tally.decided_once, 150, "seed {seed}: {tally:?}");
    assert_eq!(
        tally.token_requests, 1,
        "one token for the three instances and the sender: {tally:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_a_run_that_fails_half_way_reports_why_instead_of_panicking() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut run = InstancesRun::new(redis.url(), redis.prefix(), 20, finchat_reliability::seed());
    run.limit = std::time::Duration::ZERO;
    let error = run.run().await.unwrap_err().to_string();
    assert!(error.contains("submissions pushed"), "{error}");
}
