//! `RedisTokenStore`: N instances of one app share one token, fetched once, and replace a refused
//! one once between them; with Redis down, calls fail rather than each fetch a token.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use finchat_client::Client;
use finchat_client::redis::{RedisConnection, RedisTokenStore};
use finchat_client::token::TokenStore;
use finchat_test_support::redis::RedisServer;
use serde_json::json;

use crate::server::{Reply, TestServer};

/// An instance of the app: a client whose token is in Redis under the test's prefix.
fn instance(server: &TestServer, redis: &RedisServer) -> Client {
    let connection = RedisConnection::open(redis.url())
        .unwrap()
        .prefix(redis.prefix());
    server
        .client()
        .token_store(Arc::new(RedisTokenStore::new(connection)))
        .build()
        .unwrap()
}

/// Each instance runs `calls` concurrent authenticated calls (a media download).
async fn fan_out(instances: &[Client], calls: usize) {
    let mut tasks = Vec::new();
    for client in instances {
        for _ in 0..calls {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                client
                    .media()
                    .download(&"mxc://example.org/abc".parse().unwrap())
                    .await
            }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

/// Hands out tokens slowly (so that the instances ask at once), and refuses `tok-1` once told to.
async fn finchat(refuse_first: Arc<AtomicBool>) -> TestServer {
    TestServer::start(move |request, earlier| {
        if request.is_token() {
            let n = earlier.iter().filter(|r| r.is_token()).count() + 1;
            Reply::token(n, 3600).after(Duration::from_millis(200))
        } else if refuse_first.load(Ordering::SeqCst)
            && request.header("authorization") == Some("Bearer tok-1")
        {
            Reply::json(
                401,
                json!({"errcode": "FC_INVALID_ACCESS_TOKEN", "error": "access_token错误"}),
            )
        } else {
            Reply::bytes("image/png", b"png")
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_token_store_n_instances_fetch_one_token() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let refuse = Arc::new(AtomicBool::new(false));
    let server = finchat(Arc::clone(&refuse)).await;
    let instances: Vec<Client> = (0..3).map(|_| instance(&server, &redis)).collect();
    fan_out(&instances, 10).await;
    assert_eq!(server.token_requests(), 1, "one token for three instances");
    assert_eq!(server.calls().len(), 30);
    assert!(
        server
            .calls()
            .iter()
            .all(|c| c.header("authorization") == Some("Bearer tok-1"))
    );

    // The server refuses tok-1: the three replace it with one new fetch between them.
    refuse.store(true, Ordering::SeqCst);
    fan_out(&instances, 10).await;
    assert_eq!(
        server.token_requests(),
        2,
        "a refused token is replaced once for everybody"
    );
    let last = server.calls();
    assert_eq!(
        last.last().and_then(|c| c.header("authorization")),
        Some("Bearer tok-2")
    );
}

#[tokio::test]
async fn redis_token_store_down_fails_the_call_without_fetching() {
    let Some(mut redis) = RedisServer::start_local() else {
        return;
    };
    let server = finchat(Arc::new(AtomicBool::new(false))).await;
    let connection = RedisConnection::open(redis.url())
        .unwrap()
        .prefix(redis.prefix())
        .deadline(Duration::from_millis(300));
    let client = server
        .client()
        .token_store(Arc::new(RedisTokenStore::new(connection)))
        .build()
        .unwrap();
    redis.kill();
    let error = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("token store"), "{error}");
    assert_eq!(server.token_requests(), 0, "no token fetched blindly");
    assert!(server.calls().is_empty());
}

#[tokio::test]
async fn redis_token_store_lease_of_an_instance_that_died_lapses_and_another_fetches() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let server = finchat(Arc::new(AtomicBool::new(false))).await;
    // An instance took the fetch lease and died before it saved a token or gave the lease back.
    let lease = Duration::from_millis(500);
    let dead = RedisTokenStore::new(
        RedisConnection::open(redis.url())
            .unwrap()
            .prefix(redis.prefix()),
    )
    .lease(lease);
    assert!(
        dead.try_lease().await.expect("Redis is up"),
        "the lease was free"
    );
    drop(dead);

    let started = std::time::Instant::now();
    fan_out(&[instance(&server, &redis)], 3).await;
    let waited = started.elapsed();
    assert!(
        waited >= lease,
        "waited for the dead one's token first: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "then took the lease: {waited:?}"
    );
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.calls().len(), 3);
}
