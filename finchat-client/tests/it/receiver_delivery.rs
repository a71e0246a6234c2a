//! Handling that outlives its request: a push whose connection closes while its handler runs still has
//! the handler's outcome recorded (issue 12, item 1), and a handler over its deadline keeps its event
//! id in flight until it has really stopped (item 4).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use finchat_client::{Dispatcher, HandlerError, Receiver};
use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;

use crate::receiver::{TOKEN, put_json, serve, text};

/// Redelivers `push` the way FinChat does (time-scaled: every 20 ms, for at most 5 s) while it is
/// answered 503 "being handled"; the last status.
async fn redeliver(addr: SocketAddr, push: &serde_json::Value) -> u16 {
    let mut status = put_json(addr, push).await;
    for _ in 0..250 {
        if status != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = put_json(addr, push).await;
    }
    status
}

/// A handler whose first run waits for the test, then fails (`fail`) or succeeds (any other text).
#[derive(Default)]
struct Held {
    started: Notify,
    release: Notify,
    runs: AtomicUsize,
    handled: AtomicUsize,
}

async fn start_held() -> (SocketAddr, Arc<Held>) {
    let dispatcher = Dispatcher::new(Held::default()).on_message(|held, _, message| async move {
        if held.runs.fetch_add(1, Ordering::SeqCst) == 0 {
            held.started.notify_one();
            held.release.notified().await;
            if message.body() == Some("fail") {
                return Err(HandlerError::msg("the database is down"));
            }
        }
        held.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let held = Arc::clone(dispatcher.state());
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .handler_deadline(Duration::from_secs(10));
    (serve(receiver).await, held)
}

/// Pushes `push` over a raw connection and closes it as soon as the handler has started, before
/// any answer; then lets the handler finish.
async fn push_and_hang_up(addr: SocketAddr, push: &serde_json::Value, held: &Held) {
    let body = push.to_string();
    let request = format!(
        "PUT /callback HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut connection = tokio::net::TcpStream::connect(addr).await.unwrap();
    connection.write_all(request.as_bytes()).await.unwrap();
    held.started.notified().await;
    drop(connection);
    // Nothing tells the test when the server has seen the close; the wait only lets a server that
    // drops the request's future do so before the handler ends (the outcome must not depend on it).
    tokio::time::sleep(Duration::from_millis(200)).await;
    held.release.notify_one();
}

#[tokio::test]
async fn a_failure_after_the_connection_closed_is_handled_on_redelivery() {
    let (addr, held) = start_held().await;
    let push = text("$hangup-fail:x", "fail");
    push_and_hang_up(addr, &push, &held).await;
    assert_eq!(redeliver(addr, &push).await, 200, "the redelivery");
    assert_eq!(held.runs.load(Ordering::SeqCst), 2, "handled again");
    assert_eq!(held.handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_success_after_the_connection_closed_is_acknowledged_on_redelivery() {
    let (addr, held) = start_held().await;
    let push = text("$hangup-ok:x", "ok");
    push_and_hang_up(addr, &push, &held).await;
    assert_eq!(redeliver(addr, &push).await, 200, "the redelivery");
    assert_eq!(held.runs.load(Ordering::SeqCst), 1, "not handled twice");
    assert_eq!(held.handled.load(Ordering::SeqCst), 1);
}

/// A handler that overruns its deadline in a blocking call, where it cannot be cancelled.
struct Stuck {
    running: AtomicUsize,
    most_at_once: AtomicUsize,
    handled: AtomicUsize,
    /// The first run blocks until this closes.
    release: Mutex<mpsc::Receiver<()>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_handler_over_its_deadline_is_never_run_twice_at_once() {
    let (release, released) = mpsc::channel::<()>();
    let stuck = Stuck {
        running: AtomicUsize::new(0),
        most_at_once: AtomicUsize::new(0),
        handled: AtomicUsize::new(0),
        release: Mutex::new(released),
    };
    let dispatcher = Dispatcher::new(stuck).on_message(|stuck, _, _| async move {
        let running = stuck.running.fetch_add(1, Ordering::SeqCst) + 1;
        stuck.most_at_once.fetch_max(running, Ordering::SeqCst);
        if running == 1 {
            tokio::task::block_in_place(|| stuck.release.lock().unwrap().recv().ok());
        }
        stuck.handled.fetch_add(1, Ordering::SeqCst);
        stuck.running.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    });
    let stuck = Arc::clone(dispatcher.state());
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .handler_deadline(Duration::from_millis(300));
    let addr = serve(receiver).await;
    let push = text("$stuck:x", "hello");
    assert_eq!(put_json(addr, &push).await, 503, "over its deadline");
    assert_eq!(
        put_json(addr, &push).await,
        503,
        "the first run has not stopped: the redelivery waits"
    );
    drop(release);
    assert_eq!(redeliver(addr, &push).await, 200);
    assert_eq!(stuck.most_at_once.load(Ordering::SeqCst), 1);
    assert_eq!(
        stuck.handled.load(Ordering::SeqCst),
        1,
        "its late success counts"
    );
}
