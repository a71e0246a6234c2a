//! Errors: every documented `errcode` is read as itself, `errcode` wins over the HTTP status, and
//! transport failures, time-outs and unreadable answers are told apart.

use std::time::Duration;

use finchat_client::{ErrorClass, FcCode};
use serde_json::json;

use crate::server::{Reply, TestServer};

async fn download_error(
    reply: impl Fn() -> Reply + Send + Sync + 'static,
) -> finchat_client::Error {
    let server = TestServer::with_tokens(move |_, _| reply()).await;
    let client = server
        .client()
        .retry(finchat_client::RetryPolicy::none())
        .build()
        .unwrap();
    client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn every_documented_errcode_is_read_as_itself() {
    for code in FcCode::KNOWN
        .iter()
        .filter(|c| **c != "FC_INVALID_ACCESS_TOKEN")
    {
        let error = download_error(move || {
            Reply::json(
                400,
                json!({"errcode": code, "error": "说明", "data": {"x": 1}}),
            )
        })
        .await;
        assert_eq!(error.fc_code().map(FcCode::as_str), Some(*code));
        assert_eq!(error.data(), Some(&json!({"x": 1})));
        assert!(error.to_string().contains(code), "{error}");
    }
}

#[tokio::test]
async fn an_unknown_errcode_is_kept() {
    let error = download_error(|| {
        Reply::json(
            418,
            json!({"errcode": "FC_TEAPOT", "error": "short and stout"}),
        )
    })
    .await;
    assert_eq!(error.fc_code(), Some(&FcCode::Other("FC_TEAPOT".into())));
}

#[tokio::test]
async fn errcode_wins_over_a_success_status() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::ok(json!({"errcode": "FC_FORBIDDEN", "error": "应用无权限"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client
        .messages()
        .send_webhook("hook-1", finchat_cui::MessageContent::text("hi"))
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Forbidden);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn fc_unknown_falls_back_to_the_http_status() {
    let error =
        download_error(|| Reply::json(404, json!({"errcode": "FC_UNKNOWN", "error": "未知错误"})))
            .await;
    assert_eq!(error.class(), ErrorClass::NotFound);
    let error = download_error(|| Reply::json(502, json!("bad gateway"))).await;
    assert_eq!(
        (error.fc_code(), error.class()),
        (Some(&FcCode::Unknown), ErrorClass::Server)
    );
}

#[tokio::test]
async fn an_unreadable_answer_is_malformed() {
    let server =
        TestServer::with_tokens(|_, _| Reply::bytes("application/json", b"{not json")).await;
    let client = server.client().build().unwrap();
    let error = client
        .messages()
        .send_webhook("hook-1", finchat_cui::MessageContent::text("hi"))
        .await
        .unwrap_err();
    assert!(error.is_malformed_response(), "{error}");
    assert_eq!(error.class(), ErrorClass::MalformedResponse);
}

#[tokio::test]
async fn no_answer_in_time_is_a_timeout() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::bytes("image/png", b"late").after(Duration::from_secs(5))
    })
    .await;
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .retry(finchat_client::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let client = finchat_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .app_id("app-1")
        .secret("s")
        .retry(finchat_client::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.access_token().await.unwrap_err();
    assert!(error.is_transport(), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("POST /api/v1/finchat/open-api/auth/token: request failed"),
        "{error}"
    );
    // The cause chain, as a CLI or anyhow prints it, says each thing once and ends at the cause.
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    for pair in chain.windows(2) {
        assert!(!pair[0].contains(&pair[1]), "said twice: {chain:?}");
    }
    assert!(
        chain.last().unwrap().to_lowercase().contains("refused"),
        "{chain:?}"
    );
}

#[test]
fn a_client_needs_its_settings() {
    let missing = finchat_client::Client::builder()
        .app_id("a")
        .secret("s")
        .build()
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "client configuration: base_url is required"
    );
    let bad = finchat_client::Client::builder()
        .base_url("ftp://x")
        .app_id("a")
        .secret("s")
        .build()
        .unwrap_err();
    assert_eq!(bad.class(), ErrorClass::Local);
}
