//! FuXin over HTTP: the exact token requests on their two hosts, the error envelope, retries, one
//! renewal on 401. The schedule of the token source is in `fuxin_schedule`, on a
//! paused clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use finchat_client::fuxin::{Client, ClientBuilder, TokenSource};
use finchat_client::{RetryPolicy, Secret};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};
use crate::support::snapshot;

use finchat_test_support::fuxin::{GET, REFRESH, grant, token_server};

fn client(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .eid("10001")
        .secret("test-secret")
        .retry(RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        })
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// The body with its timestamp checked (13 digits, taken during the call) and redacted.
fn body_without_timestamp(request: &Recorded, from: u128, to: u128) -> Value {
    let mut body = request.json();
    let stamp = body["timestamp"].as_str().expect("timestamp is a string");
    assert_eq!(stamp.len(), 13, "{stamp}");
    let millis: u128 = stamp.parse().unwrap();
    assert!(
        (from..=to).contains(&millis),
        "{millis} not in {from}..={to}"
    );
    body["timestamp"] = json!("[timestamp]");
    body
}

#[tokio::test]
async fn get_access_token_posts_eid_secret_timestamp_and_scope_as_json() {
    let server = token_server(crate::server::not_expected).await;
    let from = now_millis();
    let grant = client(&server.url())
        .build()
        .unwrap()
        .get_access_token()
        .await
        .unwrap();
    let to = now_millis();
    assert_eq!(grant.access_token.expose(), "access-1");
    assert_eq!(grant.expire_in, Duration::from_secs(7200));
    assert_eq!(grant.refresh_token, Some(Secret::new("refresh-1")));
    let request = &server.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", GET)
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.query, None);
    snapshot(
        "fuxin_get_access_token",
        &body_without_timestamp(request, from, to),
    );
}

#[tokio::test]
async fn refresh_token_goes_to_the_refresh_host() {
    let token_host = token_server(crate::server::not_expected).await;
    let refresh_host = token_server(crate::server::not_expected).await;
    let client = client(&token_host.url())
        .refresh_base_url(refresh_host.url())
        .build()
        .unwrap();
    let from = now_millis();
    let grant = client
        .refresh_token(&Secret::new("refresh-0"))
        .await
        .unwrap();
    let to = now_millis();
    assert_eq!(grant.access_token.expose(), "access-1");
    assert!(token_host.requests().is_empty());
    let request = &refresh_host.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", REFRESH)
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    snapshot(
        "fuxin_refresh_token",
        &body_without_timestamp(request, from, to),
    );
}

#[tokio::test]
async fn without_a_refresh_host_both_calls_use_the_base_url_and_its_path() {
    let server = token_server(crate::server::not_expected).await;
    let client = client(&format!("{}/fuxin", server.url())).build().unwrap();
    client.get_access_token().await.unwrap();
    client.refresh_token(&Secret::new("r")).await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, [format!("/fuxin{GET}"), format!("/fuxin{REFRESH}")]);
}

#[tokio::test]
async fn an_error_envelope_is_an_error_with_its_code_and_text_and_no_secret() {
    let server = TestServer::start(|_, _| {
        Reply::ok(
            json!({"data": null, "error": "secret错误", "errorCode": 10001, "success": false}),
        )
    })
    .await;
    let client = client(&server.url()).build().unwrap();
    let error = client.get_access_token().await.unwrap_err();
    assert_eq!(error.error_code(), Some(10001));
    assert_eq!(error.message(), Some("secret错误"));
    assert_eq!(
        error.to_string(),
        format!("POST {GET}: errorCode 10001 (http 200): secret错误")
    );
    let shown = format!("{error} {error:?} {client:?}");
    assert!(!shown.contains("test-secret"), "{shown}");
    assert_eq!(
        server.requests().len(),
        1,
        "an answered error is not retried"
    );
}

#[tokio::test]
async fn an_http_401_with_an_envelope_keeps_status_code_and_text() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            401,
            json!({"success": false, "errorCode": 401, "error": "unauthorized"}),
        )
    })
    .await;
    let error = client(&server.url())
        .build()
        .unwrap()
        .get_access_token()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(error.error_code(), Some(401));
}

#[tokio::test]
async fn a_5xx_is_retried_for_get_access_token_but_not_for_a_refresh() {
    let server = TestServer::start(|request, earlier| {
        if earlier.iter().any(|r| r.path == request.path) {
            grant(2)
        } else {
            Reply::json(
                503,
                json!({"success": false, "errorCode": 503, "error": "busy"}),
            )
        }
    })
    .await;
    let client = client(&server.url()).build().unwrap();
    assert_eq!(
        client
            .get_access_token()
            .await
            .unwrap()
            .access_token
            .expose(),
        "access-2"
    );
    let error = client
        .refresh_token(&Secret::new("refresh-1"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [GET, GET, REFRESH],
        "a refresh token may be single-use"
    );
}

/// The meeting API of the tests: refuses `access-1` with 401, answers others in the envelope.
fn meetings(request: &Recorded) -> Reply {
    if request.path != "/api/meetings" {
        return crate::server::not_expected(request);
    }
    if request.query.as_deref() == Some("accessToken=access-1") {
        Reply::json(
            401,
            json!({"success": false, "errorCode": 401, "error": "token expired"}),
        )
    } else {
        Reply::ok(json!({"success": true, "errorCode": 0, "error": null, "data": {"meetings": []}}))
    }
}

#[tokio::test]
async fn a_401_renews_the_token_with_get_access_token_and_repeats_the_call_once() {
    let server = token_server(meetings).await;
    let tokens = TokenSource::builder(client(&server.url()).build().unwrap()).build();
    let http = reqwest::Client::new();
    let url = format!("{}/api/meetings", server.url());
    let data: Value = tokens
        .call(|token| http.get(&url).query(&[("accessToken", token)]))
        .await
        .unwrap();
    assert_eq!(data, json!({"meetings": []}));
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.path, r.query.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        calls,
        [
            format!("{GET} "),
            "/api/meetings accessToken=access-1".into(),
            format!("{GET} "),
            "/api/meetings accessToken=access-2".into(),
        ]
    );
    assert_eq!(tokens.token().await.unwrap().expose(), "access-2");
}

#[tokio::test]
async fn a_second_401_is_an_error_naming_the_call_but_not_the_token() {
    let server = token_server(|_| {
        Reply::json(
            401,
            json!({"success": false, "errorCode": 401, "error": "token expired"}),
        )
    })
    .await;
    let tokens = client(&server.url()).build().unwrap().token_source();
    let http = reqwest::Client::new();
    let url = format!("{}/api/meetings", server.url());
    let error = tokens
        .send(|token| http.get(&url).query(&[("accessToken", token)]))
        .await
        .unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(
        error.to_string(),
        "GET /api/meetings: errorCode 401 (http 401): token expired"
    );
    assert_eq!(server.requests().len(), 4, "get, call, get, call");
}

#[tokio::test]
async fn other_answers_pass_through_send_unchanged() {
    let server = token_server(|_| Reply::json(404, json!({"nope": true}))).await;
    let tokens = client(&server.url()).build().unwrap().token_source();
    let http = reqwest::Client::new();
    let url = format!("{}/api/missing", server.url());
    let response = tokens
        .send(|token| http.get(&url).bearer_auth(token))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some("Bearer access-1")
    );
}

/// One answer to every request.
async fn answering(reply: impl Fn() -> Reply + Send + Sync + 'static) -> TestServer {
    TestServer::start(move |_, _| reply()).await
}

#[tokio::test]
async fn a_grant_of_the_wrong_shape_names_the_field_but_never_quotes_the_answer() {
    let answers = [
        (
            json!({"success": true, "errorCode": 0, "data": {"accessToken": "SECRET-XYZ", "expireIn": "soon", "refreshToken": "REFRESH-XYZ"}}),
            "expireIn",
        ),
        (
            json!({"success": true, "errorCode": 0, "data": {"token": "SECRET-XYZ", "expireIn": 7200}}),
            "missing field `accessToken`",
        ),
        (json!(["SECRET-XYZ", "REFRESH-XYZ"]), "envelope"),
    ];
    for (answer, named) in answers {
        let server = answering({
            let answer = answer.clone();
            move || Reply::ok(answer.clone())
        })
        .await;
        let error = client(&server.url())
            .build()
            .unwrap()
            .get_access_token()
            .await
            .unwrap_err();
        let shown = crate::token_answers::everything_shown(&error);
        assert!(error.is_malformed_response(), "{shown}");
        for secret in ["SECRET-XYZ", "REFRESH-XYZ", "soon"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains(named),
            "{answer} should name {named}: {shown}"
        );
    }
}

#[tokio::test]
async fn an_endless_expire_in_does_not_panic_the_token_source() {
    let server = answering(|| {
        Reply::ok(json!({"success": true, "errorCode": 0, "data": {"accessToken": "access-1", "expireIn": u64::MAX, "refreshToken": "refresh-1"}}))
    })
    .await;
    let tokens = client(&server.url()).build().unwrap().token_source();
    assert_eq!(tokens.token().await.unwrap().expose(), "access-1");
    assert_eq!(tokens.token().await.unwrap().expose(), "access-1");
    assert!(tokens.next_refresh().await.is_some());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_token_calls_do_not_follow_a_redirect() {
    let target = token_server(crate::server::not_expected).await;
    let redirecting = crate::token_in_transit::redirecting_to(&target).await;
    let client = client(&redirecting.url()).build().unwrap();
    let error = client.get_access_token().await.unwrap_err();
    assert!(error.to_string().contains("redirect"), "{error}");
    let error = client
        .refresh_token(&Secret::new("refresh-1"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("redirect"), "{error}");
    assert!(target.requests().is_empty(), "{:?}", target.requests());
}
