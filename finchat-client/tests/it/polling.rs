//! The polling consumer: events handled in order, the cursor moved only past handled ones and kept in
//! a file across a restart, with nothing lost and nothing handled twice.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::polling::{FileCursor, MemoryCursor, PollingConsumer};
use finchat_client::{Dispatcher, HandlerError};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};

fn event(n: usize) -> Value {
    json!({"app_id": "app-1", "event_id": format!("$e{n:03}:example.org"), "type": "m.room.message",
        "timestamp": 1_700_000_000_000_i64 + n as i64, "sender": "@alice:example.org", "room_id": "!r:example.org",
        "room_type": "direct_room", "content": {"msgtype": "m.text", "body": format!("message {n}")}})
}

/// The forwarder API over `count` events, sorted by event id: those after `since`, `page_size` at most.
pub(crate) fn forwarder(
    count: usize,
) -> impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static {
    move |request, _| {
        assert!(
            request
                .path
                .starts_with("/api/v1/finchat/privilege-api/forwarder/app-1/events"),
            "{}",
            request.path
        );
        let query = request.query.clone().unwrap_or_default();
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .map(|v| v.replace("%24", "$").replace("%3A", ":"))
        };
        let page_size: usize = param("page_size")
            .and_then(|p| p.parse().ok())
            .unwrap_or(20);
        let since = param("since").unwrap_or_default();
        let events: Vec<Value> = (0..count)
            .map(event)
            .filter(|e| e["event_id"].as_str().unwrap() > since.as_str())
            .take(page_size)
            .collect();
        let last = events.last().map_or(since.clone(), |e| {
            e["event_id"].as_str().unwrap().to_owned()
        });
        Reply::ok(json!({"events": events, "since": last}))
    }
}

type Seen = Arc<Mutex<Vec<String>>>;

/// Records each handled body; fails once on `fail_on`.
fn dispatcher(seen: Seen, fail_on: Option<&'static str>) -> Dispatcher<Seen> {
    let failed_once = Arc::new(Mutex::new(false));
    Dispatcher::new(seen).on_message(move |seen, _event, message| {
        let failed_once = Arc::clone(&failed_once);
        async move {
            let body = message.body().unwrap_or_default().to_owned();
            if Some(body.as_str()) == fail_on
                && !std::mem::replace(&mut *failed_once.lock().unwrap(), true)
            {
                return Err(HandlerError::msg("the database is down"));
            }
            seen.lock().unwrap().push(body);
            Ok(())
        }
    })
}

#[tokio::test]
async fn a_poll_handles_a_page_in_order_and_moves_the_cursor() {
    let server = TestServer::with_tokens(forwarder(5)).await;
    let seen: Seen = Arc::default();
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen), None),
        MemoryCursor::default(),
    )
    .page_size(3);
    let first = consumer.poll_once().await.unwrap();
    assert_eq!(
        (first.handled, first.failed(), first.more),
        (3, false, true)
    );
    let second = consumer.poll_once().await.unwrap();
    assert_eq!((second.handled, second.more), (2, false));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "message 0",
            "message 1",
            "message 2",
            "message 3",
            "message 4"
        ]
    );
    let calls = server.calls();
    assert_eq!(calls[0].query.as_deref(), Some("page_size=3"));
    assert!(
        calls[1]
            .query
            .as_deref()
            .unwrap()
            .contains("since=%24e002%3Aexample.org"),
        "{:?}",
        calls[1].query
    );
}

#[tokio::test]
async fn a_failed_event_stops_the_poll_before_it_and_is_polled_again() {
    let server = TestServer::with_tokens(forwarder(4)).await;
    let seen: Seen = Arc::default();
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen), Some("message 2")),
        MemoryCursor::default(),
    );
    let first = consumer.poll_once().await.unwrap();
    assert_eq!((first.handled, first.failed()), (2, true));
    let second = consumer.poll_once().await.unwrap();
    assert_eq!((second.handled, second.failed()), (2, false));
    assert_eq!(
        *seen.lock().unwrap(),
        ["message 0", "message 1", "message 2", "message 3"]
    );
}

#[tokio::test]
async fn a_restart_keeps_the_cursor_and_loses_nothing() {
    let server = TestServer::with_tokens(forwarder(7)).await;
    let dir = std::env::temp_dir().join(format!("finchat-polling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let since_file = dir.join("since.txt");
    let seen: Seen = Arc::default();

    let first_run = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen), None),
        FileCursor::new(&since_file),
    )
    .page_size(4);
    first_run.poll_once().await.unwrap();
    drop(first_run);
    assert_eq!(
        std::fs::read_to_string(&since_file).unwrap(),
        "$e003:example.org"
    );

    let second_run = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen), None),
        FileCursor::new(&since_file),
    )
    .page_size(4)
    .idle_interval(Duration::from_millis(20));
    let shutdown = {
        let seen = Arc::clone(&seen);
        async move {
            while seen.lock().unwrap().len() < 7 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), second_run.run_until(shutdown))
        .await
        .unwrap()
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        (0..7).map(|n| format!("message {n}")).collect::<Vec<_>>(),
        "each event once, in order"
    );
    assert_eq!(
        std::fs::read_to_string(&since_file).unwrap(),
        "$e006:example.org"
    );
    std::fs::remove_dir_all(&dir).ok();
}
