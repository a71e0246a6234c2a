//! The registry's overhead: a `patch` of one element of a 30-element card (read the card, change
//! it, validate it, compare-and-set it, update-cui, check it is current) against a bare update-cui
//! of the full content built by hand, same server, same run. With the `sqlite` feature, the same
//! patch on a SQLite file too.
//!
//! Run: `cargo bench -p finchat-client --bench cards --features sqlite`

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{post, put};
use criterion::{Criterion, criterion_group, criterion_main};
use finchat_client::Client;
use finchat_client::cards::{CardId, CardRegistry, MemoryCardStore};
use finchat_cui::element::TextInput;
use finchat_cui::{Card, CuiContent, EventId, RoomId};
use serde_json::{Value, json};

async fn token() -> axum::Json<Value> {
    axum::Json(json!({"app_access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}))
}

/// Answers a send or an update-cui: one event id per room.
async fn answer(body: axum::Json<Value>) -> axum::Json<Value> {
    let results: Vec<Value> = body["room_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|room| json!({"room_id": room, "errcode": "", "error": "", "event_id": "$card:example.org"}))
        .collect();
    axum::Json(json!({"room_id_result": results}))
}

async fn start_server() -> SocketAddr {
    let app = Router::new()
        .route("/api/v1/finchat/open-api/auth/token", post(token))
        .route("/api/v1/finchat/open-api/message/send", post(answer))
        .route("/api/v1/finchat/open-api/message/update-cui", put(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    addr
}

/// A card of 30 elements: a title, and 29 inputs, the 8th holding `amount`.
fn card(amount: &str) -> CuiContent {
    let mut card = Card::form().text("报销申请 #42");
    for i in 0..29 {
        let value = if i == 7 {
            amount.to_owned()
        } else {
            format!("值 {i}")
        };
        card = card.input(
            TextInput::new(format!("field{i}"))
                .placeholder(format!("字段 {i}"))
                .value(value),
        );
    }
    CuiContent::new(card)
}

fn client(addr: SocketAddr) -> Client {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .app_id("app-1")
        .secret("secret")
        .build()
        .unwrap()
}

fn patch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let addr = runtime.block_on(start_server());
    let client = client(addr);
    let room: RoomId = "!finance:example.org".parse().unwrap();
    let origin: EventId = "$card:example.org".parse().unwrap();

    let memory = CardRegistry::new(client.clone(), MemoryCardStore::new());
    #[cfg(feature = "sqlite")]
    let dir = tempfile::tempdir().unwrap();
    #[cfg(feature = "sqlite")]
    let sqlite = Some((
        "registry_patch_sqlite",
        CardRegistry::new(
            client.clone(),
            finchat_client::cards::SqliteCardStore::open(dir.path().join("cards.sqlite")).unwrap(),
        ),
    ));
    #[cfg(not(feature = "sqlite"))]
    let sqlite = None;
    let registries: Vec<(&str, CardRegistry)> = std::iter::once(("registry_patch_memory", memory))
        .chain(sqlite)
        .collect();
    let ids: Vec<CardId> = registries
        .iter()
        .map(|(_, registry)| {
            let sent = runtime
                .block_on(registry.send(card("1200")).room(room.clone()).send())
                .unwrap();
            sent.id().clone()
        })
        .collect();

    // In ABBA order (bare, patch, patch, bare), so that a drift of the machine during the run
    // weighs on both sides alike: compare the sum of the two patches with the sum of the two bare
    // updates (`.ci/bench-medians` prints each median).
    let mut group = c.benchmark_group("update_one_element_of_30");
    group.sample_size(50);
    let mut n = 0u64;
    let mut bare = |group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
                    name: &str| {
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let report = runtime
                    .block_on(
                        client
                            .messages()
                            .update_cui(origin.clone(), card(&n.to_string()))
                            .room(room.clone())
                            .send(),
                    )
                    .unwrap();
                assert!(report.all_delivered());
            })
        });
    };
    bare(&mut group, "a_bare_update_cui");
    for round in ["b", "c"] {
        for ((name, registry), id) in registries.iter().zip(&ids) {
            let mut m = 0u64;
            group.bench_function(format!("{round}_{name}"), |b| {
                b.iter(|| {
                    m += 1;
                    let value = m.to_string();
                    let updated = runtime
                        .block_on(registry.patch(id, |card| {
                            card.set_value("field7", value.clone());
                        }))
                        .unwrap();
                    assert!(updated.all_delivered());
                })
            });
        }
    }
    bare(&mut group, "d_bare_update_cui");
    group.finish();
}

criterion_group!(benches, patch);
criterion_main!(benches);
