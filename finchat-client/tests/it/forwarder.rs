//! The forwarder: polling kept events, with and without a position; events kept as raw JSON.

use serde_json::json;

use crate::server::{Reply, TestServer, not_expected};

const EVENTS: &str = "/api/v1/finchat/privilege-api/forwarder/app-1/events";

/// The API's sample answer.
fn page() -> serde_json::Value {
    json!({
        "events": [{
            "app_id": "5cf29aec6ccfd004ccd28075",
            "content": {"action": "submit", "info": {"key1": "value1", "key2": "value2", "key3": "value3"}},
            "event_id": "$123:example.org",
            "type": "finstore.room.interactcui",
            "sender": "@alice:example.org",
            "timestamp": 1432735824653_u64,
            "room_id": "!jEsUZKDJdhlrceRyVU:example.org",
            "room_type": "direct_room",
            "fcid": "@alice:example.org",
            "origin_event": "$153243582843Pxrdn:example.org"
        }],
        "since": "$123:example.org"
    })
}

#[tokio::test]
async fn events_after_a_position_are_read_raw() {
    let server = TestServer::with_tokens(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", EVENTS) => Reply::ok(page()),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let page = client
        .forwarder()
        .events()
        .since("$100:example.org")
        .page_size(50)
        .send()
        .await
        .unwrap();
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        call.query.as_deref(),
        Some("since=%24100%3Aexample.org&page_size=50")
    );
    assert_eq!(call.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(call.header("content-type"), None);
    assert!(call.body.is_empty());
    assert_eq!(page.since.as_deref(), Some("$123:example.org"));
    assert_eq!(page.events.len(), 1);
    // Kept whole, as the callback would have received it.
    assert_eq!(page.events[0], self::page()["events"][0]);
}

#[tokio::test]
async fn the_first_poll_sends_no_position() {
    let server = TestServer::with_tokens(|r, _| match r.path.as_str() {
        EVENTS => Reply::ok(json!({"events": [], "since": ""})),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let page = client.forwarder().events().since("").send().await.unwrap();
    assert_eq!(server.calls()[0].query, None);
    assert!(page.events.is_empty());
    assert_eq!(page.since, None, "an empty since is no position");
}

#[tokio::test]
async fn a_poll_is_retried_after_a_503() {
    let server = TestServer::with_tokens(|_, earlier| {
        if earlier.iter().any(|r| r.path == EVENTS) {
            Reply::ok(page())
        } else {
            Reply::json(503, json!({"error": "busy"}))
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let page = client.forwarder().events().send().await.unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(server.calls().len(), 2);
}
