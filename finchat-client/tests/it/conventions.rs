//! What a Rust user expects of an HTTP client library: a `User-Agent`, their own `reqwest::Client`
//! when they have one, `Retry-After` honoured, and handlers that take `?` on any error.

use std::time::{Duration, Instant};

use finchat_client::{Delivery, ErrorClass, HandlerError};
use finchat_cui::MessageContent;
use serde_json::json;

use crate::server::{Recorded, Reply, TestServer};

fn sent(request: &Recorded) -> Reply {
    let room = request.json()["room_ids"][0].clone();
    Reply::ok(
        json!({"room_id_result": [{"room_id": room, "errcode": "", "error": "", "event_id": "$e:x"}]}),
    )
}

fn hello() -> MessageContent {
    MessageContent::text("hello")
}

fn room() -> finchat_cui::RoomId {
    "!r:example.org".parse().unwrap()
}

#[tokio::test]
async fn every_call_names_the_library_in_its_user_agent() {
    let server = TestServer::with_tokens(|r, _| sent(r)).await;
    let client = server.client().build().unwrap();
    client
        .messages()
        .send(hello())
        .room(room())
        .send()
        .await
        .unwrap();
    let expected = format!("finchat-client/{}", env!("CARGO_PKG_VERSION"));
    for request in server.requests() {
        assert_eq!(request.header("user-agent"), Some(expected.as_str()));
    }
}

#[tokio::test]
async fn a_callers_reqwest_client_is_used_with_its_own_headers() {
    let server = TestServer::with_tokens(|r, _| sent(r)).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tenant", "acme".parse().unwrap());
    let theirs = reqwest::Client::builder()
        .user_agent("acme-bot/2")
        .default_headers(headers)
        .build()
        .unwrap();
    let client = server.client().http_client(theirs).build().unwrap();
    client
        .messages()
        .send(hello())
        .room(room())
        .send()
        .await
        .unwrap();
    let send = &server.calls()[0];
    assert_eq!(send.header("x-tenant"), Some("acme"));
    assert_eq!(send.header("user-agent"), Some("acme-bot/2"));
    // Unless the app names one itself.
    let theirs = reqwest::Client::new();
    let client = server
        .client()
        .http_client(theirs)
        .user_agent("approvals/1.4")
        .build()
        .unwrap();
    client
        .messages()
        .send(hello())
        .room(room())
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.calls()[1].header("user-agent"),
        Some("approvals/1.4")
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_the_send_goes_once() {
    let server = TestServer::with_tokens(|request, earlier| {
        if earlier.iter().any(|r| !r.is_token()) {
            sent(request)
        } else {
            Reply::json(429, json!({"errcode": "FC_UNKNOWN", "error": "slow down"}))
                .header("retry-after", "1")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    let report = client
        .messages()
        .send(hello())
        .room(room())
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    assert_eq!(server.calls().len(), 2);
    // The test client's backoff is 10-50 ms: only the server's second explains the wait.
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_503_with_retry_after_is_honoured_for_a_call_that_may_be_repeated() {
    let server = TestServer::with_tokens(|_, earlier| {
        if earlier.iter().any(|r| !r.is_token()) {
            Reply::bytes("image/png", b"png")
        } else {
            Reply::json(503, json!({})).header("retry-after", "1")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    let download = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(&download.bytes[..], b"png");
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_returned_to_the_caller_at_once() {
    let server =
        TestServer::with_tokens(|_, _| Reply::json(429, json!({})).header("retry-after", "3600"))
            .await;
    let client = server
        .client()
        .max_retry_after(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.calls().len(), 1);
    // A send refused the same way fails its target, certainly not sent.
    let report = client
        .messages()
        .send(hello())
        .room(room())
        .send()
        .await
        .unwrap();
    assert!(matches!(
        &report.results[0].delivery,
        Delivery::Failed { .. }
    ));
}

#[derive(Debug)]
struct Ledger;

impl std::fmt::Display for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the ledger is closed")
    }
}

impl std::error::Error for Ledger {}

#[test]
fn a_handler_takes_question_mark_on_its_own_errors_and_on_anyhow() {
    fn own() -> Result<(), HandlerError> {
        Err(Ledger)?
    }
    fn with_anyhow() -> Result<(), HandlerError> {
        let failed: anyhow::Result<()> = Err(anyhow::anyhow!("no budget left"));
        failed?;
        Ok(())
    }
    fn with_io() -> Result<(), HandlerError> {
        std::fs::read("/nonexistent/finchat")?;
        Ok(())
    }
    assert_eq!(own().unwrap_err().to_string(), "the ledger is closed");
    assert_eq!(with_anyhow().unwrap_err().to_string(), "no budget left");
    assert!(with_io().is_err());
}
