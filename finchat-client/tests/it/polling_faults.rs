//! The polling consumer against faults (issue 12, items 9 to 11): a poison event, a handler that
//! always fails, panics or hangs; later events must still be handled, the cursor must be what the API
//! returned, and shutdown must come promptly.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::polling::{
    CursorStore, DeadEvent, DeadLetter, FileCursor, MemoryCursor, PollError, PollingConsumer,
};
use finchat_client::token::StoreFuture;
use finchat_client::{Dispatcher, HandlerError};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};

fn event(n: usize) -> Value {
    json!({"app_id": "app-1", "event_id": format!("$e{n:03}:example.org"), "type": "m.room.message",
        "timestamp": 1_700_000_000_000_i64 + n as i64, "sender": "@alice:example.org", "room_id": "!r:example.org",
        "room_type": "direct_room", "content": {"msgtype": "m.text", "body": format!("message {n}")}})
}

/// An event that never parses: its `type` is not a string.
fn poison(n: usize) -> Value {
    json!({"event_id": format!("$e{n:03}:example.org"), "type": 42, "content": {"body": "poison"}})
}

/// A forwarder over `events` whose positions are opaque: `since` is `pos-<index of the next event>`,
/// never an event id, so the consumer must keep what the API says.
fn forwarder(
    events: Vec<Value>,
) -> impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static {
    move |request, _| {
        let query = request.query.clone().unwrap_or_default();
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        let page_size: usize = param("page_size")
            .and_then(|p| p.parse().ok())
            .unwrap_or(20);
        let start: usize = param("since")
            .and_then(|s| s.strip_prefix("pos-").and_then(|n| n.parse().ok()))
            .unwrap_or(0);
        let page: Vec<Value> = events.iter().skip(start).take(page_size).cloned().collect();
        let since = format!("pos-{}", start + page.len());
        Reply::ok(json!({"events": page, "since": since}))
    }
}

/// The bodies handled, in order, and a signal on each.
#[derive(Default)]
struct Handled {
    bodies: Mutex<Vec<String>>,
    changed: tokio::sync::Notify,
}

impl Handled {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.bodies.lock().unwrap()
    }

    /// Completes once `body` is handled.
    async fn wait_for(&self, body: &str) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.lock().iter().any(|b| b == body) {
                return;
            }
            changed.await;
        }
    }
}

type Seen = Arc<Handled>;

/// Records each handled body; a body of `fail` errs, `panic` panics, `hang` never ends.
fn dispatcher(seen: Seen) -> Dispatcher<Seen> {
    Dispatcher::new(seen).on_message(|seen, _event, message| async move {
        let body = message.body().unwrap_or_default().to_owned();
        match body.as_str() {
            "fail" => return Err(HandlerError::msg("the database is down")),
            "panic" => panic!("the handler panicked"),
            "hang" => std::future::pending::<()>().await,
            _ => {}
        }
        seen.lock().push(body);
        seen.changed.notify_waiters();
        Ok(())
    })
}

fn with_body(n: usize, body: &str) -> Value {
    let mut event = event(n);
    event["content"]["body"] = body.into();
    event
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("finchat-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A consumer of `server` into [`dispatcher`]`(seen)`, its cursor in `since.txt` of a fresh directory
/// for `test`; the directory and the cursor file.
fn file_consumer(
    server: &TestServer,
    seen: &Seen,
    test: &str,
) -> (
    PollingConsumer<Seen>,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let dir = temp_dir(test);
    let since_file = dir.join("since.txt");
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(seen)),
        FileCursor::new(&since_file),
    );
    (consumer, dir, since_file)
}

/// The bodies handled after ten polls of `events` (a memory cursor, the default five attempts).
async fn handled_after_ten_polls(events: Vec<Value>) -> Vec<String> {
    let server = TestServer::with_tokens(forwarder(events)).await;
    let seen: Seen = Arc::default();
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen)),
        MemoryCursor::default(),
    );
    for _ in 0..10 {
        consumer.poll_once().await.unwrap();
    }
    seen.lock().clone()
}

#[tokio::test]
async fn a_poison_event_does_not_stop_the_consumer_for_good() {
    let handled = handled_after_ten_polls(vec![event(0), poison(1), event(2)]).await;
    assert_eq!(handled, ["message 0", "message 2"]);
}

#[tokio::test]
async fn a_panicking_handler_is_a_failed_attempt_not_a_crash() {
    let handled = handled_after_ten_polls(vec![with_body(0, "panic"), event(1)]).await;
    assert_eq!(handled, ["message 1"]);
}

#[tokio::test]
async fn run_until_returns_promptly_during_a_stuck_handler() {
    let server = TestServer::with_tokens(forwarder(vec![event(0), with_body(1, "hang")])).await;
    let seen: Seen = Arc::default();
    let (consumer, dir, since_file) = file_consumer(&server, &seen, "polling-stuck-handler");
    let consumer = consumer.shutdown_grace(Duration::from_millis(100));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(consumer.run_until(async move {
        stopped.await.ok();
    }));
    // Once `message 0` is handled, the next handler is stuck.
    seen.wait_for("message 0").await;
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("run_until returned")
        .unwrap()
        .unwrap();
    assert_eq!(*seen.lock(), ["message 0"]);
    assert!(!since_file.exists(), "no cursor saved past the stuck event");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn run_until_returns_promptly_during_a_stuck_poll() {
    let (arrived, arrival) = tokio::sync::oneshot::channel::<()>();
    let arrived = Mutex::new(Some(arrived));
    let server = TestServer::with_tokens(move |_, _| {
        if let Some(arrived) = arrived.lock().unwrap().take() {
            arrived.send(()).ok();
        }
        Reply::ok(json!({"events": [], "since": "pos-1"})).after(Duration::from_secs(600))
    })
    .await;
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Seen::default()),
        MemoryCursor::default(),
    );
    let running = tokio::spawn(consumer.run_until(async move {
        arrival.await.ok();
    }));
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("run_until returned")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_failing_panicking_and_hanging_events_go_to_the_dead_letter_and_later_ones_are_handled()
 {
    let events = vec![
        event(0),
        poison(1),
        with_body(2, "fail"),
        with_body(3, "panic"),
        with_body(4, "hang"),
        event(5),
    ];
    let server = TestServer::with_tokens(forwarder(events.clone())).await;
    let dir = temp_dir("polling-dead-letter");
    let since_file = dir.join("since.txt");
    let seen: Seen = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let reported = Arc::clone(&failures);
    let cursor = Arc::new(SignallingCursor {
        file: FileCursor::new(&since_file),
        saved: tokio::sync::Notify::new(),
    });
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen)),
        Arc::clone(&cursor),
    )
    .max_attempts(2)
    .handler_deadline(Duration::from_millis(200))
    .max_backoff(Duration::from_millis(10))
    .idle_interval(Duration::from_millis(10))
    .on_failure(move |failure| reported.lock().unwrap().push(failure.to_string()));
    // The last event's page saved: all passed.
    let shutdown = async move { cursor.saved.notified().await };
    tokio::time::timeout(Duration::from_secs(20), consumer.run_until(shutdown))
        .await
        .expect("every event passed")
        .unwrap();
    assert_eq!(*seen.lock(), ["message 0", "message 5"]);

    let dead_letter = std::fs::read_to_string(dir.join("since.txt.dead-letter.jsonl")).unwrap();
    let dead: Vec<Value> = dead_letter
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let summary: Vec<(Value, Value)> = dead
        .iter()
        .map(|d| (d["event_id"].clone(), d["attempts"].clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (json!("$e001:example.org"), json!(0)),
            (json!("$e002:example.org"), json!(2)),
            (json!("$e003:example.org"), json!(2)),
            (json!("$e004:example.org"), json!(2)),
        ]
    );
    for (dead, n) in dead.iter().zip(1..) {
        assert_eq!(dead["event"], events[n], "the raw event is kept");
        assert!(dead["time"].as_str().unwrap().ends_with('Z'), "{dead}");
    }
    let errors: Vec<&str> = dead
        .iter()
        .map(|d| d["last_error"].as_str().unwrap())
        .collect();
    assert!(errors[0].contains("cannot be read"), "{errors:?}");
    assert!(errors[1].contains("the database is down"), "{errors:?}");
    assert!(
        errors[2].contains("panicked: the handler panicked"),
        "{errors:?}"
    );
    assert!(errors[3].contains("deadline"), "{errors:?}");

    assert_eq!(std::fs::read_to_string(&since_file).unwrap(), "pos-6");
    // Each first attempt was reported; the second went to the dead letter.
    let failures = failures.lock().unwrap().clone();
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(
        failures[0].starts_with("event `$e002:example.org`: attempt 1 of 2 failed"),
        "{failures:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A file cursor that says when it saved.
struct SignallingCursor {
    file: FileCursor,
    saved: tokio::sync::Notify,
}

impl CursorStore for SignallingCursor {
    fn load(&self) -> StoreFuture<'_, std::io::Result<Option<String>>> {
        self.file.load()
    }

    fn save(&self, since: &str) -> StoreFuture<'_, std::io::Result<()>> {
        let saving = self.file.save(since);
        Box::pin(async move {
            saving.await?;
            self.saved.notify_one();
            Ok(())
        })
    }

    fn default_dead_letter(&self) -> Arc<dyn DeadLetter> {
        self.file.default_dead_letter()
    }
}

/// A dead letter that refuses until told otherwise.
#[derive(Clone, Default)]
struct FlakyDeadLetter {
    works: Arc<std::sync::atomic::AtomicBool>,
    kept: Arc<Mutex<Vec<DeadEvent>>>,
}

impl DeadLetter for FlakyDeadLetter {
    fn keep<'a>(&'a self, event: &'a DeadEvent) -> StoreFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            if !self.works.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(std::io::Error::other("the disk is full"));
            }
            self.kept.lock().unwrap().push(event.clone());
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_failing_dead_letter_keeps_the_consumer_before_the_event() {
    let server = TestServer::with_tokens(forwarder(vec![poison(0), event(1)])).await;
    let seen: Seen = Arc::default();
    let dead_letter = FlakyDeadLetter::default();
    let cursor = Arc::new(MemoryCursor::default());
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Arc::clone(&seen)),
        Arc::clone(&cursor),
    )
    .dead_letter(dead_letter.clone());
    for _ in 0..3 {
        let error = consumer
            .poll_once()
            .await
            .expect_err("the dead letter fails");
        assert!(
            matches!(&error, PollError::DeadLetter { event_id, .. } if event_id == "$e000:example.org"),
            "{error:?}"
        );
        assert!(
            chain(&error).contains("the disk is full"),
            "{}",
            chain(&error)
        );
    }
    assert!(seen.lock().is_empty(), "nothing after it handled");
    assert_eq!(
        cursor.load().await.unwrap(),
        None,
        "the cursor did not move"
    );
    dead_letter
        .works
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let poll = consumer.poll_once().await.unwrap();
    assert_eq!((poll.dead_lettered, poll.handled), (1, 1));
    assert_eq!(dead_letter.kept.lock().unwrap()[0].raw, poison(0));
    assert_eq!(cursor.load().await.unwrap().as_deref(), Some("pos-2"));
}

#[tokio::test]
async fn the_cursor_saved_is_the_since_the_api_returned() {
    let server = TestServer::with_tokens(forwarder((0..3).map(event).collect())).await;
    let seen: Seen = Arc::default();
    let (consumer, dir, since_file) = file_consumer(&server, &seen, "polling-since");
    consumer.poll_once().await.unwrap();
    assert_eq!(std::fs::read_to_string(&since_file).unwrap(), "pos-3");
    consumer.poll_once().await.unwrap();
    assert!(
        server.calls()[1]
            .query
            .as_deref()
            .unwrap()
            .contains("since=pos-3"),
        "{:?}",
        server.calls()[1].query
    );
    assert_eq!(seen.lock().len(), 3);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn an_empty_since_is_never_saved() {
    let server =
        TestServer::with_tokens(|_, _| Reply::ok(json!({"events": [], "since": ""}))).await;
    let dir = temp_dir("polling-empty-since");
    let since_file = dir.join("since.txt");
    std::fs::write(&since_file, "pos-7").unwrap();
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Seen::default()),
        FileCursor::new(&since_file),
    );
    consumer.poll_once().await.unwrap();
    assert_eq!(std::fs::read_to_string(&since_file).unwrap(), "pos-7");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_cursor_file_that_is_not_one_is_refused_naming_its_path() {
    let server = TestServer::with_tokens(forwarder(vec![event(0)])).await;
    let dir = temp_dir("polling-bad-cursor");
    let too_long = "x".repeat(10_000);
    for (name, content) in [
        ("empty", &b""[..]),
        ("blank", b"  \n\t "),
        ("binary", b"\x00\xff\xfe"),
        ("lines", b"pos-1\npos-2\n"),
        ("long", too_long.as_bytes()),
    ] {
        let since_file = dir.join(name);
        std::fs::write(&since_file, content).unwrap();
        let consumer = PollingConsumer::new(
            server.client().build().unwrap(),
            dispatcher(Seen::default()),
            FileCursor::new(&since_file),
        );
        let error = consumer.poll_once().await.expect_err(name);
        let chain = chain(&error);
        assert!(
            chain.contains(&since_file.display().to_string()),
            "{name}: {chain}"
        );
        assert_eq!(
            std::fs::read(&since_file).unwrap(),
            content,
            "{name}: left as it was"
        );
    }
    // One that cannot be read says why, with the operating system's error as the cause.
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        dispatcher(Seen::default()),
        FileCursor::new(&dir),
    );
    let error = consumer.poll_once().await.expect_err("a directory");
    let io_error = std::error::Error::source(&error).expect("a cause");
    assert!(
        io_error.downcast_ref::<std::io::Error>().is_some(),
        "{io_error:?}"
    );
    assert!(
        chain(&error).contains(&dir.display().to_string()),
        "{}",
        chain(&error)
    );
    assert!(server.calls().is_empty(), "nothing polled");
    std::fs::remove_dir_all(&dir).ok();
}

/// `error` and its causes, `: `-separated.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_cursor_saves_from_two_writers_never_collide() {
    let dir = temp_dir("polling-two-writers");
    let since_file = dir.join("since.txt");
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let cursor = FileCursor::new(&since_file);
            tokio::spawn(async move {
                for n in 0..200 {
                    cursor.save(&format!("pos-{writer}-{n}")).await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let saved = std::fs::read_to_string(&since_file).unwrap();
    assert!(saved.ends_with("-199"), "{saved}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["since.txt"], "no temporary file left");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_page_handles_only_the_events_not_yet_passed() {
    let mut events: Vec<Value> = (0..5).map(event).collect();
    events[3] = with_body(3, "fail");
    let server = TestServer::with_tokens(forwarder(events)).await;
    // The first run handles three events, then one fails: the page is not done, no cursor moves.
    let first: Seen = Arc::default();
    let (consumer, dir, since_file) = file_consumer(&server, &first, "polling-restart-mid-page");
    let poll = consumer.poll_once().await.unwrap();
    assert!(poll.failure.is_some());
    assert_eq!(*first.lock(), ["message 0", "message 1", "message 2"]);
    assert!(!since_file.exists());
    drop(consumer);

    // A new process: the same page comes again, and only what was not passed is handled.
    let second: Seen = Arc::default();
    let recording =
        Dispatcher::new(Arc::clone(&second)).on_message(|seen, _event, message| async move {
            seen.lock()
                .push(message.body().unwrap_or_default().to_owned());
            Ok(())
        });
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        recording,
        FileCursor::new(&since_file),
    );
    let poll = consumer.poll_once().await.unwrap();
    assert!(poll.failure.is_none());
    assert_eq!(*second.lock(), ["fail", "message 4"]);
    assert_eq!(std::fs::read_to_string(&since_file).unwrap(), "pos-5");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_blocks_past_its_deadline_and_then_succeeds_is_not_run_again() {
    let server = TestServer::with_tokens(forwarder(vec![event(0)])).await;
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted =
        Dispatcher::new(Arc::clone(&runs)).on_message(|runs, _event, _message| async move {
            // A blocking call the abort cannot interrupt, which then commits.
            std::thread::sleep(Duration::from_millis(150));
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        });
    let consumer = PollingConsumer::new(
        server.client().build().unwrap(),
        counted,
        MemoryCursor::default(),
    )
    .handler_deadline(Duration::from_millis(50));
    let poll = consumer.poll_once().await.unwrap();
    assert!(poll.failure.is_none(), "{:?}", poll.failure);
    assert_eq!(poll.handled, 1);
    consumer.poll_once().await.unwrap();
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
}
