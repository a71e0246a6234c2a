//! The dedupe store's bound holds whatever is in flight (issue 12, item 2), and a handled id forgotten
//! before its TTL is said so (item 3).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use finchat_client::receiver::InMemoryDedupe;
use finchat_client::{Dispatcher, Receiver};
use finchat_test_support::logs::Logs;
use tokio::sync::Semaphore;

use crate::receiver::{TOKEN, put_json, serve, text};

/// Handlers of `stuck` messages that wait for the test; every other message is handled at once.
struct Waiting {
    started: Semaphore,
    release: Semaphore,
    handled: AtomicUsize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_full_of_events_in_flight_refuses_new_ones_instead_of_growing() {
    let waiting = Waiting {
        started: Semaphore::new(0),
        release: Semaphore::new(0),
        handled: AtomicUsize::new(0),
    };
    let dispatcher = Dispatcher::new(waiting).on_message(|waiting, _, message| async move {
        if message.body() == Some("stuck") {
            waiting.started.add_permits(1);
            waiting.release.acquire().await.ok();
        }
        waiting.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let waiting = Arc::clone(dispatcher.state());
    let store = Arc::new(InMemoryDedupe::new(10, Duration::from_secs(3600)));
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .handler_deadline(Duration::from_secs(20))
        .dedupe(Arc::clone(&store) as _);
    let addr = serve(receiver).await;

    let mut stuck = tokio::task::JoinSet::new();
    for i in 0..10 {
        stuck.spawn(async move { put_json(addr, &text(&format!("$stuck{i}:x"), "stuck")).await });
    }
    waiting.started.acquire_many(10).await.unwrap().forget();
    assert_eq!(store.len(), 10);

    let eleventh = text("$eleventh:x", "hello");
    assert_eq!(
        put_json(addr, &eleventh).await,
        503,
        "no room: come again later"
    );
    assert_eq!(store.len(), 10, "the bound holds");
    assert_eq!(waiting.handled.load(Ordering::SeqCst), 0);

    waiting.release.add_permits(10);
    while let Some(status) = stuck.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(put_json(addr, &eleventh).await, 200, "the redelivery");
    assert_eq!(waiting.handled.load(Ordering::SeqCst), 11);
    assert_eq!(store.len(), 10, "the oldest handled id made room");
}

#[tokio::test]
async fn a_handled_id_forgotten_before_its_ttl_is_counted_and_logged() {
    let (logs, _guard) = Logs::capture();
    let dispatcher = Dispatcher::new(()).on_message(|_, _, _| async { Ok(()) });
    let store = Arc::new(InMemoryDedupe::new(2, Duration::from_secs(3600)));
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .dedupe(Arc::clone(&store) as _);
    let addr = serve(receiver).await;
    for i in 0..5 {
        assert_eq!(
            put_json(addr, &text(&format!("${i}:x"), "hello")).await,
            200
        );
    }
    assert_eq!(store.evicted_early(), 3);
    let warning = logs.line_with(&["WARN", "before their TTL"]);
    assert!(warning.contains("capacity"), "{warning}");
    assert_eq!(
        logs.text().matches("before their TTL").count(),
        1,
        "at most one warning a minute"
    );
}
