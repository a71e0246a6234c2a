//! `RedisDedupe` behind two receivers (two instances of the app): an event pushed to both is handled
//! once, and with Redis down a push is refused (503, delivered again) rather than handled blindly,
//! then handled once Redis is back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use finchat_client::redis::{RedisConnection, RedisDedupe};
use finchat_client::{Dispatcher, Receiver};
use finchat_test_support::redis::RedisServer;
use tokio::io::AsyncWriteExt;

use crate::receiver::{TOKEN, put_json, serve, text};

/// A receiver (one instance) whose handler counts runs into `handled`.
async fn instance(redis: &RedisServer, handled: &Arc<AtomicUsize>) -> std::net::SocketAddr {
    instance_with_deadline(redis, handled, Duration::from_millis(500)).await
}

/// The same, with `deadline` on each call to Redis.
async fn instance_with_deadline(
    redis: &RedisServer,
    handled: &Arc<AtomicUsize>,
    deadline: Duration,
) -> std::net::SocketAddr {
    let dispatcher = Dispatcher::new(Arc::clone(handled)).on_message(|handled, _, _| async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let connection = RedisConnection::open(redis.url())
        .unwrap()
        .prefix(redis.prefix())
        .deadline(deadline);
    let receiver = Receiver::new(dispatcher, TOKEN)
        .unwrap()
        .dedupe(Arc::new(RedisDedupe::new(connection)));
    serve(receiver).await
}

/// Pushes `push` again while it is answered 503, every 20 ms for at most 2 s, as FinChat redelivers
/// (time-scaled); the last status.
async fn redeliver(addr: std::net::SocketAddr, push: &serde_json::Value) -> u16 {
    let mut status = put_json(addr, push).await;
    for _ in 0..100 {
        if status != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = put_json(addr, push).await;
    }
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_dedupe_two_receivers_handle_a_pushed_event_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let handled = Arc::new(AtomicUsize::new(0));
    let (one, two) = (
        instance(&redis, &handled).await,
        instance(&redis, &handled).await,
    );
    for i in 0..10 {
        let event = text(&format!("$twice{i}:x"), "hello");
        let (a, b) = tokio::join!(put_json(one, &event), put_json(two, &event));
        let mut answers = [a, b];
        answers.sort_unstable();
        // The other answers 503 while it is in flight (or 200 once it is done).
        assert!(
            answers == [200, 503] || answers == [200, 200],
            "one handles it, the other asks for a redelivery: {answers:?}"
        );
        assert_eq!(
            put_json(two, &event).await,
            200,
            "the redelivery is acknowledged"
        );
        assert_eq!(put_json(one, &event).await, 200);
    }
    assert_eq!(
        handled.load(Ordering::SeqCst),
        10,
        "each event handled once"
    );
}

#[tokio::test]
async fn redis_dedupe_down_refuses_the_push_and_does_not_handle_it() {
    let Some(mut redis) = RedisServer::start_local() else {
        return;
    };
    let handled = Arc::new(AtomicUsize::new(0));
    let addr = instance(&redis, &handled).await;
    assert_eq!(put_json(addr, &text("$before:x", "hello")).await, 200);
    redis.kill();
    let started = std::time::Instant::now();
    assert_eq!(
        put_json(addr, &text("$during:x", "hello")).await,
        503,
        "refused: FinChat delivers it again"
    );
    assert_eq!(
        put_json(addr, &text("$before:x", "hello")).await,
        503,
        "not said done either"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    // Not lost either: once Redis is back, FinChat's redelivery of it is handled.
    redis.restart();
    assert_eq!(
        redeliver(addr, &text("$during:x", "hello")).await,
        200,
        "handled once Redis is back"
    );
    assert_eq!(handled.load(Ordering::SeqCst), 2);
}

/// A push whose connection closes while Redis has not answered yet whether the event is new: the
/// in-flight mark Redis then sets is still that delivery's, which handles the event, so FinChat's
/// redelivery is acknowledged, not refused until the mark's lease lapses (40 s).
#[tokio::test]
async fn redis_dedupe_push_whose_connection_closes_before_redis_answers_is_still_handled() {
    let Some(mut redis) = RedisServer::start_local() else {
        return;
    };
    let handled = Arc::new(AtomicUsize::new(0));
    // Well above the pause, so that the call waits for Redis rather than time out.
    let addr = instance_with_deadline(&redis, &handled, Duration::from_secs(5)).await;
    assert_eq!(put_json(addr, &text("$warm:x", "hello")).await, 200);
    // Its done mark is written after the answer.
    tokio::time::sleep(Duration::from_millis(50)).await;

    redis.pause();
    let push = text("$hangup:x", "hello");
    let body = push.to_string();
    let request = format!(
        "PUT /callback HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut connection = tokio::net::TcpStream::connect(addr).await.unwrap();
    connection.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(connection);
    // Lets the server see the close.
    tokio::time::sleep(Duration::from_millis(100)).await;
    redis.resume();

    assert_eq!(
        redeliver(addr, &push).await,
        200,
        "the redelivery is acknowledged"
    );
    assert_eq!(
        handled.load(Ordering::SeqCst),
        2,
        "handled once, by the first delivery"
    );
}
