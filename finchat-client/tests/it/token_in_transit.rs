//! Where the app's credentials travel: never on through a redirect (reqwest would send the body,
//! the app secret with it, again to wherever a 307 points), and never to a plain-http IAM from a
//! client whose FinChat server is https.

use finchat_client::{IamHost, Secret};
use serde_json::json;

use crate::server::{Reply, TestServer, not_expected};
use crate::token_answers::download;

/// Where a redirect points: records what arrives and answers as a FinChat server would.
async fn elsewhere() -> TestServer {
    TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await
}

/// A redirect with `status` (307, 308, 302) to `location`.
pub(crate) fn redirect(status: u16, location: String) -> Reply {
    let mut reply = Reply::bytes("text/plain", b"");
    reply.status = axum::http::StatusCode::from_u16(status).unwrap();
    reply.header("location", location)
}

/// A server that answers every request with a 307 to the same path (and a query) on `target`.
pub(crate) async fn redirecting_to(target: &TestServer) -> TestServer {
    let url = target.url();
    TestServer::start(move |r, _| redirect(307, format!("{url}{}?x=1", r.path))).await
}

#[tokio::test]
async fn the_token_call_does_not_follow_a_redirect() {
    let target = elsewhere().await;
    let redirecting = redirecting_to(&target).await;
    let client = redirecting.client().build().unwrap();
    let error = client.access_token().await.unwrap_err();
    assert!(
        target.requests().is_empty(),
        "the secret went on: {:?}",
        target.requests()
    );
    assert_eq!(redirecting.token_requests(), 1, "a redirect is not retried");
    let shown = error.to_string();
    assert!(shown.contains("redirect"), "{shown}");
    assert!(shown.contains(&target.url()), "{shown}");
    assert!(!shown.contains("x=1"), "{shown}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
}

#[tokio::test]
async fn an_api_call_with_the_app_token_does_not_follow_a_redirect() {
    let target = elsewhere().await;
    let redirecting = {
        let url = target.url();
        TestServer::with_tokens(move |r, _| redirect(308, format!("{url}{}", r.path))).await
    };
    let client = redirecting.client().build().unwrap();
    let error = download(&client).await.unwrap_err();
    assert!(target.requests().is_empty(), "{:?}", target.requests());
    assert!(error.to_string().contains("redirect"), "{error}");
}

#[tokio::test]
async fn an_answer_that_came_through_the_callers_redirecting_client_is_refused() {
    let target = elsewhere().await;
    let redirecting = TestServer::with_tokens({
        let url = target.url();
        move |r, _| redirect(302, format!("{url}{}", r.path))
    })
    .await;
    // The caller's own client follows redirects (reqwest's default).
    let client = redirecting
        .client()
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let error = download(&client).await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.contains("redirect"), "{shown}");
    assert!(shown.contains("Policy::none"), "{shown}");
}

/// An IAM that answers every token request.
async fn iam() -> TestServer {
    TestServer::start(|r, _| {
        if r.path.ends_with("/token") {
            Reply::ok(json!({"access_token": "a", "token_type": "bearer", "expires_in": 300}))
        } else {
            not_expected(r)
        }
    })
    .await
}

#[tokio::test]
async fn a_plain_http_iam_is_refused_when_the_finchat_server_is_https() {
    let iam = iam().await;
    let client = finchat_client::Client::builder()
        .base_url("https://finchat.example.invalid")
        .app_id("app-1")
        .secret("test-secret-value")
        .build()
        .unwrap();
    let host = IamHost::parse(&format!("{}/auth", iam.url())).unwrap();
    let error = client
        .identity()
        .exchange_code(&host, "code", "https://app.example.org/cb")
        .await
        .unwrap_err();
    assert!(iam.requests().is_empty(), "{:?}", iam.requests());
    assert_eq!(error.class(), finchat_client::ErrorClass::Local, "{error}");
    assert!(error.to_string().contains("http://"), "{error}");
    let error = client
        .identity()
        .userinfo(&host, &Secret::new("user-token"))
        .await
        .unwrap_err();
    assert!(iam.requests().is_empty(), "{error}");
}

#[tokio::test]
async fn a_plain_http_iam_is_fine_when_the_finchat_server_is_http_too() {
    let iam = iam().await;
    let client = iam.client().build().unwrap();
    let host = IamHost::parse(&format!("{}/auth", iam.url())).unwrap();
    client
        .identity()
        .exchange_code(&host, "code", "https://app.example.org/cb")
        .await
        .unwrap();
    assert_eq!(iam.requests().len(), 1);
}

#[tokio::test]
async fn the_refusal_of_a_plain_http_iam_does_not_show_its_user_info() {
    let client = finchat_client::Client::builder()
        .base_url("https://finchat.example.invalid")
        .app_id("app-1")
        .secret("test-secret-value")
        .build()
        .unwrap();
    let host = IamHost::parse("http://admin:iam-password@127.0.0.1:9/auth").unwrap();
    let error = client
        .identity()
        .exchange_code(&host, "code", "https://app.example.org/cb")
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("http://127.0.0.1:9/"), "{shown}");
    assert!(!shown.contains("iam-password"), "{shown}");
}
