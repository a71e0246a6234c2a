//! The webhook receiver over real HTTP: the token and app id, malformed and oversize bodies, unknown
//! types, duplicates handled once, failures answered 5xx and handled on redelivery, and the search
//! deadline.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use finchat_client::events::{SearchResponse, SearchResult};
use finchat_client::{Dispatcher, HandlerError, Receiver};
use finchat_cui::CuiForm;
use serde_json::{Value, json};

/// The callback token of these tests (long enough for `Receiver::new`).
pub(crate) const TOKEN: &str = "callback-token-for-tests";

#[derive(Default)]
struct Counts {
    messages: AtomicUsize,
    forms: AtomicUsize,
    others: AtomicUsize,
    /// The first `fail_first` messages fail.
    fail_first: AtomicUsize,
}

#[derive(Debug, CuiForm)]
struct Approval {
    amount: u32,
}

/// Serves `receiver` on a free port until the test ends.
pub(crate) async fn serve<S: Send + Sync + 'static>(receiver: Receiver<S>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
    addr
}

fn dispatcher(counts: Counts) -> Dispatcher<Counts> {
    Dispatcher::new(counts)
        .on_message(|counts, _event, message| async move {
            if message.body() == Some("panic") {
                panic!("a handler bug");
            }
            if message.body() == Some("slow") {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            if counts.fail_first.load(Ordering::SeqCst) > 0 {
                counts.fail_first.fetch_sub(1, Ordering::SeqCst);
                return Err(HandlerError::msg("the database is down"));
            }
            counts.messages.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .on_submission::<Approval, _, _>(|counts, _event, form| async move {
            assert_eq!(form.amount, 1200);
            counts.forms.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .on_event(|counts, _event| async move {
            counts.others.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .on_search(|_, query| async move {
            if query.search_text == "slow" {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            Ok(SearchResponse::new(
                1,
                vec![SearchResult::text(
                    "保险",
                    format!("找到 {}", query.search_text),
                )],
            ))
        })
}

async fn start(counts: Counts) -> (SocketAddr, Arc<Counts>) {
    let dispatcher = dispatcher(counts);
    let state = Arc::clone(dispatcher.state());
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .app_id("app-1")
        .body_limit(64 * 1024)
        .handler_deadline(Duration::from_millis(500))
        .search_deadline(Duration::from_millis(300));
    (serve(receiver).await, state)
}

/// A push of an event of `event_type` with `content`, as FinChat sends it.
pub(crate) fn callback(event_id: &str, event_type: &str, content: Value) -> Value {
    json!({"app_id": "app-1", "token": TOKEN, "event": {
        "event_id": event_id, "type": event_type, "timestamp": 1432735824653_i64,
        "room_id": "!r:example.org", "room_type": "direct_room", "sender": "@alice:example.org",
        "content": content}})
}

/// A push of the text message `body`.
pub(crate) fn text(event_id: &str, body: &str) -> Value {
    callback(
        event_id,
        "m.room.message",
        json!({"msgtype": "m.text", "body": body}),
    )
}

/// PUTs `body` to `/callback`; the status and the JSON answer.
pub(crate) async fn put(addr: SocketAddr, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .put(format!("http://{addr}/callback"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// PUTs the push `body`; the status.
pub(crate) async fn put_json(addr: SocketAddr, body: &Value) -> u16 {
    put(addr, body.to_string()).await.0
}

#[tokio::test]
async fn a_message_is_handled_and_acknowledged() {
    let (addr, counts) = start(Counts::default()).await;
    assert_eq!(put_json(addr, &text("$1:x", "hello")).await, 200);
    assert_eq!(counts.messages.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_wrong_token_or_app_id_is_401_and_not_handled() {
    let (addr, counts) = start(Counts::default()).await;
    let mut wrong = text("$1:x", "hello");
    wrong["token"] = "guess".into();
    assert_eq!(put_json(addr, &wrong).await, 401);
    let mut other_app = text("$2:x", "hello");
    other_app["app_id"] = "app-2".into();
    assert_eq!(put_json(addr, &other_app).await, 401);
    assert_eq!(counts.messages.load(Ordering::SeqCst), 0);
    let mut old_server = text("$3:x", "hello");
    old_server.as_object_mut().unwrap().remove("app_id");
    assert_eq!(
        put_json(addr, &old_server).await,
        200,
        "older servers send no app_id"
    );
}

#[tokio::test]
async fn malformed_json_is_400_with_a_message_and_oversize_is_413() {
    let (addr, _) = start(Counts::default()).await;
    let (status, body) = put(addr, "{\"token\": ").await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed callback"),
        "{body}"
    );
    let (status, _) = put(addr, text("$1:x", &"长".repeat(40_000)).to_string()).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn no_input_makes_it_fall_over() {
    let (addr, counts) = start(Counts::default()).await;
    // Every malformed body is 400 with a message; a well-formed event of a shape no handler knows is
    // still handled (by the fallback) and acknowledged.
    let inputs: Vec<(Vec<u8>, u16)> = vec![
        (vec![], 400),
        (b"null".to_vec(), 400),
        (b"[]".to_vec(), 400),
        (b"{}".to_vec(), 400),
        (vec![0xff, 0xfe, 0x00], 400),
        (br#"{"token": "callback-token-for-tests", "event": {}}"#.to_vec(), 400),
        (br#"{"token": "callback-token-for-tests", "event": {"type": 3}}"#.to_vec(), 400),
        (br#"{"token": 1, "event": {"type": "x"}}"#.to_vec(), 400),
        (
            br#"{"token": "callback-token-for-tests", "event": {"event_id": "$odd:x", "type": "m.room.message", "content": [1]}}"#
                .to_vec(),
            200,
        ),
    ];
    for (input, expected) in inputs {
        let (status, body) = put(addr, input.clone()).await;
        assert_eq!(status, expected, "{}", String::from_utf8_lossy(&input));
        if expected == 400 {
            assert!(
                body["error"]
                    .as_str()
                    .is_some_and(|e| e.starts_with("malformed callback")),
                "{body}"
            );
        }
    }
    assert_eq!(
        counts.others.load(Ordering::SeqCst),
        1,
        "the odd message went to the fallback"
    );
    assert_eq!(put_json(addr, &text("$ok:x", "still up")).await, 200);
}

#[tokio::test]
async fn an_unknown_event_type_goes_to_the_fallback_handler() {
    let (addr, counts) = start(Counts::default()).await;
    assert_eq!(
        put_json(
            addr,
            &callback("$1:x", "finstore.new.thing", json!({"a": 1}))
        )
        .await,
        200
    );
    assert_eq!(counts.others.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_submission_is_read_as_its_form() {
    let (addr, counts) = start(Counts::default()).await;
    let submission = callback(
        "$1:x",
        "finstore.room.interactcui",
        json!({"action": "submit", "info": {"amount": "1200"}}),
    );
    assert_eq!(put_json(addr, &submission).await, 200);
    assert_eq!(counts.forms.load(Ordering::SeqCst), 1);
    let other_form = callback(
        "$2:x",
        "finstore.room.interactcui",
        json!({"action": "submit", "info": {"note": "x"}}),
    );
    assert_eq!(put_json(addr, &other_form).await, 200);
    assert_eq!(
        counts.others.load(Ordering::SeqCst),
        1,
        "a submission no form reads goes to the fallback"
    );
}

#[tokio::test]
async fn a_duplicate_delivery_is_acknowledged_and_handled_once() {
    let (addr, counts) = start(Counts::default()).await;
    for _ in 0..3 {
        assert_eq!(put_json(addr, &text("$same:x", "hello")).await, 200);
    }
    assert_eq!(counts.messages.load(Ordering::SeqCst), 1);
}

/// Events without a usable `event_id` cannot be told apart: each is handled, none is taken for a
/// redelivery of another under a shared empty key.
#[tokio::test]
async fn events_without_an_event_id_are_each_handled() {
    let (addr, counts) = start(Counts::default()).await;
    let mut missing = text("", "first");
    missing["event"].as_object_mut().unwrap().remove("event_id");
    let mut not_a_string = text("", "second");
    not_a_string["event"]["event_id"] = json!(42);
    let empty = text("", "third");
    for event in [&missing, &not_a_string, &empty, &missing] {
        assert_eq!(put_json(addr, event).await, 200);
    }
    assert_eq!(counts.messages.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_failed_handler_is_5xx_and_the_redelivery_is_handled_once() {
    let counts = Counts::default();
    counts.fail_first.store(1, Ordering::SeqCst);
    let (addr, counts) = start(counts).await;
    assert_eq!(put_json(addr, &text("$1:x", "hello")).await, 500);
    assert_eq!(counts.messages.load(Ordering::SeqCst), 0);
    assert_eq!(
        put_json(addr, &text("$1:x", "hello")).await,
        200,
        "the redelivery"
    );
    assert_eq!(
        put_json(addr, &text("$1:x", "hello")).await,
        200,
        "a late duplicate"
    );
    assert_eq!(counts.messages.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_panicking_or_late_handler_is_5xx_not_acknowledged() {
    let (addr, _) = start(Counts::default()).await;
    assert_eq!(put_json(addr, &text("$p:x", "panic")).await, 500);
    let started = Instant::now();
    assert_eq!(put_json(addr, &text("$s:x", "slow")).await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered at the deadline"
    );
    assert_eq!(put_json(addr, &text("$ok:x", "fine")).await, 200);
}

#[tokio::test]
async fn a_redelivery_while_the_first_is_in_flight_is_not_acknowledged() {
    let (addr, _) = start(Counts::default()).await;
    let first = tokio::spawn(async move { put_json(addr, &text("$dup:x", "slow")).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(put_json(addr, &text("$dup:x", "slow")).await, 503);
    assert_eq!(first.await.unwrap(), 503);
}

async fn search(addr: SocketAddr, text: &str) -> Value {
    let body = json!({"app_id": "app-1", "token": TOKEN, "event": {
        "content": {"search_text": text, "page_no": 0, "page_size": 10},
        "event_id": "$s:x", "timestamp": 1, "sender": "@a:x", "type": "finstore.shortcut.search"}});
    reqwest::Client::new()
        .post(format!("http://{addr}/search"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_search_is_answered_and_a_late_one_gets_no_results_in_time() {
    let (addr, _) = start(Counts::default()).await;
    let answer = search(addr, "保险").await;
    assert_eq!(answer["content"]["list"][0]["description"], "找到 保险");
    assert_eq!(answer["layout"], "list");
    let started = Instant::now();
    let late = search(addr, "slow").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        late,
        json!({"layout": "list", "content": {"total": 0, "list": [], "opentype": "inapp"}})
    );
}

#[tokio::test]
async fn the_router_mounts_in_an_apps_own_server() {
    let receiver = Receiver::new(dispatcher(Counts::default()), TOKEN)
        .unwrap()
        .events_path("/finchat/events");
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .merge(receiver.router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let status = reqwest::Client::new()
        .put(format!("http://{addr}/finchat/events"))
        .json(&text("$1:x", "hi"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

/// A bounded load on loopback: 2,000 pushes (a tenth of them redeliveries) from 16 connections; every
/// event is handled exactly once and every push answered 200. It stops by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_load_every_event_is_handled_exactly_once() {
    let (addr, counts) = start(Counts::default()).await;
    const PUSHES: usize = 2000;
    const WORKERS: usize = 16;
    let http = reqwest::Client::new();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..WORKERS {
        let http = http.clone();
        workers.spawn(async move {
            let mut statuses = Vec::new();
            for i in (worker..PUSHES).step_by(WORKERS) {
                // Every tenth push repeats the event before it.
                let id = if i % 10 == 9 { i - 1 } else { i };
                let body = text(&format!("${id}:load"), "hello");
                let response = http
                    .put(format!("http://{addr}/callback"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        });
    }
    let mut answered = 0;
    while let Some(statuses) = workers.join_next().await {
        let statuses = statuses.unwrap();
        // A redelivery may meet its first delivery still in flight: 503, delivered again later.
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 503),
            "{statuses:?}"
        );
        answered += statuses.len();
    }
    assert_eq!(answered, PUSHES);
    let distinct = (0..PUSHES).filter(|i| i % 10 != 9).count();
    assert_eq!(counts.messages.load(Ordering::SeqCst), distinct);
}
