//! Receiver throughput: card-submission callbacks pushed to the webhook receiver (typed parsing, token
//! check, de-duplication, dispatch to a `CuiForm` handler) against a bare axum handler that only
//! deserialises the same JSON, with the same load generator in the same run. Prints events/s and the
//! p50/p99 latency of each, and their ratio.
//!
//! With the `redis` feature, a third receiver de-duplicates in Redis (`RedisDedupe`, on a
//! `redis-server` the bench starts on a free port) instead of in memory, in the same rounds.
//!
//! Run: `cargo bench -p finchat-client --bench receiver` (`--features redis` for the Redis row)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::routing::put;
use finchat_client::{Dispatcher, Receiver};
use finchat_cui::{CuiChoice, CuiForm};
use serde_json::{Value, json};

const PUSHES: usize = 20_000;
const CONNECTIONS: usize = 32;
const ROUNDS: usize = 3;
const CALLBACK_TOKEN: &str = "callback-token-for-the-bench";

#[derive(CuiChoice)]
enum Decision {
    #[cui(label = "同意", value = "yes")]
    Yes,
    #[cui(label = "驳回", value = "no")]
    No,
}

#[derive(CuiForm)]
struct Approval {
    amount: u32,
    dept: String,
    decision: Decision,
}

fn push(i: usize) -> Vec<u8> {
    json!({"app_id": "app-1", "token": CALLBACK_TOKEN, "event": {
        "event_id": format!("${i}:bench"), "type": "finstore.room.interactcui", "timestamp": 1_700_000_000_000_i64,
        "room_id": "!room:example.org", "room_type": "direct_room", "sender": "@alice:example.org",
        "fcid": "@alice:example.org", "origin_event": "$card:example.org",
        "content": {"action": "submit", "info": {"amount": "1200", "dept": "fin", "decision": if i.is_multiple_of(2) { "yes" } else { "no" }}}}})
    .to_string()
    .into_bytes()
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    addr
}

/// Pushes `PUSHES` bodies over `CONNECTIONS` connections; the wall time and every latency.
async fn load(addr: SocketAddr, bodies: &[Vec<u8>], round: usize) -> (Duration, Vec<Duration>) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..CONNECTIONS {
        let http = http.clone();
        let mine: Vec<Vec<u8>> = bodies
            .iter()
            .skip(worker)
            .step_by(CONNECTIONS)
            .cloned()
            .collect();
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(mine.len());
            for body in mine {
                let sent = Instant::now();
                let status = http
                    .put(format!("http://{addr}/callback"))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 200, "round {round}");
                latencies.push(sent.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::with_capacity(bodies.len());
    while let Some(part) = workers.join_next().await {
        latencies.extend(part.unwrap());
    }
    (started.elapsed(), latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let bare = serve(Router::new().route(
            "/callback",
            put(|body: Bytes| async move {
                let parsed: Value = serde_json::from_slice(&body).unwrap();
                assert!(parsed["event"]["type"].is_string());
                "{}"
            }),
        ))
        .await;
        let dispatcher = || {
            Dispatcher::new(()).on_submission::<Approval, _, _>(|_, _, approval| async move {
                assert_eq!(approval.amount, 1200);
                let _ = (approval.dept, approval.decision);
                Ok(())
            })
        };
        let ours = serve(
            Receiver::new(dispatcher(), CALLBACK_TOKEN)
                .expect("a valid callback token")
                .app_id("app-1")
                .router(),
        )
        .await;
        #[cfg_attr(not(feature = "redis"), allow(unused_mut))]
        let mut receivers = vec![("bare_axum", bare), ("receiver", ours)];
        // With the `redis` feature and `redis-server` installed: the receiver with its dedupe in Redis.
        #[cfg(feature = "redis")]
        let redis = finchat_test_support::redis::RedisServer::start_local();
        #[cfg(feature = "redis")]
        if let Some(redis) = &redis {
            let connection = finchat_client::redis::RedisConnection::open(redis.url())
                .unwrap()
                .prefix(redis.prefix());
            let store = finchat_client::redis::RedisDedupe::new(connection);
            let router = Receiver::new(dispatcher(), CALLBACK_TOKEN)
                .expect("a valid callback token")
                .app_id("app-1")
                .dedupe(std::sync::Arc::new(store))
                .router();
            receivers.push(("receiver_redis_dedupe", serve(router).await));
        }

        let mut results: Vec<(&str, SocketAddr, Vec<f64>, Vec<Duration>)> = receivers
            .into_iter()
            .map(|(name, addr)| (name, addr, vec![], vec![]))
            .collect();
        for round in 0..ROUNDS {
            // Fresh event ids every round, so the receiver handles (and does not skip) each one.
            let bodies: Vec<Vec<u8>> = (0..PUSHES).map(|i| push(round * PUSHES + i)).collect();
            for (_, addr, rates, latencies) in &mut results {
                let addr = *addr;
                let (wall, mut measured) = load(addr, &bodies, round).await;
                rates.push(PUSHES as f64 / wall.as_secs_f64());
                latencies.append(&mut measured);
            }
        }
        let mut medians = Vec::new();
        for (name, _, rates, latencies) in &mut results {
            rates.sort_by(f64::total_cmp);
            latencies.sort();
            let median_rate = rates[rates.len() / 2];
            medians.push(median_rate);
            println!(
                "{name}: {median_rate:.0} events/s (median of {ROUNDS} rounds of {PUSHES}, {CONNECTIONS} connections), p50 {:?}, p99 {:?}",
                percentile(latencies, 0.50),
                percentile(latencies, 0.99)
            );
        }
        println!("receiver / bare axum throughput: {:.2}x", medians[1] / medians[0]);
        if let Some(redis) = medians.get(2) {
            println!("receiver with Redis dedupe / in-memory dedupe throughput: {:.2}x", redis / medians[1]);
        }
    });
}
