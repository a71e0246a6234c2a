//! Sending: the exact requests, per-target results, batches split at the server's limit, no blind
//! retries, and content validated before anything leaves.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::{Delivery, FcCode, Target};
use finchat_cui::{Fcid, MessageContent, RoomId, cui};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer, not_expected};
use crate::support::snapshot;

fn room(i: usize) -> RoomId {
    format!("!room{i}:example.org").parse().unwrap()
}

fn user(i: usize) -> Fcid {
    format!("@user{i}:example.org").parse().unwrap()
}

/// Answers a send like the API: every target sent, except rooms whose name says `missing`.
fn answer_send(request: &Recorded) -> Reply {
    let body = request.json();
    let entry = |field: &str, id: &Value| {
        let id = id.as_str().unwrap();
        if id.contains("missing") {
            json!({field: id, "errcode": "FC_ROOM_NOT_FOUND", "error": "房间不存在", "event_id": ""})
        } else {
            json!({field: id, "errcode": "", "error": "", "event_id": format!("$ev-{}:example.org", id.trim_start_matches(['!', '@']).replace(':', "-"))})
        }
    };
    let rooms: Vec<Value> = body["room_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| entry("room_id", r))
        .collect();
    let users: Vec<Value> = body["fcids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| entry("fcid", f))
        .collect();
    Reply::ok(json!({"room_id_result": rooms, "fcid_result": users}))
}

fn card() -> finchat_cui::CuiContent {
    cui! {
        <form>
            <text>"报销申请 #42"</text>
            <reply key="decision">"同意"</reply>
        </form>
    }
}

#[tokio::test]
async fn send_posts_the_content_to_the_rooms() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let report = client
        .messages()
        .send(card())
        .room(room(1))
        .room(room(2))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered());
    assert_eq!(
        report.event_id(&Target::Room(room(2))).unwrap().as_str(),
        "$ev-room2-example.org:example.org"
    );
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    let send = &calls[0];
    assert_eq!(
        (send.method.as_str(), send.path.as_str()),
        ("POST", "/api/v1/finchat/open-api/message/send")
    );
    assert_eq!(send.query, None);
    assert_eq!(send.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(send.header("content-type"), Some("application/json"));
    snapshot("client_messages_send", &send.json());
}

#[tokio::test]
async fn rooms_and_users_go_in_separate_requests() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let report = client
        .messages()
        .send(MessageContent::text("hello world"))
        .fcid(user(1))
        .room(room(1))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered());
    let bodies: Vec<Value> = server.calls().iter().map(Recorded::json).collect();
    assert_eq!(
        bodies.len(),
        2,
        "the API ignores fcids when room_ids is given"
    );
    assert_eq!(bodies[0]["room_ids"], json!(["!room1:example.org"]));
    assert_eq!(bodies[0].get("fcids"), None);
    assert_eq!(bodies[1]["fcids"], json!(["@user1:example.org"]));
    snapshot("client_messages_send_fcids", &bodies[1]);
}

#[tokio::test]
async fn per_target_failures_are_data() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let missing: RoomId = "!missing:example.org".parse().unwrap();
    let report = client
        .messages()
        .send(card())
        .room(room(1))
        .room(missing.clone())
        .send()
        .await
        .unwrap();
    assert!(!report.all_delivered());
    let failed: Vec<_> = report.undelivered().collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].target, Target::Room(missing));
    assert_eq!(
        failed[0].delivery,
        Delivery::Failed {
            errcode: FcCode::RoomNotFound,
            error: "房间不存在".into()
        }
    );
    assert_eq!(
        serde_json::to_value(&report).unwrap()[1],
        json!({"target": {"room": "!missing:example.org"}, "outcome": "failed", "errcode": "FC_ROOM_NOT_FOUND", "error": "房间不存在"})
    );
}

#[tokio::test]
async fn the_undelivered_targets_of_a_report_can_be_sent_again() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let missing: RoomId = "!missing:example.org".parse().unwrap();
    let first = client
        .messages()
        .send(card())
        .room(room(1))
        .room(missing.clone())
        .fcid(user(1))
        .send()
        .await
        .unwrap();
    let again = first.undelivered().map(|r| r.target.clone());
    let second = client
        .messages()
        .send(card())
        .targets(again)
        .send()
        .await
        .unwrap();
    let targets: Vec<&Target> = second.results.iter().map(|r| &r.target).collect();
    assert_eq!(
        targets,
        [&Target::Room(missing)],
        "only the target that failed"
    );
}

#[tokio::test]
async fn a_large_fan_out_is_batched_below_the_servers_limit() {
    const LIMIT: usize = 7;
    let server = TestServer::with_tokens(|r, _| {
        if r.json()["room_ids"].as_array().map_or(0, Vec::len) > LIMIT {
            Reply::json(400, json!({"errcode": "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED", "error": "发送消息的房间个数超出限制"}))
        } else {
            answer_send(r)
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::clone(&seen);
    let rooms: Vec<RoomId> = (0..50).map(room).collect();
    let report = client
        .messages()
        .send(card())
        .rooms(rooms.clone())
        .batch_size(20)
        .concurrency(3)
        .on_progress(move |done, total| progress.lock().unwrap().push((done, total)))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    let delivered: Vec<Target> = report.results.iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        delivered,
        rooms.into_iter().map(Target::Room).collect::<Vec<_>>(),
        "one result per room, in order"
    );
    let sizes: Vec<usize> = server
        .calls()
        .iter()
        .map(|c| c.json()["room_ids"].as_array().unwrap().len())
        .collect();
    let accepted: usize = sizes.iter().filter(|s| **s <= LIMIT).sum();
    assert_eq!(accepted, 50, "every room sent exactly once: {sizes:?}");
    assert!(sizes.iter().all(|s| *s <= 20), "{sizes:?}");
    assert_eq!(server.token_requests(), 1);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.last().map(|(done, total)| (*done, *total)),
        Some((50, 50))
    );
}

#[tokio::test]
async fn a_send_that_times_out_is_not_retried_and_its_targets_are_unknown() {
    let server = TestServer::with_tokens(|r, _| answer_send(r).after(Duration::from_secs(5))).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let report = client
        .messages()
        .send(card())
        .room(room(1))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(report.results[0].delivery, Delivery::Unknown { .. }),
        "{report:?}"
    );
    assert_eq!(server.calls().len(), 1, "a send is never retried blindly");
}

/// A progress callback that panics must not turn a send that went out into an error: the report
/// of every target comes back, the panic is logged once, and the callback is not called again.
#[tokio::test]
async fn a_panicking_progress_callback_does_not_lose_the_report() {
    let (logs, _guard) = finchat_test_support::logs::Logs::capture();
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    let report = client
        .messages()
        .send(card())
        .rooms((1..=3).map(room))
        .batch_size(1)
        .concurrency(1)
        .on_progress(move |_, _| {
            *counted.lock().unwrap() += 1;
            panic!("a bug in the progress bar");
        })
        .send()
        .await
        .expect("the report of what was sent");
    assert_eq!(report.results.len(), 3);
    assert!(report.all_delivered(), "{report:?}");
    assert_eq!(server.calls().len(), 3);
    assert_eq!(
        *calls.lock().unwrap(),
        1,
        "not called again after it panicked"
    );
    let warning = logs.line_with(&["WARN", "progress", "a bug in the progress bar"]);
    assert_eq!(logs.text().matches("WARN").count(), 1, "{warning}");
}

/// A request the server failed on (a 5xx, `FC_INTERNAL_ERROR`, `FC_UNKNOWN` outside a 4xx, a proxy's
/// 502/503/504 page) may have delivered the message: its targets are `unknown` and it is not retried.
/// Only a refusal (a 4xx, or a documented code naming the refusal) is `failed`.
#[tokio::test]
async fn a_whole_request_failure_is_failed_only_when_the_server_certainly_refused_it() {
    let cases: [(u16, Value, bool); 11] = [
        // A request time-out: the server may have taken it.
        (
            408,
            json!({"errcode": "FC_UNKNOWN", "error": "timeout"}),
            false,
        ),
        (
            500,
            json!({"errcode": "FC_INTERNAL_ERROR", "error": "内部错误"}),
            false,
        ),
        (502, json!("<html>bad gateway</html>"), false),
        (503, json!({"errcode": "FC_UNKNOWN", "error": ""}), false),
        (
            504,
            json!({"errcode": "FC_UNKNOWN", "error": "gateway time-out"}),
            false,
        ),
        (200, json!({"errcode": "FC_UNKNOWN", "error": "?"}), false),
        (
            200,
            json!({"errcode": "FC_SOMETHING_NEW", "error": "?"}),
            false,
        ),
        (
            200,
            json!({"errcode": "FC_ROOM_NOT_FOUND", "error": "房间不存在"}),
            true,
        ),
        (400, json!({"errcode": "FC_BAD_JSON", "error": "bad"}), true),
        (
            403,
            json!({"errcode": "FC_FORBIDDEN", "error": "forbidden"}),
            true,
        ),
        (
            404,
            json!({"errcode": "FC_ROOM_NOT_FOUND", "error": "房间不存在"}),
            true,
        ),
    ];
    for (status, body, refused) in cases {
        let answer = body.clone();
        let server = TestServer::with_tokens(move |_, _| Reply::json(status, answer.clone())).await;
        let client = server.client().build().unwrap();
        let report = client
            .messages()
            .send(card())
            .room(room(1))
            .send()
            .await
            .unwrap();
        let delivery = &report.results[0].delivery;
        // Failed with the server's own errcode, or Unknown.
        let read_as = match delivery {
            Delivery::Failed { errcode, .. } => Some(Some(errcode.clone())),
            Delivery::Unknown { .. } => Some(None),
            _ => None,
        };
        let expected = refused.then(|| FcCode::parse(body["errcode"].as_str().unwrap()));
        assert!(read_as == Some(expected), "{status} {body}: {delivery:?}");
        assert_eq!(server.calls().len(), 1, "{status} {body}: never retried");
    }
}

/// A connection that was never made cannot have delivered anything: the target is `failed` (certainly
/// not sent), not `unknown` like a time-out. (Such requests are the only sends that are retried.)
#[tokio::test]
async fn a_send_that_never_reached_the_server_is_failed_not_unknown() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let server = TestServer::with_tokens(|r, _| not_expected(r)).await;
    let token = {
        let client = server.client().build().unwrap();
        client.access_token().await.unwrap()
    };
    let store = Arc::new(finchat_client::token::InMemoryTokenStore::new());
    finchat_client::token::TokenStore::save(&*store, token).await;
    let client = finchat_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .app_id("app-1")
        .secret("s")
        .token_store(store)
        .retry(finchat_client::RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(10),
        })
        .build()
        .unwrap();
    let report = client
        .messages()
        .send(card())
        .room(room(1))
        .send()
        .await
        .unwrap();
    let Delivery::Failed { errcode, error } = &report.results[0].delivery else {
        panic!("{report:?}")
    };
    assert_eq!(*errcode, FcCode::Unknown);
    assert!(error.contains("request failed"), "{error}");
}

#[tokio::test]
async fn invalid_content_never_leaves_the_process() {
    let server = TestServer::with_tokens(|r, _| not_expected(r)).await;
    let client = server.client().build().unwrap();
    let duplicate = finchat_cui::Card::form()
        .input(finchat_cui::element::TextInput::new("amount"))
        .input(finchat_cui::element::TextInput::new("amount"));
    let error = client
        .messages()
        .send(duplicate)
        .room(room(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.problems().map(|p| p.len()), Some(1));
    assert!(
        error
            .to_string()
            .starts_with("content not sent, it breaks the format's rules:"),
        "{error}"
    );
    let mut json =
        serde_json::to_value(MessageContent::from(finchat_cui::Card::form().text("x"))).unwrap();
    json["info"]["status"] = json!("pending");
    let received: MessageContent = serde_json::from_value(json).unwrap();
    let error = client
        .messages()
        .send(received)
        .room(room(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.problems().unwrap().to_string(),
        r#"info.status: unknown status "pending"; write "input", "loading" or "disable""#
    );
    assert!(
        server.requests().is_empty(),
        "nothing was sent, not even a token request"
    );
}

#[tokio::test]
async fn update_cui_puts_the_card_with_its_origin_event() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let origin = "$22222222:dev.finogeeks.club".parse().unwrap();
    let closed = card();
    let report = client
        .messages()
        .update_cui(
            origin,
            finchat_cui::CuiContent::new(closed.info.with_status(finchat_cui::Status::Disable)),
        )
        .room(room(1))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered());
    let update = &server.calls()[0];
    assert_eq!(
        (update.method.as_str(), update.path.as_str()),
        ("PUT", "/api/v1/finchat/open-api/message/update-cui")
    );
    assert_eq!(
        update.json()["origin_event"],
        "$22222222:dev.finogeeks.club"
    );
    snapshot("client_messages_update_cui", &update.json());
}

#[tokio::test]
async fn update_cui_takes_only_cards() {
    let server = TestServer::with_tokens(|r, _| not_expected(r)).await;
    let client = server.client().build().unwrap();
    let origin = "$e:example.org".parse().unwrap();
    let error = client
        .messages()
        .update_cui(origin, MessageContent::text("x"))
        .room(room(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "not sent: update-cui replaces a card; the content is m.text, not m.cui"
    );
    assert!(server.calls().is_empty());
}

#[tokio::test]
async fn webhook_send_posts_the_webhook_id_and_returns_the_event_id() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::ok(json!({"event_id": "$143273582443PhrSn:example.org"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let event = client
        .messages()
        .send_webhook(
            "5df29mec9ccfd002ccd28076",
            MessageContent::text("hello world"),
        )
        .await
        .unwrap();
    assert_eq!(event.as_str(), "$143273582443PhrSn:example.org");
    let call = &server.calls()[0];
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/api/v1/finchat/open-api/message/webhook/send")
    );
    snapshot("client_messages_webhook_send", &call.json());
}

#[tokio::test]
async fn send_as_user_carries_the_sender_and_topic_and_refuses_cards() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let client = server.client().build().unwrap();
    let sender: Fcid = "@user001:example.org".parse().unwrap();
    let report = client
        .messages()
        .send_as_user(sender.clone(), MessageContent::text("hello world"))
        .fcid(user(2))
        .topic("报销")
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered());
    let call = &server.calls()[0];
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/api/v1/finchat/privilege-api/message/send-as-user")
    );
    snapshot("client_messages_send_as_user", &call.json());
    let error = client
        .messages()
        .send_as_user(sender, card())
        .fcid(user(2))
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("send-as-user does not send cards"),
        "{error}"
    );
    assert_eq!(server.calls().len(), 1);
}

#[tokio::test]
async fn send_to_device_puts_the_messages_and_is_retried() {
    let server = TestServer::with_tokens(|_, earlier| {
        if earlier.iter().filter(|r| !r.is_token()).count() == 0 {
            Reply::json(
                500,
                json!({"errcode": "FC_INTERNAL_ERROR", "error": "内部错误"}),
            )
        } else {
            Reply::ok(json!({}))
        }
    })
    .await;
    let client = server.client().build().unwrap();
    client
        .messages()
        .send_to_device("com.example.ping", "txn-42")
        .message(
            &"@sanzhang:example.com".parse().unwrap(),
            "DKAJTGALH",
            json!({"hello": "world"}),
        )
        .message(
            &"@lisi:example.com".parse().unwrap(),
            "*",
            json!({"name": "myname"}),
        )
        .send()
        .await
        .unwrap();
    let calls = server.calls();
    assert_eq!(calls.len(), 2, "the transaction id makes a retry safe");
    assert_eq!(
        (calls[1].method.as_str(), calls[1].path.as_str()),
        ("PUT", "/api/v1/finchat/open-api/message/send-to-device")
    );
    assert_eq!(
        calls[1].query.as_deref(),
        Some("app_id=app-1&event_type=com.example.ping&transaction_id=txn-42")
    );
    assert_eq!(calls[0].body, calls[1].body);
    snapshot("client_messages_send_to_device", &calls[1].json());
}
