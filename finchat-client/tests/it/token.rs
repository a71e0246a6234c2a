//! The app access token: one fetch for many calls, one fetch for many concurrent calls, a refresh
//! before expiry, and one replacement (and one retry) when the server refuses it.

use std::sync::Arc;
use std::time::Duration;

use finchat_client::token::{AccessToken, InMemoryTokenStore, TokenStore};
use serde_json::json;

use crate::server::{Reply, TestServer};

/// Any authenticated call will do: the media download is a GET with a Bearer token.
async fn any_call(client: &finchat_client::Client) {
    client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_token_request_is_exact() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await;
    let client = server.client().build().unwrap();
    any_call(&client).await;
    let token = &server.requests()[0];
    assert_eq!(token.method, "POST");
    assert_eq!(token.path, "/api/v1/finchat/open-api/auth/token");
    assert_eq!(token.header("content-type"), Some("application/json"));
    assert_eq!(token.header("authorization"), None);
    assert_eq!(
        token.json(),
        json!({"app_id": "app-1", "secret": "test-secret-value"})
    );
    assert_eq!(
        server.calls()[0].header("authorization"),
        Some("Bearer tok-1")
    );
}

#[tokio::test]
async fn many_calls_share_one_token() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await;
    let client = server.client().build().unwrap();
    for _ in 0..5 {
        any_call(&client).await;
    }
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.calls().len(), 5);
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch() {
    let server = TestServer::start(|request, earlier| {
        if request.is_token() {
            // Slow, so that every call arrives while the first fetch is under way.
            Reply::token(earlier.iter().filter(|r| r.is_token()).count() + 1, 3600)
                .after(Duration::from_millis(200))
        } else {
            Reply::bytes("image/png", b"png")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { any_call(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
    assert_eq!(server.token_requests(), 1);
    assert!(
        server
            .calls()
            .iter()
            .all(|c| c.header("authorization") == Some("Bearer tok-1"))
    );
}

#[tokio::test]
async fn a_token_is_replaced_before_it_expires() {
    let server = TestServer::start(|request, earlier| {
        if request.is_token() {
            Reply::token(earlier.iter().filter(|r| r.is_token()).count() + 1, 2)
        } else {
            Reply::bytes("image/png", b"png")
        }
    })
    .await;
    let client = server
        .client()
        .refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    any_call(&client).await;
    any_call(&client).await;
    assert_eq!(
        server.token_requests(),
        1,
        "still fresh: more than the margin left"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    any_call(&client).await;
    assert_eq!(
        server.token_requests(),
        2,
        "within the margin of expiry: replaced"
    );
    assert_eq!(
        server.calls()[2].header("authorization"),
        Some("Bearer tok-2")
    );
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_call_retried_once() {
    let server = TestServer::with_tokens(|request, _| {
        if request.header("authorization") == Some("Bearer tok-1") {
            Reply::json(
                401,
                json!({"errcode": "FC_INVALID_ACCESS_TOKEN", "error": "access_token错误"}),
            )
        } else {
            Reply::bytes("image/png", b"png")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    any_call(&client).await;
    assert_eq!(server.token_requests(), 2);
    let calls = server.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].header("authorization"), Some("Bearer tok-2"));
}

#[tokio::test]
async fn a_token_refused_twice_is_an_error_after_one_retry() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::json(403, json!({"errcode": "FC_UNKNOWN", "error": ""}))
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.calls().len(), 2);
}

#[tokio::test]
async fn a_wrong_secret_is_an_error_that_does_not_show_the_secret() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            401,
            json!({"errcode": "FC_INVALID_SECRET", "error": "secret错误"}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client.access_token().await.unwrap_err();
    assert_eq!(
        error.fc_code().map(|c| c.as_str()),
        Some("FC_INVALID_SECRET")
    );
    assert_eq!(error.class(), finchat_client::ErrorClass::Unauthorized);
    let shown = format!("{error} {error:?} {client:?}");
    assert!(!shown.contains("test-secret-value"), "{shown}");
}

#[tokio::test]
async fn tokens_never_show_in_debug_output() {
    let server = TestServer::with_tokens(|_, _| Reply::ok(json!({}))).await;
    let client = server.client().build().unwrap();
    let token = client.access_token().await.unwrap();
    assert!(!format!("{token:?}").contains("tok-1"));
    assert_eq!(token.token.expose(), "tok-1");
}

#[tokio::test]
async fn a_client_that_does_not_fetch_reads_the_shared_store() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await;
    let store: Arc<InMemoryTokenStore> = Arc::new(InMemoryTokenStore::new());
    store
        .save(AccessToken::new("shared-token", Duration::from_secs(3600)))
        .await;
    let follower = server
        .client()
        .token_store(store.clone())
        .fetch_tokens(false)
        .build()
        .unwrap();
    any_call(&follower).await;
    assert_eq!(server.token_requests(), 0);
    assert_eq!(
        server.calls()[0].header("authorization"),
        Some("Bearer shared-token")
    );
}
