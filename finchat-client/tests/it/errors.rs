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

/// A visibility answer of about `size` bytes: valid JSON, padded with one long field.
fn large_answer(size: usize) -> serde_json::Value {
    json!({"unlimited": true, "departments": [], "fcids": [], "pad": "x".repeat(size)})
}

#[tokio::test]
async fn an_answer_over_the_default_size_cap_is_an_error_naming_the_call() {
    let server = TestServer::with_tokens(|_, _| Reply::ok(large_answer(17 << 20))).await;
    let client = server.client().build().unwrap();
    let error = client.apps().visibility().await.unwrap_err();
    let shown = error.to_string();
    assert!(error.is_malformed_response(), "{shown}");
    assert!(
        shown.starts_with("GET /api/v1/finchat/open-api/apps/app-1/visibility: "),
        "{shown}"
    );
    assert!(shown.contains("16777216 bytes"), "{shown}");
    assert!(shown.contains("max_answer_size"), "{shown}");
    assert_eq!(server.calls().len(), 1, "a size refusal is not retried");
}

#[tokio::test]
async fn an_answer_under_the_cap_is_read() {
    let server = TestServer::with_tokens(|_, _| Reply::ok(large_answer(4000))).await;
    let client = server.client().max_answer_size(8192).build().unwrap();
    assert!(client.apps().visibility().await.unwrap().unlimited);
}

/// A server that answers one request with a chunked body (no `Content-Length`) of `size` bytes
/// of JSON, written in 1 KiB chunks, and counts the bytes it managed to write.
async fn chunked_server(size: usize) -> (std::net::SocketAddr, tokio::task::JoinHandle<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                return 0;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let body = serde_json::to_vec(&large_answer(size)).unwrap();
        let mut written = 0;
        for chunk in body.chunks(1024) {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
            if socket.write_all(&framed).await.is_err() {
                return written;
            }
            written += chunk.len();
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
        written
    });
    (addr, task)
}

#[tokio::test]
async fn the_size_cap_holds_without_a_content_length() {
    let (addr, server) = chunked_server(32 << 20).await;
    let store = std::sync::Arc::new(finchat_client::token::InMemoryTokenStore::new());
    finchat_client::token::TokenStore::save(
        &*store,
        finchat_client::token::AccessToken::new("tok", Duration::from_secs(3600)),
    )
    .await;
    let client = finchat_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .app_id("app-1")
        .secret("s")
        .token_store(store)
        .fetch_tokens(false)
        .retry(finchat_client::RetryPolicy::none())
        .max_answer_size(64 << 10)
        .build()
        .unwrap();
    let error = client.apps().visibility().await.unwrap_err();
    assert!(error.to_string().contains("65536 bytes"), "{error}");
    drop(client);
    // The client stopped reading soon after the cap, so the server could not write it all.
    let written = server.await.unwrap();
    assert!(
        written < 32 << 20,
        "the whole answer was read: {written} bytes"
    );
}
