//! The activity log: each API call once with its per-target results and problems, each push with
//! every attempt, filters over HTTP, the cap, no secret anywhere, and the inspector page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use finchat_cui::element::TextInput;
use finchat_cui::{Card, MessageContent, Status};
use finchat_sandbox::{
    ACTIVITY_LIMIT, ActivityEntry, ApiCall, PushAnswer, PushState, RunningSandbox, SandboxConfig,
};
use finchat_test_support::snapshot::snapshot;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    OPEN, api_call, approval_card, client, fcid, page, post_json, raw_token, room, send_card,
    serve, start, verify_token, wait_until,
};

/// A callback that answers `status(n)` to its n-th push (from 0).
async fn callback(status: impl Fn(usize) -> u16 + Send + Sync + 'static) -> String {
    let count = Arc::new(AtomicUsize::new(0));
    let status = Arc::new(status);
    let router = axum::Router::new().route(
        "/callback",
        axum::routing::put(move || {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let status = axum::http::StatusCode::from_u16(status(n)).unwrap();
            async move { (status, "{}") }
        }),
    );
    format!("{}/callback", serve(router).await)
}

/// Sends `content` as it is, past the client's own validation: the sandbox's answer.
async fn send_raw(sandbox: &RunningSandbox, content: Value) -> Value {
    let token = raw_token(sandbox).await;
    let body =
        json!({"app_id": "sandbox-app", "room_ids": ["!direct-alice:sandbox"], "content": content});
    let path = format!("{OPEN}/message/send");
    api_call(sandbox, Method::POST, &path, Some(&token), Some(body))
        .await
        .1
}

/// A card whose two inputs share the key `amount`.
fn duplicate_keys() -> Value {
    let card = Card::form()
        .input(TextInput::new("amount"))
        .input(TextInput::new("amount"))
        .submit("提交");
    serde_json::to_value(MessageContent::from(card)).unwrap()
}

fn calls(sandbox: &RunningSandbox) -> Vec<ApiCall> {
    let activity = sandbox.handle.activity();
    activity
        .iter()
        .filter_map(ActivityEntry::call)
        .cloned()
        .collect()
}

async fn activity_json(sandbox: &RunningSandbox, query: &str) -> Value {
    let url = format!("{}/sandbox/api/activity{query}", sandbox.url);
    let answer = reqwest::get(url).await.unwrap();
    assert_eq!(answer.status(), 200, "{query}");
    answer.json().await.unwrap()
}

/// An entry's JSON with what changes from run to run masked.
fn masked(mut entry: Value) -> Value {
    entry["seq"] = json!("[seq]");
    entry["at"] = json!("[at]");
    if let Some(timestamp) = entry.pointer_mut("/event/timestamp") {
        *timestamp = json!("[timestamp]");
    }
    if let Some(attempts) = entry.pointer_mut("/attempts").and_then(Value::as_array_mut) {
        for attempt in attempts {
            attempt["at"] = json!("[at]");
        }
    }
    entry
}

#[tokio::test]
async fn a_send_to_two_targets_is_recorded_once_with_the_result_of_each() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let report = api
        .messages()
        .send(approval_card())
        .rooms([room("direct-alice"), room("nowhere")])
        .send()
        .await
        .unwrap();
    let sent = report.results[0].event_id().unwrap().clone();

    let sends: Vec<ApiCall> = calls(&sandbox)
        .into_iter()
        .filter(ApiCall::is_send)
        .collect();
    assert_eq!(sends.len(), 1, "{sends:?}");
    let send = &sends[0];
    assert_eq!((send.method.as_str(), send.status), ("POST", 200));
    assert_eq!(send.path, format!("{OPEN}/message/send"));
    assert_eq!(send.results.len(), 2, "{:?}", send.results);
    assert!(send.results[0].is_ok());
    assert_eq!(send.results[0].target, "!direct-alice:sandbox");
    assert_eq!(send.results[0].event_id.as_ref(), Some(&sent));
    assert_eq!(send.results[1].target, "!nowhere:sandbox");
    assert_eq!(
        send.results[1].errcode.as_deref(),
        Some("FC_ROOM_NOT_FOUND")
    );
    assert!(
        send.results[1]
            .error
            .as_deref()
            .unwrap()
            .contains("!nowhere:sandbox")
    );
    assert_eq!(send.rooms, [room("direct-alice"), room("nowhere")]);
    assert_eq!(send.content().unwrap()["msgtype"], "m.cui");

    let answer = activity_json(&sandbox, "?kind=call&limit=1").await;
    snapshot(
        "sandbox_activity_call",
        &masked(answer["entries"][0].clone()),
    );
}

#[tokio::test]
async fn a_refused_card_shows_its_problems_with_their_paths() {
    let sandbox = start(SandboxConfig::new()).await;
    let answer = send_raw(&sandbox, duplicate_keys()).await;
    assert_eq!(answer["errcode"], "FC_BAD_JSON", "{answer}");

    let send = calls(&sandbox).into_iter().find(ApiCall::is_send).unwrap();
    assert!(send.is_refused());
    assert_eq!(
        (send.status, send.errcode.as_deref()),
        (400, Some("FC_BAD_JSON"))
    );
    assert_eq!(send.problems.len(), 1, "{:?}", send.problems);
    assert!(
        send.problems[0].starts_with("content.info.elements[1].key: duplicate key \"amount\""),
        "{:?}",
        send.problems
    );
    assert!(send.results.is_empty());
    assert_eq!(send.rooms, [room("direct-alice")]);
}

#[tokio::test]
async fn an_update_cui_is_recorded_with_its_card_and_room() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let finance = room("finance");
    let card = send_card(&api, &finance, approval_card()).await;
    api.messages()
        .update_cui(card.clone(), approval_card().with_status(Status::Disable))
        .room(finance.clone())
        .send()
        .await
        .unwrap();
    // By fcid, the bot's direct room with the person.
    let direct = send_card(&api, &room("direct-bob"), approval_card()).await;
    api.messages()
        .update_cui(direct.clone(), approval_card().with_status(Status::Loading))
        .fcid(fcid("bob"))
        .send()
        .await
        .unwrap();

    let updates: Vec<ApiCall> = calls(&sandbox)
        .into_iter()
        .filter(ApiCall::is_update_cui)
        .collect();
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert_eq!(updates[0].method, "PUT");
    assert_eq!(updates[0].origin_event(), Some(card));
    assert_eq!(updates[0].rooms, [finance]);
    assert!(updates[0].results[0].is_ok(), "{:?}", updates[0].results);
    assert_eq!(updates[0].content().unwrap()["info"]["status"], "disable");
    assert_eq!(updates[1].origin_event(), Some(direct));
    assert_eq!(updates[1].rooms, [room("direct-bob")]);
    assert_eq!(updates[1].results[0].target, "@bob:sandbox");
}

#[tokio::test]
async fn a_push_refused_once_then_acked_shows_both_attempts_and_is_delivered() {
    let url = callback(|n| if n == 0 { 500 } else { 200 }).await;
    let sandbox = start(SandboxConfig::new().callback(url, "t").time_scale(0.001)).await;
    wait_until("the seeded events are pushed", || {
        sandbox.handle.pushes().len() == 3
    })
    .await;

    let activity = sandbox.handle.activity();
    let pushes: Vec<_> = activity.iter().filter_map(ActivityEntry::push).collect();
    assert_eq!(pushes.len(), 3, "one entry per event, updated in place");
    let first = pushes[0];
    assert_eq!(first.event_id, sandbox.handle.events()[0].event_id);
    assert_eq!(first.event_type, "finstore.room.create");
    assert_eq!(first.state, PushState::Delivered);
    let answers: Vec<&PushAnswer> = first.attempts.iter().map(|a| &a.answer).collect();
    assert_eq!(
        answers,
        [&PushAnswer::Refused { status: 500 }, &PushAnswer::Acked]
    );
    assert!(first.attempts[0].at_ms <= first.attempts[1].at_ms);
    assert_eq!(first.room, sandbox.handle.events()[0].room());
    assert!(pushes[1..].iter().all(|p| p.attempts.len() == 1));
    // `pushes()` records the same pushes.
    let logged: Vec<(&str, usize)> = pushes
        .iter()
        .map(|p| (p.event_id.as_str(), p.attempts.len()))
        .collect();
    let records = sandbox.handle.pushes();
    let recorded: Vec<(&str, usize)> = records
        .iter()
        .map(|p| (p.event_id.as_str(), p.attempts as usize))
        .collect();
    assert_eq!(logged, recorded);

    let answer = activity_json(&sandbox, "?kind=push").await;
    let oldest = answer["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    snapshot("sandbox_activity_push", &masked(oldest));
}

#[tokio::test]
async fn a_push_shows_its_failed_attempts_while_it_is_retried() {
    let url = callback(|_| 503).await;
    // Real time: the push goes on failing for an hour before it is dropped.
    let sandbox = start(SandboxConfig::new().callback(url, "t")).await;
    let retrying = || {
        let activity = sandbox.handle.activity();
        activity.iter().filter_map(ActivityEntry::push).any(|push| {
            push.state == PushState::Retrying
                && !push.attempts.is_empty()
                && push
                    .attempts
                    .iter()
                    .all(|a| a.answer == PushAnswer::Refused { status: 503 })
        })
    };
    wait_until("the first push is refused and waits", retrying).await;
}

#[tokio::test]
async fn the_endpoint_filters_by_room_and_kind_newest_first() {
    let url = callback(|_| 200).await;
    let sandbox = start(SandboxConfig::new().callback(url, "t").time_scale(0.001)).await;
    let api = client(&sandbox);
    send_card(&api, &room("finance"), approval_card()).await;
    api.messages()
        .send(approval_card())
        .fcid(fcid("bob"))
        .send()
        .await
        .unwrap();
    sandbox
        .handle
        .say(&fcid("alice"), &room("direct-alice"), "你好")
        .unwrap();
    wait_until("every event is pushed", || {
        sandbox.handle.pushes().len() == 4
    })
    .await;

    let all = activity_json(&sandbox, "").await;
    let seqs: Vec<u64> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seqs:?}"
    );
    assert_eq!(seqs.len(), sandbox.handle.activity().len());

    let finance = activity_json(&sandbox, "?room=%21finance%3Asandbox").await;
    let entries = finance["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{finance}");
    assert_eq!(entries[0]["path"], format!("{OPEN}/message/send"));
    assert_eq!(entries[0]["rooms"], json!(["!finance:sandbox"]));

    let bob = activity_json(&sandbox, "?room=%21direct-bob%3Asandbox&kind=call").await;
    let entries = bob["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "the send to bob's fcid: {bob}");
    assert_eq!(entries[0]["request"]["fcids"], json!(["@bob:sandbox"]));

    let pushes = activity_json(&sandbox, "?kind=push&room=%21direct-alice%3Asandbox").await;
    let types: Vec<&str> = pushes["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(
                (e["kind"].as_str(), e["room"].as_str()),
                (Some("push"), Some("!direct-alice:sandbox"))
            );
            e["event_type"].as_str().unwrap()
        })
        .collect();
    assert_eq!(types, ["m.room.message", "finstore.room.create"]);

    let newest = activity_json(&sandbox, "?limit=1").await;
    assert_eq!(newest["entries"][0]["seq"].as_u64(), Some(seqs[0]));
    assert_eq!(newest["rev"], all["rev"]);

    let wrong = reqwest::get(format!(
        "{}/sandbox/api/activity?kind=everything",
        sandbox.url
    ))
    .await
    .unwrap();
    assert_eq!(wrong.status(), 400);
    let error: Value = wrong.json().await.unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("`everything`"),
        "{error}"
    );

    sandbox.handle.clear_activity();
    let cleared = activity_json(&sandbox, "").await;
    assert_eq!(cleared["entries"], json!([]));
    assert_ne!(cleared["rev"], all["rev"]);
}

#[tokio::test]
async fn the_log_drops_the_oldest_entries_beyond_its_limit() {
    let sandbox = start(SandboxConfig::new()).await;
    let http = reqwest::Client::new();
    let url = format!("{}{OPEN}/rooms?app_id=sandbox-app", sandbox.url);
    for _ in 0..=ACTIVITY_LIMIT {
        // Refused without a token, and recorded all the same.
        let answer = http.get(&url).send().await.unwrap();
        assert_eq!(answer.status(), 401);
    }
    let activity = sandbox.handle.activity();
    assert_eq!(activity.len(), ACTIVITY_LIMIT);
    assert_eq!(activity[0].seq, 2, "the first call was dropped");
    assert_eq!(activity.last().unwrap().seq, 1 + ACTIVITY_LIMIT as u64);
    let call = activity[0].call().unwrap();
    assert_eq!(call.errcode.as_deref(), Some("FC_INVALID_ACCESS_TOKEN"));
    assert_eq!(call.path, format!("{OPEN}/rooms"), "no query string");
}

#[tokio::test]
async fn no_secret_appears_in_the_activity() {
    let secret = "app-secret-4c1e";
    let callback_token = "callback-token-9f3a";
    let url = callback(|_| 200).await;
    let config = SandboxConfig::new()
        .secret(secret)
        .callback(url, callback_token)
        .time_scale(0.001);
    let sandbox = start(config).await;
    let answer = post_json(
        &format!("{}{OPEN}/auth/token", sandbox.url),
        json!({"app_id": "sandbox-app", "secret": secret}).to_string(),
    )
    .await;
    let token = answer["app_access_token"].as_str().unwrap().to_owned();
    assert!(verify_token(&sandbox, &token).await);
    let rooms_path = format!("{OPEN}/rooms?app_id=sandbox-app");
    let (status, _) = api_call(&sandbox, Method::GET, &rooms_path, Some(&token), None).await;
    assert_eq!(status, 200);
    wait_until("the seeded events are pushed", || {
        sandbox.handle.pushes().len() == 3
    })
    .await;

    let json = reqwest::get(format!("{}/sandbox/api/activity", sandbox.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let debug = format!("{:?}", sandbox.handle.activity());
    for text in [&json, &debug] {
        for leaked in [secret, token.as_str(), callback_token, "Bearer "] {
            assert!(
                !text.contains(leaked),
                "`{leaked}` is in the activity: {text}"
            );
        }
    }
    let token_call = calls(&sandbox)
        .into_iter()
        .find(|c| c.operation() == "auth/token")
        .unwrap();
    assert_eq!(token_call.request.as_ref().unwrap()["secret"], "[redacted]");
    assert_eq!(
        token_call.response.as_ref().unwrap()["app_access_token"],
        "[redacted]"
    );
    assert!(json.contains("\"kind\":\"push\""), "the pushes are there");
}

#[tokio::test]
async fn a_file_is_summarised_never_kept() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let uri = api
        .media()
        .upload(b"PNG".to_vec(), "image/png")
        .await
        .unwrap();
    api.media().download(&uri).await.unwrap();
    let calls = calls(&sandbox);
    let upload = calls
        .iter()
        .find(|c| c.operation() == "media/upload")
        .unwrap();
    assert_eq!(
        upload.request,
        Some(json!({"bytes": 3, "content_type": "image/png"}))
    );
    assert_eq!(
        upload.response.as_ref().unwrap()["content_uri"],
        uri.to_string()
    );
    let download = calls
        .iter()
        .find(|c| c.operation() == "media/download")
        .unwrap();
    assert_eq!(download.request, None);
    assert_eq!(
        download.response,
        Some(json!({"bytes": 3, "content_type": "image/png"}))
    );
}

#[tokio::test]
async fn the_inspector_draws_the_entries_on_the_server_with_its_filters() {
    let sandbox = start(SandboxConfig::new()).await;
    send_raw(&sandbox, duplicate_keys()).await;
    let inspector = |query: &'static str| {
        let url = format!("{}/sandbox/inspector{query}", sandbox.url);
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };

    let html = inspector("?kind=call&room=%21direct-alice%3Asandbox").await;
    assert!(
        html.contains(&format!(
            "<code>POST</code> <code>{OPEN}/message/send</code>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"sb-code\">FC_BAD_JSON</span>"),
        "{html}"
    );
    assert!(
        html.contains("<li>content.info.elements[1].key: duplicate key &quot;amount&quot;"),
        "the problem is listed, escaped: {html}"
    );
    assert!(
        html.contains("<details data-key="),
        "bodies are in details: {html}"
    );
    assert!(html.contains("<option value=\"call\" selected>"), "{html}");
    assert!(
        html.contains("<option value=\"!direct-alice:sandbox\" selected>"),
        "{html}"
    );
    for control in ["activity-room", "activity-kind"] {
        assert!(
            html.contains(&format!("<label for=\"{control}\">")),
            "{control}"
        );
        assert!(html.contains(&format!("id=\"{control}\"")), "{control}");
    }
    assert!(html.contains("<script src=\"/sandbox/inspector.js\" defer></script>"));
    assert!(!html.contains("<script>"), "no inline script");
    assert!(html.contains("<a href=\"/\">"), "a link back to the page");

    let pushes = inspector("?kind=push").await;
    assert!(!pushes.contains("message/send"), "{pushes}");
    assert!(pushes.contains("No activity yet."), "{pushes}");
    let other_room = inspector("?room=%21finance%3Asandbox").await;
    assert!(!other_room.contains("message/send"), "{other_room}");

    let script = reqwest::get(format!("{}/sandbox/inspector.js", sandbox.url))
        .await
        .unwrap();
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let source = script.text().await.unwrap();
    assert!(source.contains("/sandbox/api/activity"));
    assert!(!source.contains("innerHTML"), "nodes are built from data");

    let main = page(&sandbox, "alice", &room("direct-alice")).await;
    assert!(
        main.contains("href=\"/sandbox/inspector\""),
        "the page links to it"
    );
    // The page's own policy applies: its script only.
    let answer = reqwest::get(format!("{}/sandbox/inspector", sandbox.url))
        .await
        .unwrap();
    let csp = answer.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
}
