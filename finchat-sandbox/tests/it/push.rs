//! The sandbox's pushes on FinChat's schedule (retried, then dropped after the failure limit, in
//! order) and its state file across a restart.

use std::sync::Arc;

use finchat_sandbox::{
    ActivityEntry, PushActivity, PushAnswer, PushOutcome, PushState, Sandbox, SandboxConfig,
};
use serde_json::json;

use crate::server::{Reply, TestServer};
use crate::support::{approval_card, client, event_ids, fcid, room, send_card, start, wait_until};

#[tokio::test]
async fn a_callback_that_fails_twice_is_retried_until_it_answers_200() {
    let server = TestServer::start(|_, earlier| {
        if earlier.len() < 2 {
            Reply::json(500, json!({"error": "down"}))
        } else {
            Reply::ok(json!({}))
        }
    })
    .await;
    let config = SandboxConfig::new()
        .callback(format!("{}/callback", server.url()), "callback-token")
        .time_scale(0.001);
    let sandbox = start(config).await;
    wait_until("three pushes are done", || {
        sandbox.handle.pushes().len() == 3
    })
    .await;
    let pushes = sandbox.handle.pushes();
    let attempts: Vec<u32> = pushes.iter().map(|p| p.attempts).collect();
    assert_eq!(attempts, [3, 1, 1]);
    assert!(pushes.iter().all(|p| p.outcome == PushOutcome::Delivered));
    let order: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            assert_eq!((r.method.as_str(), r.path.as_str()), ("PUT", "/callback"));
            r.json()["event"]["event_id"].as_str().unwrap().to_owned()
        })
        .collect();
    let ids = event_ids(&sandbox);
    assert_eq!(
        order,
        [&ids[0], &ids[0], &ids[0], &ids[1], &ids[2]].map(String::clone)
    );
}

#[tokio::test]
async fn after_an_hour_of_failures_the_backlog_is_dropped_and_a_new_event_gets_one_try() {
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let is_up = Arc::clone(&up);
    let server = TestServer::start(move |_, _| {
        if is_up.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::ok(json!({}))
        } else {
            Reply::json(503, json!({}))
        }
    })
    .await;
    // An hour is 360 ms here.
    let config = SandboxConfig::new()
        .callback(format!("{}/callback", server.url()), "t")
        .time_scale(0.0001);
    let sandbox = start(config).await;
    wait_until("the backlog is dropped", || {
        sandbox.handle.pushes().len() == 3
    })
    .await;
    let pushes = sandbox.handle.pushes();
    assert!(
        pushes.iter().all(|p| p.outcome == PushOutcome::Dropped),
        "{pushes:?}"
    );
    assert!(pushes[0].attempts > 3, "{pushes:?}");
    assert_eq!(
        (pushes[1].attempts, pushes[2].attempts),
        (0, 0),
        "dropped unsent"
    );
    // The activity log tells the same: the first push with each refused attempt, the backlog
    // dropped unsent, without one; and the inspector says so.
    let activity = sandbox.handle.activity();
    let logged: Vec<&PushActivity> = activity.iter().filter_map(ActivityEntry::push).collect();
    let states: Vec<(&str, PushState, usize)> = logged
        .iter()
        .map(|p| (p.event_id.as_str(), p.state, p.attempts.len()))
        .collect();
    let recorded: Vec<(&str, PushState, usize)> = pushes
        .iter()
        .map(|p| (p.event_id.as_str(), PushState::Dropped, p.attempts as usize))
        .collect();
    assert_eq!(states, recorded);
    assert!(
        logged[0]
            .attempts
            .iter()
            .all(|a| a.answer == PushAnswer::Refused { status: 503 }),
        "{:?}",
        logged[0]
    );
    let inspector = reqwest::get(format!("{}/sandbox/inspector?kind=push", sandbox.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        inspector
            .matches("No attempt: dropped unsent with the backlog.")
            .count(),
        2,
        "{inspector}"
    );

    let alice = fcid("alice");
    sandbox
        .handle
        .say(&alice, &room("direct-alice"), "还在吗")
        .unwrap();
    wait_until("the new event is tried", || {
        sandbox.handle.pushes().len() == 4
    })
    .await;
    let new = &sandbox.handle.pushes()[3];
    assert_eq!((new.outcome, new.attempts), (PushOutcome::Dropped, 1));

    up.store(true, std::sync::atomic::Ordering::SeqCst);
    sandbox
        .handle
        .say(&alice, &room("direct-alice"), "在吗")
        .unwrap();
    wait_until("the next event is delivered", || {
        sandbox.handle.pushes().len() == 5
    })
    .await;
    assert_eq!(sandbox.handle.pushes()[4].outcome, PushOutcome::Delivered);
    assert_eq!(
        server.requests().last().unwrap().json()["event"]["content"]["body"],
        "在吗"
    );
}
fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("finchat-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::remove_file(&path).ok();
    path
}

#[tokio::test]
async fn the_state_file_keeps_the_world_across_a_restart() {
    let path = temp_path("restart.json");
    let first = start(SandboxConfig::new().state_file(&path)).await;
    let api = client(&first);
    let card = send_card(&api, &room("direct-alice"), approval_card()).await;
    let uri = api
        .media()
        .upload(b"PNG".to_vec(), "image/png")
        .await
        .unwrap();
    let group = api
        .rooms()
        .create()
        .name("差旅")
        .fcid(fcid("carol"))
        .send()
        .await
        .unwrap();
    first
        .handle
        .say(&fcid("alice"), &room("direct-alice"), "你好")
        .unwrap();
    let events = first.handle.events();
    first.shutdown().await;

    let second = start(SandboxConfig::new().state_file(&path)).await;
    assert_eq!(second.handle.events(), events);
    let messages = second.handle.messages(&room("direct-alice"));
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].event_id, card);
    assert_eq!(messages[0].content.card(), Some(&approval_card()));
    let api = client(&second);
    assert_eq!(
        api.media().download(&uri).await.unwrap().bytes.as_ref(),
        b"PNG"
    );
    assert!(api.rooms().list().await.unwrap().contains(&group));
    // Ids go on from where they were.
    let next = second
        .handle
        .say(&fcid("alice"), &room("direct-alice"), "再见")
        .unwrap();
    assert!(next.as_str() > events.last().unwrap().event_id.as_str());
    second.shutdown().await;

    std::fs::write(&path, "not json").unwrap();
    let error = Sandbox::serve(SandboxConfig::new().state_file(&path), "127.0.0.1:0")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert!(error.to_string().contains("cannot be read"), "{error}");
    std::fs::remove_file(&path).ok();
}

#[tokio::test]
async fn unanswered_pushes_count_until_the_callback_answers_each_event_once() {
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let is_up = Arc::clone(&up);
    let server = TestServer::start(move |_, _| {
        if is_up.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::ok(json!({}))
        } else {
            Reply::json(503, json!({}))
        }
    })
    .await;
    let config = SandboxConfig::new()
        .callback(format!("{}/callback", server.url()), "callback-token")
        .time_scale(0.001);
    let sandbox = start(config).await;
    // The first of the three room creations is answered (refused) and waits for its retry; the
    // other two have not been pushed.
    wait_until("the first push is answered", || {
        !server.requests().is_empty()
    })
    .await;
    wait_until("two events are unanswered", || {
        sandbox.handle.unanswered_pushes() == 2
    })
    .await;
    up.store(true, std::sync::atomic::Ordering::SeqCst);
    wait_until("every event is answered", || {
        sandbox.handle.unanswered_pushes() == 0
    })
    .await;
    assert_eq!(sandbox.handle.pushes().len(), 3);

    let polling = start(SandboxConfig::new()).await;
    assert_eq!(
        polling.handle.unanswered_pushes(),
        0,
        "no callback, nothing to answer"
    );
}
