//! Token verify (`POST …/auth/token/verify`, newest document only): whether a token is still valid.

use finchat_client::Secret;
use serde_json::json;

use crate::server::{Reply, TestServer};
use crate::support::snapshot;

#[tokio::test]
async fn verify_token_posts_the_app_id_and_token_and_reads_the_result() {
    let server = TestServer::with_tokens(|request, _| {
        let valid = request.json()["app_access_token"] == "90fa4652-5cd1-4280-ae20-e3d381f9b1fa";
        Reply::ok(json!({ "result": valid }))
    })
    .await;
    let client = server.client().build().unwrap();
    let valid = client
        .verify_token(&Secret::new("90fa4652-5cd1-4280-ae20-e3d381f9b1fa"))
        .await
        .unwrap();
    assert!(valid);
    let stale = client
        .verify_token(&Secret::new("18eac85d35a26f989317ad4f02e8bbbb"))
        .await
        .unwrap();
    assert!(!stale);
    assert_eq!(
        server.token_requests(),
        0,
        "verify needs no token of its own"
    );
    let call = &server.calls()[0];
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/api/v1/finchat/open-api/auth/token/verify")
    );
    assert_eq!(call.header("authorization"), None);
    assert_eq!(call.header("content-type"), Some("application/json"));
    snapshot("client_auth_token_verify", &call.json());
}

#[tokio::test]
async fn a_token_the_server_refuses_to_verify_as_invalid_reads_as_not_valid() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::json(
            401,
            json!({"errcode": "FC_INVALID_ACCESS_TOKEN", "error": "invalid token"}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    assert!(!client.verify_token(&Secret::new("t")).await.unwrap());
}

#[tokio::test]
async fn verify_errors_never_quote_the_token() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::json(
            403,
            json!({"errcode": "FC_APP_NOT_FOUND", "error": "no app"}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client
        .verify_token(&Secret::new("a-token-that-must-not-show"))
        .await
        .unwrap_err();
    assert!(
        !error.to_string().contains("a-token-that-must-not-show"),
        "{error}"
    );
    assert_eq!(error.fc_code(), Some(&finchat_client::FcCode::AppNotFound));
}

#[tokio::test]
async fn a_verify_answer_that_echoes_the_token_is_not_quoted() {
    // A proxy's error page that repeats the request, with no errcode of the API's.
    let server = TestServer::with_tokens(|request, _| {
        Reply::json(
            400,
            json!({"message": "bad request", "echo": request.json()}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    let error = client
        .verify_token(&Secret::new("a-token-that-must-not-show"))
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("a-token-that-must-not-show"), "{shown}");
}
