//! Fan-out of one card to 2,000 rooms against an in-process server: the client's `send` (validation,
//! token, batching, per-target report) against the same POSTs made with bare reqwest, same batches and
//! same concurrency, in the same run.
//!
//! Run: `cargo bench -p finchat-client --bench fanout`

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use criterion::{Criterion, criterion_group, criterion_main};
use finchat_client::Client;
use finchat_cui::{CuiContent, RoomId, cui};
use serde_json::{Value, json};
use tokio::task::JoinSet;

const ROOMS: usize = 2000;
const BATCH: usize = 100;
const CONCURRENCY: usize = 8;

#[derive(Default)]
struct Counts {
    tokens: AtomicUsize,
    sends: AtomicUsize,
}

async fn token(State(counts): State<Arc<Counts>>) -> axum::Json<Value> {
    let n = counts.tokens.fetch_add(1, Ordering::SeqCst) + 1;
    axum::Json(
        json!({"app_access_token": format!("tok-{n}"), "expires_in": 3600, "token_type": "Bearer"}),
    )
}

async fn send(State(counts): State<Arc<Counts>>, body: axum::Json<Value>) -> axum::Json<Value> {
    counts.sends.fetch_add(1, Ordering::SeqCst);
    let results: Vec<Value> = body["room_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, room)| json!({"room_id": room, "errcode": "", "error": "", "event_id": format!("$e{i}:example.org")}))
        .collect();
    axum::Json(json!({"room_id_result": results}))
}

async fn start_server(counts: Arc<Counts>) -> SocketAddr {
    let app = Router::new()
        .route("/api/v1/finchat/open-api/auth/token", post(token))
        .route("/api/v1/finchat/open-api/message/send", post(send))
        .with_state(counts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    addr
}

fn card() -> CuiContent {
    cui! {
        <form>
            <text>"系统维护通知"</text>
            <text>"今晚 22:00–23:00 暂停服务"</text>
            <reply key="ack">"知道了"</reply>
        </form>
    }
}

fn rooms() -> Vec<RoomId> {
    (0..ROOMS)
        .map(|i| format!("!room{i}:example.org").parse().unwrap())
        .collect()
}

fn client(addr: SocketAddr) -> Client {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .app_id("app-1")
        .secret("secret")
        .batch_size(BATCH)
        .concurrency(CONCURRENCY)
        .build()
        .unwrap()
}

/// The same requests by hand: a new HTTP client (as each `client_send` run makes one), one token, then
/// the batches as raw JSON POSTs, `CONCURRENCY` at once.
async fn bare_reqwest(addr: SocketAddr, rooms: &[RoomId], content: &Value) {
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("http://{addr}/api/v1/finchat/open-api/auth/token"))
        .json(&json!({"app_id": "app-1", "secret": "secret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token["app_access_token"].as_str().unwrap());
    let mut batches = rooms.chunks(BATCH);
    let mut running = JoinSet::new();
    loop {
        while running.len() < CONCURRENCY {
            let Some(batch) = batches.next() else { break };
            let request = http
                .post(format!(
                    "http://{addr}/api/v1/finchat/open-api/message/send"
                ))
                .header("authorization", &bearer)
                .json(&json!({"app_id": "app-1", "room_ids": batch, "content": content}));
            running
                .spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() });
        }
        if running.join_next().await.is_none() {
            break;
        }
    }
}

fn fan_out(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let counts = Arc::new(Counts::default());
    let addr = runtime.block_on(start_server(Arc::clone(&counts)));
    let rooms = rooms();
    let content = serde_json::to_value(card()).unwrap();

    // The claim: one fan-out with a new client makes exactly one token request.
    let report = runtime
        .block_on(
            client(addr)
                .messages()
                .send(card())
                .rooms(rooms.clone())
                .send(),
        )
        .unwrap();
    assert!(report.all_delivered());
    assert_eq!(report.results.len(), ROOMS);
    assert_eq!(
        counts.tokens.load(Ordering::SeqCst),
        1,
        "exactly one token request"
    );
    assert_eq!(counts.sends.load(Ordering::SeqCst), ROOMS / BATCH);
    println!(
        "fan-out to {ROOMS} rooms: {} token request, {} send requests",
        1,
        ROOMS / BATCH
    );

    let mut group = c.benchmark_group("fan_out_2000_rooms");
    group.sample_size(20);
    group.bench_function("bare_reqwest", |b| {
        b.iter(|| runtime.block_on(bare_reqwest(addr, &rooms, &content)))
    });
    group.bench_function("client_send", |b| {
        // A new client each time, so each fan-out fetches its token as the bare version does.
        b.iter(|| {
            let report = runtime
                .block_on(
                    client(addr)
                        .messages()
                        .send(card())
                        .rooms(rooms.clone())
                        .send(),
                )
                .unwrap();
            assert!(report.all_delivered());
        })
    });
    group.finish();
}

criterion_group!(benches, fan_out);
criterion_main!(benches);
