//! The sandbox's API through the real `Client`: tokens (expiry, a newer one invalidating the older),
//! sends to rooms and fcids with per-target failures, the batch limit the client halves under,
//! update-cui, media, rooms with FinChat's modify priority, content validation, and the forwarder
//! read by `PollingConsumer`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::polling::{MemoryCursor, PollingConsumer};
use finchat_client::{Delivery, Dispatcher, FcCode, HistoryVisibility, Target};
use finchat_cui::{MessageContent, Status};
use finchat_sandbox::{RunningSandbox, SandboxConfig};
use serde_json::{Value, json};

use crate::support::{
    OPEN, api_call, approval_card, client, fcid, room, send_card, start, verify_token,
};

async fn new_token(sandbox: &RunningSandbox) -> String {
    let body = json!({"app_id": "sandbox-app", "secret": "sandbox-secret"});
    let (status, answer) = api_call(
        sandbox,
        reqwest::Method::POST,
        &format!("{OPEN}/auth/token"),
        None,
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["token_type"], "Bearer");
    answer["app_access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_newer_token_invalidates_the_older_and_the_client_gets_a_new_one() {
    let sandbox = start(SandboxConfig::new()).await;
    let older = new_token(&sandbox).await;
    assert!(verify_token(&sandbox, &older).await);
    let newer = new_token(&sandbox).await;
    assert!(!verify_token(&sandbox, &older).await && verify_token(&sandbox, &newer).await);
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::GET,
        &format!("{OPEN}/rooms?app_id=sandbox-app"),
        Some(&older),
        None,
    )
    .await;
    assert_eq!(
        (status, &answer["errcode"]),
        (401, &json!("FC_INVALID_ACCESS_TOKEN"))
    );

    let api = client(&sandbox);
    assert_eq!(api.rooms().list().await.unwrap(), [room("finance")]);
    // Another process takes a new token: this client's is refused once, and it fetches its own.
    new_token(&sandbox).await;
    assert_eq!(api.rooms().list().await.unwrap(), [room("finance")]);

    let wrong = |app_id: &str, secret: &str| {
        let body = json!({"app_id": app_id, "secret": secret});
        api_call(
            &sandbox,
            reqwest::Method::POST,
            "/api/v1/finchat/open-api/auth/token",
            None,
            Some(body),
        )
    };
    assert_eq!(
        wrong("sandbox-app", "guess").await.1["errcode"],
        "FC_INVALID_SECRET"
    );
    assert_eq!(
        wrong("other-app", "sandbox-secret").await.1["errcode"],
        "FC_APP_NOT_FOUND"
    );
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::GET,
        &format!("{OPEN}/rooms?app_id=sandbox-app"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, &answer["errcode"]),
        (401, &json!("FC_INVALID_ACCESS_TOKEN"))
    );
}

#[tokio::test]
async fn a_token_expires() {
    let sandbox = start(SandboxConfig::new().token_lifetime(Duration::from_millis(300))).await;
    let token = new_token(&sandbox).await;
    let path = format!("{OPEN}/rooms?app_id=sandbox-app");
    assert_eq!(
        api_call(&sandbox, reqwest::Method::GET, &path, Some(&token), None)
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, answer) =
        api_call(&sandbox, reqwest::Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 401);
    assert!(
        answer["error"].as_str().unwrap().contains("expired"),
        "{answer}"
    );
    assert!(!verify_token(&sandbox, &token).await);
}

#[tokio::test]
async fn a_send_reports_each_room_and_fcid_with_the_documented_errors() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let report = api
        .messages()
        .send(MessageContent::text("周报提醒"))
        .room(room("direct-alice"))
        .room(room("nowhere"))
        .fcid(fcid("bob"))
        .fcid(fcid("zed"))
        .fcid(fcid("finchat-bot"))
        .send()
        .await
        .unwrap();
    let codes: Vec<Option<FcCode>> = report
        .results
        .iter()
        .map(|r| match &r.delivery {
            Delivery::Failed { errcode, .. } => Some(errcode.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        codes,
        [
            None,
            Some(FcCode::RoomNotFound),
            None,
            Some(FcCode::FcidNotFound),
            // A known user without a direct room with the bot.
            Some(FcCode::RoomNotFound),
        ]
    );
    let sent = report.event_id(&Target::User(fcid("bob"))).unwrap();
    let bob = sandbox.handle.messages(&room("direct-bob"));
    assert_eq!(
        (&bob[0].event_id, &bob[0].sender),
        (sent, &fcid("finchat-bot"))
    );
    assert_eq!(bob[0].content, MessageContent::text("周报提醒"));

    // room_ids win over fcids, as documented.
    let token = new_token(&sandbox).await;
    let body = json!({"app_id": "sandbox-app", "room_ids": ["!finance:sandbox"], "fcids": ["@carol:sandbox"],
        "content": {"msgtype": "m.text", "body": "hi"}});
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::POST,
        &format!("{OPEN}/message/send"),
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(keys(&answer), ["room_id_result"]);
    assert!(sandbox.handle.messages(&room("direct-carol")).is_empty());
    // The bot must be in the room.
    let left = api
        .rooms()
        .create()
        .owner(fcid("alice"))
        .send()
        .await
        .unwrap();
    api.rooms()
        .modify(left.clone())
        .kick(fcid("finchat-bot"))
        .send()
        .await
        .unwrap();
    let report = api
        .messages()
        .send(MessageContent::text("x"))
        .room(left)
        .send()
        .await
        .unwrap();
    assert!(matches!(
        &report.results[0].delivery,
        Delivery::Failed {
            errcode: FcCode::FcidNotInRoom,
            ..
        }
    ));
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_whole_and_the_client_halves_it() {
    let sandbox = start(SandboxConfig::new().batch_limit(2)).await;
    let token = new_token(&sandbox).await;
    let path = format!("{OPEN}/message/send");
    let rooms = json!([
        "!direct-alice:sandbox",
        "!direct-bob:sandbox",
        "!direct-carol:sandbox"
    ]);
    let body = json!({"app_id": "sandbox-app", "room_ids": rooms, "content": {"msgtype": "m.text", "body": "x"}});
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::POST,
        &path,
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(
        (status, &answer["errcode"]),
        (400, &json!("FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"))
    );
    let fcids = json!(["@alice:sandbox", "@bob:sandbox", "@carol:sandbox"]);
    let body = json!({"app_id": "sandbox-app", "fcids": fcids, "content": {"msgtype": "m.text", "body": "x"}});
    let (_, answer) = api_call(
        &sandbox,
        reqwest::Method::POST,
        &path,
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(answer["errcode"], "FC_MESSAGE_FCID_LIMIT_EXCEEDED");
    assert!(
        sandbox.handle.messages(&room("direct-alice")).is_empty(),
        "nothing was sent"
    );

    let api = sandbox.client().batch_size(4).build().unwrap();
    let report = api
        .messages()
        .send(MessageContent::text("全员通知"))
        .fcids(["alice", "bob", "carol"].map(fcid))
        .room(room("finance"))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    assert_eq!(report.results.len(), 4);
    for person in ["direct-alice", "direct-bob", "direct-carol", "finance"] {
        assert_eq!(sandbox.handle.messages(&room(person)).len(), 1, "{person}");
    }
}

#[tokio::test]
async fn update_cui_replaces_only_the_bots_cards() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let finance = room("finance");
    let card = send_card(&api, &finance, approval_card()).await;
    let report = api
        .messages()
        .update_cui(card.clone(), approval_card().with_status(Status::Disable))
        .room(finance.clone())
        .room(room("direct-alice"))
        .send()
        .await
        .unwrap();
    assert!(report.results[0].event_id().is_some());
    assert!(matches!(
        &report.results[1].delivery,
        Delivery::Failed {
            errcode: FcCode::NotFound,
            ..
        }
    ));
    let shown = sandbox.handle.messages(&finance)[0]
        .content_for(&fcid("bob"))
        .clone();
    assert_eq!(shown.card().unwrap().status, Status::Disable);

    let said = sandbox
        .handle
        .say(&fcid("alice"), &finance, "一条文本")
        .unwrap();
    let report = api
        .messages()
        .update_cui(said, approval_card())
        .room(finance.clone())
        .send()
        .await
        .unwrap();
    assert!(matches!(
        &report.results[0].delivery,
        Delivery::Failed {
            errcode: FcCode::Forbidden,
            ..
        }
    ));

    let token = new_token(&sandbox).await;
    let body = json!({"app_id": "sandbox-app", "room_ids": [finance], "origin_event": card,
        "content": {"msgtype": "m.text", "body": "not a card"}});
    let path = format!("{OPEN}/message/update-cui");
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!((status, &answer["errcode"]), (400, &json!("FC_BAD_JSON")));
}

#[tokio::test]
async fn invalid_content_is_refused_with_every_problem() {
    let sandbox = start(SandboxConfig::new()).await;
    let token = new_token(&sandbox).await;
    let card = json!({"type": "form", "status": "input", "shared": true, "fcids": [], "elements": [
        {"type": "input", "subtype": "text-input", "key": "amount"},
        {"type": "input", "subtype": "text-input", "key": "amount"},
        {"type": "image", "subtype": "image", "o_url": "https://example.org/a.png"}]});
    let body = json!({"app_id": "sandbox-app", "room_ids": ["!direct-alice:sandbox"],
        "content": {"msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]", "info": card}});
    let path = format!("{OPEN}/message/send");
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::POST,
        &path,
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!((status, &answer["errcode"]), (400, &json!("FC_BAD_JSON")));
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("content.info.elements[1].key: duplicate key \"amount\""),
        "{error}"
    );
    assert!(error.contains("content.info.elements[2]"), "{error}");
    assert_eq!(
        answer["data"]["problems"].as_array().unwrap().len(),
        2,
        "{answer}"
    );
}

#[tokio::test]
async fn media_round_trips_with_its_content_type() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let png = b"\x89PNG\r\n\x1a\n receipt".to_vec();
    let uri = api.media().upload(png.clone(), "image/png").await.unwrap();
    assert_eq!(uri.server_name(), "sandbox");
    let download = api.media().download(&uri).await.unwrap();
    assert_eq!(download.content_type.as_deref(), Some("image/png"));
    assert_eq!(download.bytes.as_ref(), png.as_slice());
    let missing = api
        .media()
        .download(&"mxc://sandbox/nothing".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(missing.fc_code(), Some(&FcCode::NotFound));
}

#[tokio::test]
async fn rooms_are_created_changed_by_priority_read_and_listed() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let created = api
        .rooms()
        .create()
        .name("差旅报销")
        .history_visibility(HistoryVisibility::Joined)
        .fcid(fcid("alice"))
        .fcid(fcid("bob"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.rooms().list().await.unwrap(),
        [room("finance"), created.clone()]
    );
    let detail = api.rooms().detail(&created).await.unwrap();
    assert_eq!(detail.name.as_deref(), Some("差旅报销"));
    assert_eq!(detail.room_type.as_deref(), Some("multi_chat"));
    assert_eq!(detail.owner, Some(fcid("finchat-bot").into()));
    assert_eq!(
        detail.fcids,
        [fcid("finchat-bot"), fcid("alice"), fcid("bob")]
    );
    assert_eq!(detail.history_visibility, Some(HistoryVisibility::Joined));

    // One raw request with several groups: only the highest-priority one is applied.
    let token = new_token(&sandbox).await;
    let path = format!("{OPEN}/rooms/{created}");
    let body = json!({"app_id": "sandbox-app", "topic": "周五截止", "fcids_to_invite": ["@carol:sandbox"]});
    let (status, answer) = api_call(
        &sandbox,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!((status, answer), (201, json!({})));
    let detail = api.rooms().detail(&created).await.unwrap();
    assert_eq!(detail.topic.as_deref(), Some("周五截止"));
    assert!(
        !detail.fcids.contains(&fcid("carol")),
        "the invite was ignored"
    );

    // The client sends one request per group, so nothing is lost.
    let answer = api
        .rooms()
        .modify(created.clone())
        .name("差旅")
        .invite(fcid("carol"))
        .invite(fcid("zed"))
        .kick(fcid("bob"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.failed_fcids_to_invite, [fcid("zed")]);
    let detail = api.rooms().detail(&created).await.unwrap();
    assert_eq!(detail.name.as_deref(), Some("差旅"));
    assert_eq!(
        detail.fcids,
        [fcid("finchat-bot"), fcid("alice"), fcid("carol")]
    );

    let token = new_token(&sandbox).await;
    let body = json!({"app_id": "sandbox-app", "name": "x"});
    let (_, answer) = api_call(
        &sandbox,
        reqwest::Method::POST,
        &format!("{OPEN}/rooms"),
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(
        answer["errcode"], "FC_BAD_JSON",
        "a room needs type multi_chat"
    );
    let direct = api.rooms().detail(&room("direct-alice")).await.unwrap_err();
    assert_eq!(direct.fc_code(), Some(&FcCode::Forbidden));
}

#[tokio::test]
async fn the_polling_consumer_reads_every_event_in_order_from_the_forwarder() {
    let sandbox = start(SandboxConfig::new()).await;
    for (person, text) in [("alice", "一"), ("bob", "二"), ("carol", "三")] {
        let direct = room(&format!("direct-{person}"));
        sandbox.handle.say(&fcid(person), &direct, text).unwrap();
    }
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let dispatcher = Dispatcher::new(Arc::clone(&seen)).on_event(|seen, event| async move {
        seen.lock()
            .unwrap()
            .push(format!("{} {}", event.event_id, event.event_type()));
        Ok(())
    });
    let consumer =
        PollingConsumer::new(client(&sandbox), dispatcher, MemoryCursor::default()).page_size(4);
    let first = consumer.poll_once().await.unwrap();
    assert_eq!((first.handled, first.more), (4, true));
    let second = consumer.poll_once().await.unwrap();
    assert_eq!((second.handled, second.more), (2, false));
    assert_eq!(consumer.poll_once().await.unwrap().handled, 0);
    let expected: Vec<String> = sandbox
        .handle
        .events()
        .iter()
        .map(|e| format!("{} {}", e.event_id, e.event_type()))
        .collect();
    assert_eq!(*seen.lock().unwrap(), expected);
    assert_eq!(expected.len(), 6);
    assert!(
        expected[..3]
            .iter()
            .all(|e| e.ends_with("finstore.room.create"))
    );

    // Each polled event carries the app's id, as the documented answer shows.
    let page = client(&sandbox)
        .forwarder()
        .events()
        .page_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.events[0]["app_id"], "sandbox-app");
    assert_eq!(
        page.since.as_deref(),
        Some(sandbox.handle.events()[0].event_id.as_str())
    );
}
