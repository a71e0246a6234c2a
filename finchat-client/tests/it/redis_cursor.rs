//! `RedisCursor`: two consumers of one app on one Redis; one polls at a time, and when it dies the
//! other takes over after the lease, from the cursor (and passed events) the first saved.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use finchat_client::Dispatcher;
use finchat_client::polling::PollingConsumer;
use finchat_client::redis::{RedisConnection, RedisCursor};
use finchat_test_support::redis::RedisServer;

use crate::polling::forwarder;
use crate::server::TestServer;

/// What both consumers' handlers did.
#[derive(Default)]
struct Shared {
    /// (consumer, body, when) of each handled event.
    handled: Mutex<Vec<(char, String, Instant)>>,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
}

struct Running(Arc<Shared>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

fn dispatcher(me: char, shared: Arc<Shared>) -> Dispatcher<Arc<Shared>> {
    Dispatcher::new(shared).on_message(move |shared, _event, message| async move {
        let now = shared.running.fetch_add(1, Ordering::SeqCst) + 1;
        shared.most_at_once.fetch_max(now, Ordering::SeqCst);
        // Counted out even when the handler is aborted (its consumer killed).
        let _running = Running(Arc::clone(&shared));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let body = message.body().unwrap_or_default().to_owned();
        shared
            .handled
            .lock()
            .unwrap()
            .push((me, body, Instant::now()));
        Ok(())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cursor_one_consumer_polls_and_the_other_takes_over_when_it_dies() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    const EVENTS: usize = 40;
    let lease = Duration::from_millis(600);
    let server = TestServer::with_tokens(forwarder(EVENTS)).await;
    let shared = Arc::new(Shared::default());
    let consumer = |me: char| {
        let connection = RedisConnection::open(redis.url())
            .unwrap()
            .prefix(redis.prefix());
        PollingConsumer::new(
            server.client().build().unwrap(),
            dispatcher(me, Arc::clone(&shared)),
            RedisCursor::new(connection),
        )
        .page_size(5)
        .idle_interval(Duration::from_millis(50))
        .lease(lease)
    };
    let a = tokio::spawn(consumer('a').run_until(std::future::pending()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let b = tokio::spawn(consumer('b').run_until(std::future::pending()));

    // Let `a` get through part of the events, then kill it in the middle of one.
    let started = Instant::now();
    while shared.handled.lock().unwrap().len() < 12 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "a handles events"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.abort();
    a.await.ok();
    let killed = Instant::now();

    let started = Instant::now();
    loop {
        let bodies: std::collections::HashSet<String> = shared
            .handled
            .lock()
            .unwrap()
            .iter()
            .map(|(_, body, _)| body.clone())
            .collect();
        if bodies.len() == EVENTS {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "b takes over and handles the rest: {} of {EVENTS}",
            bodies.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    b.abort();
    b.await.ok();

    let handled = shared.handled.lock().unwrap().clone();
    assert_eq!(
        shared.most_at_once.load(Ordering::SeqCst),
        1,
        "never two handlers at once"
    );
    let first_of_b = handled
        .iter()
        .find(|(who, _, _)| *who == 'b')
        .map(|(_, _, at)| *at)
        .expect("b handled events");
    assert!(first_of_b > killed, "b waited while a held the lease");
    let takeover = first_of_b - killed;
    assert!(
        takeover < lease + lease / 4 + Duration::from_millis(500),
        "b took over after the lease: {takeover:?}"
    );
    eprintln!("takeover after {takeover:?} (lease {lease:?})");
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (_, body, _) in &handled {
        *times.entry(body.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    // At most the event `a` had handled but not yet recorded as passed when it was killed.
    assert!(
        twice.len() <= 1 && twice.iter().all(|(_, n)| **n == 2),
        "b starts from a's saved cursor and passed events: handled twice {twice:?}"
    );
    let order: Vec<char> = handled.iter().map(|(who, _, _)| *who).collect();
    let switch = order.iter().position(|w| *w == 'b').unwrap();
    assert!(
        order[..switch].iter().all(|w| *w == 'a') && order[switch..].iter().all(|w| *w == 'b'),
        "{order:?}"
    );
}
