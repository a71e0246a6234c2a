//! What the sandbox costs a bot per API call: a card sent to a room and then updated, through the real
//! client, against the sandbox and against a bare server that answers the same JSON, in the same run.
//! The sandbox validates the content, keeps the message, records the call in its activity log and
//! answers per target; the bare server only answers.
//!
//! Run: `cargo bench -p finchat-sandbox --bench calls` (then `.ci/bench-medians`).

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::routing::{post, put};
use criterion::{Criterion, criterion_group, criterion_main};
use finchat_client::{Client, RetryPolicy};
use finchat_cui::{CuiContent, EventId, RoomId, Status, cui};
use finchat_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

fn card(status: Status) -> CuiContent {
    let mut card = cui! {
        <form body="报销申请 #42 待审批">
            <text>"报销申请 #42"</text>
            <text>"申请人：王五 · 金额 ¥1200"</text>
            <input key="amount" placeholder="核定金额（元）" value="1200"/>
            <input key="comment" placeholder="审批意见"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
        </form>
    };
    card.info.status = status;
    card
}

/// A server that answers the token, send and update-cui calls with fixed JSON.
async fn bare() -> SocketAddr {
    const OPEN: &str = "/api/v1/finchat/open-api";
    let app = Router::new()
        .route(
            &format!("{OPEN}/auth/token"),
            post(|| async {
                axum::Json(
                    json!({"app_access_token": "t", "expires_in": 7200, "token_type": "Bearer"}),
                )
            }),
        )
        .route(
            &format!("{OPEN}/message/send"),
            post(|| async {
                axum::Json(
                    json!({"room_id_result": [{"room_id": "!finance:sandbox", "errcode": "", "error": "", "event_id": "$1:sandbox"}]}),
                )
            }),
        )
        .route(
            &format!("{OPEN}/message/update-cui"),
            put(|| async {
                axum::Json(json!({"room_id_result": [{"room_id": "!finance:sandbox", "errcode": "", "error": ""}]}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    addr
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .app_id("sandbox-app")
        .secret("sandbox-secret")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// One card sent to the finance room, then closed with update-cui.
async fn send_and_update(client: &Client, room: &RoomId) {
    let report = client
        .messages()
        .send(card(Status::Input))
        .room(room.clone())
        .send()
        .await
        .unwrap();
    let origin: EventId = report.results[0].event_id().unwrap().clone();
    client
        .messages()
        .update_cui(origin, card(Status::Disable))
        .room(room.clone())
        .send()
        .await
        .unwrap();
}

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let room: RoomId = "!finance:sandbox".parse().unwrap();
    let bare_addr = runtime.block_on(bare());
    let in_bare = client(&format!("http://{bare_addr}"));
    runtime.block_on(send_and_update(&in_bare, &room));

    let mut group = c.benchmark_group("send_and_update_a_card");
    group.bench_function("bare_server", |b| {
        b.iter(|| runtime.block_on(send_and_update(&in_bare, &room)));
    });
    // A new sandbox for each sample, so that the messages and the log it keeps start empty each time.
    group.bench_function("sandbox", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let sandbox = Sandbox::serve(SandboxConfig::new(), "127.0.0.1:0")
                    .await
                    .unwrap();
                let in_sandbox = client(&sandbox.url);
                send_and_update(&in_sandbox, &room).await;
                let started = Instant::now();
                for _ in 0..iters {
                    send_and_update(&in_sandbox, &room).await;
                }
                let took = started.elapsed();
                sandbox.shutdown().await;
                took
            })
        });
    });
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
