//! Group rooms: the exact requests of create, modify, detail and list; a modify split along the
//! API's priority levels with its answers merged; GETs retried, creates and modifies not.

use std::sync::{Arc, Mutex};

use finchat_client::{ErrorClass, FcCode, HistoryVisibility};
use finchat_cui::{Fcid, RoomId};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer, not_expected};
use crate::support::snapshot;

const ROOMS: &str = "/api/v1/finchat/open-api/rooms";
const ROOM: &str = "!112321588723954859:example.org";

fn room() -> RoomId {
    ROOM.parse().unwrap()
}

fn fcid(name: &str) -> Fcid {
    format!("@{name}:example.org").parse().unwrap()
}

fn room_path() -> String {
    format!("{ROOMS}/{ROOM}")
}

/// A JSON request with the app's token.
fn assert_json_call(call: &Recorded, method: &str, path: &str) {
    assert_eq!(
        (
            call.method.as_str(),
            call.path.as_str(),
            call.query.as_deref()
        ),
        (method, path, None)
    );
    assert_eq!(call.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(call.header("content-type"), Some("application/json"));
}

/// A GET with the app's token and no body.
fn assert_get(call: &Recorded, path: &str, query: &str) {
    assert_eq!(
        (
            call.method.as_str(),
            call.path.as_str(),
            call.query.as_deref()
        ),
        ("GET", path, Some(query))
    );
    assert_eq!(call.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(call.header("content-type"), None);
    assert!(call.body.is_empty());
}

#[tokio::test]
async fn create_posts_the_room_and_returns_its_id() {
    let server = TestServer::with_tokens(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("POST", ROOMS) => Reply::json(201, json!({"room_id": ROOM})),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    // The API's request example, and the two fields it leaves out.
    let id = client
        .rooms()
        .create()
        .name("name001")
        .topic("本周五发版")
        .history_visibility(HistoryVisibility::Joined)
        .federate(true)
        .owner("@test001:example.com".parse().unwrap())
        .fcids(["@test001:example.com".parse().unwrap()])
        .send()
        .await
        .unwrap();
    assert_eq!(id, room());
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_json_call(&calls[0], "POST", ROOMS);
    snapshot("client_rooms_create", &calls[0].json());
}

#[tokio::test]
async fn create_sends_only_what_was_set() {
    let server = TestServer::with_tokens(|_, _| Reply::json(201, json!({"room_id": ROOM}))).await;
    let client = server.client().build().unwrap();
    client.rooms().create().send().await.unwrap();
    assert_eq!(
        server.calls()[0].json(),
        json!({"app_id": "app-1", "type": "multi_chat"})
    );
}

#[tokio::test]
async fn modify_of_one_kind_is_one_put() {
    let server = TestServer::with_tokens(|r, _| match r.method.as_str() {
        "PUT" => Reply::json(201, json!({})),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let answer = client
        .rooms()
        .modify(room())
        .name("name002")
        .send()
        .await
        .unwrap();
    assert!(answer.all_succeeded());
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_json_call(&calls[0], "PUT", &room_path());
    snapshot("client_rooms_modify", &calls[0].json());
}

#[tokio::test]
async fn modify_sends_one_put_per_priority_level_in_order_and_merges_the_failures() {
    // The server may report failures in any answer; every one is kept, in request order.
    let answers = Arc::new(Mutex::new(vec![
        json!({"failed_fcids_to_invite": ["@i2:example.org"], "failed_fcids_to_kick": ["@k2:example.org"]}),
        json!({"failed_fcids_to_kick": ["@k1:example.org"]}),
        json!({}),
    ]));
    let server = TestServer::with_tokens(move |r, _| match r.method.as_str() {
        "PUT" => Reply::json(
            201,
            answers.lock().unwrap().pop().unwrap_or_else(|| json!({})),
        ),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    // Set in the reverse of the priority order: the order of the builder calls does not matter.
    let answer = client
        .rooms()
        .modify(room())
        .kick(fcid("dave"))
        .fcids_to_invite([fcid("carol"), fcid("erin")])
        .invite_forbidden_except_owner(true)
        .message_forbidden_except_owner(false)
        .topic("本周五发版")
        .send()
        .await
        .unwrap();
    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    for call in &calls {
        assert_json_call(call, "PUT", &room_path());
    }
    let bodies: Vec<Value> = calls.iter().map(Recorded::json).collect();
    assert_eq!(bodies[0], json!({"app_id": "app-1", "topic": "本周五发版"}));
    snapshot("client_rooms_modify_split", &bodies);
    assert_eq!(answer.failed_fcids_to_invite, [fcid("i2")]);
    assert_eq!(answer.failed_fcids_to_kick, [fcid("k1"), fcid("k2")]);
    assert!(!answer.all_succeeded());
}

#[tokio::test]
async fn modify_stops_at_the_first_refused_level() {
    let server = TestServer::with_tokens(|r, _| match r.method.as_str() {
        "PUT" => Reply::json(
            403,
            json!({"errcode": "FC_FORBIDDEN", "error": "应用无权限"}),
        ),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client
        .rooms()
        .modify(room())
        .owner(fcid("alice"))
        .invite(fcid("bob"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.fc_code(), Some(&FcCode::Forbidden));
    let calls = server.calls();
    assert_eq!(
        calls.len(),
        1,
        "the invite must not be sent after the owner change failed"
    );
    assert_eq!(
        calls[0].json(),
        json!({"app_id": "app-1", "owner": "@alice:example.org"})
    );
}

#[tokio::test]
async fn modify_without_changes_is_refused_before_sending() {
    let server = TestServer::with_tokens(|r, _| not_expected(r)).await;
    let client = server.client().build().unwrap();
    let error = client.rooms().modify(room()).send().await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::Local);
    assert!(error.to_string().contains("no change to room"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn detail_reads_the_room() {
    let server = TestServer::with_tokens(|r, _| match r.path.as_str() {
        p if p == room_path() => Reply::json(
            201,
            json!({
                "name": "room001",
                "type": "multi_chat",
                "topic": "test",
                "federate": true,
                "owner": "@test001:example.org",
                "fcids": ["@test001:example.org"]
            }),
        ),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let detail = client.rooms().detail(&room()).await.unwrap();
    assert_get(&server.calls()[0], &room_path(), "app_id=app-1");
    assert_eq!(detail.name.as_deref(), Some("room001"));
    assert_eq!(detail.room_type.as_deref(), Some("multi_chat"));
    assert_eq!(detail.topic.as_deref(), Some("test"));
    assert!(detail.federate);
    assert_eq!(detail.owner, Some(fcid("test001").into()));
    assert_eq!(detail.fcids, [fcid("test001")]);
    assert_eq!(detail.history_visibility, None);
    assert!(detail.extra.is_empty());
}

#[tokio::test]
async fn detail_keeps_what_it_does_not_know() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::ok(json!({"name": "r", "history_visibility": "world_readable", "avatar": "mxc://example.org/a"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let detail = client.rooms().detail(&room()).await.unwrap();
    assert_eq!(
        detail
            .history_visibility
            .as_ref()
            .map(HistoryVisibility::as_str),
        Some("world_readable")
    );
    assert_eq!(detail.extra["avatar"], "mxc://example.org/a");
    let written = serde_json::to_value(&detail).unwrap();
    assert_eq!(written["history_visibility"], "world_readable");
    assert_eq!(written["avatar"], "mxc://example.org/a");
}

#[tokio::test]
async fn list_reads_the_apps_rooms() {
    let server = TestServer::with_tokens(|r, _| match r.path.as_str() {
        ROOMS => Reply::json(
            201,
            json!([
                "!112321588723954859:example.org",
                "!212426598723954819:example.org"
            ]),
        ),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let rooms = client.rooms().list().await.unwrap();
    assert_get(&server.calls()[0], ROOMS, "app_id=app-1");
    assert_eq!(
        rooms,
        [room(), "!212426598723954819:example.org".parse().unwrap()]
    );
}

/// 503 to the first request of each path, then `ok`.
fn unavailable_once(ok: Value) -> impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static {
    move |r, earlier| {
        if earlier.iter().any(|e| e.path == r.path) {
            Reply::ok(ok.clone())
        } else {
            Reply::json(503, json!({"error": "busy"}))
        }
    }
}

#[tokio::test]
async fn a_get_is_retried_after_a_503() {
    let server = TestServer::with_tokens(unavailable_once(json!(["!a:example.org"]))).await;
    let client = server.client().build().unwrap();
    let rooms = client.rooms().list().await.unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(server.calls().len(), 2);
}

#[tokio::test]
async fn a_create_is_not_repeated_after_a_503() {
    let server = TestServer::with_tokens(unavailable_once(json!({"room_id": ROOM}))).await;
    let client = server.client().build().unwrap();
    let error = client.rooms().create().name("x").send().await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::Server);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.calls().len(), 1);
}

#[tokio::test]
async fn a_modify_is_not_repeated_after_a_503() {
    let server = TestServer::with_tokens(unavailable_once(json!({}))).await;
    let client = server.client().build().unwrap();
    let error = client
        .rooms()
        .modify(room())
        .name("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Server);
    assert_eq!(server.calls().len(), 1);
}
