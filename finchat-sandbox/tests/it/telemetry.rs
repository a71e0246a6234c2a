//! What the sandbox traces: each push attempt in a span with the event and the attempt, each refused
//! API call at DEBUG with its errcode and call, and never the callback token or a secret.

use finchat_sandbox::SandboxConfig;
use finchat_test_support::logs::Logs;
use serde_json::json;

use crate::server::{Reply, TestServer};
use crate::support::{client, start, wait_until};

#[tokio::test]
async fn each_push_attempt_has_a_span_with_the_event_and_the_attempt() {
    let server = TestServer::start(|_, earlier| {
        if earlier.is_empty() {
            Reply::json(500, json!({"error": "down"}))
        } else {
            Reply::ok(json!({}))
        }
    })
    .await;
    let (logs, _guard) = Logs::capture();
    let config = SandboxConfig::new()
        .callback(format!("{}/callback", server.url()), "callback-token-5e1d")
        .time_scale(0.001);
    let sandbox = start(config).await;
    wait_until("the first push is delivered", || {
        !sandbox.handle.pushes().is_empty()
    })
    .await;
    let first = &sandbox.handle.events()[0].event_id;
    let event_id = format!("event_id={first}");
    for attempt in ["attempt=1", "attempt=2"] {
        let fields = [&event_id, "event_type=finstore.room.create", attempt];
        logs.closed("finchat.sandbox.push", &fields);
    }
    logs.assert_never("callback-token-5e1d");
}

#[tokio::test]
async fn a_refused_api_call_is_logged_at_debug_with_its_errcode_and_call() {
    let sandbox = start(SandboxConfig::new().secret("right-secret-8b2c")).await;
    let (logs, _guard) = Logs::capture();
    let wrong = sandbox
        .client()
        .secret("wrong-secret-41d7")
        .build()
        .unwrap();
    wrong.rooms().list().await.unwrap_err();
    let refused = logs.line_with(&["DEBUG", "api call refused", "FC_INVALID_SECRET"]);
    assert!(
        refused
            .contains("finchat.sandbox.api{method=POST path=/api/v1/finchat/open-api/auth/token}"),
        "{refused}"
    );
    client(&sandbox).rooms().list().await.unwrap();
    logs.assert_never("right-secret-8b2c");
    logs.assert_never("wrong-secret-41d7");
    logs.assert_never("Bearer");
}
