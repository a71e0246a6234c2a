//! Identity (OIDC): the IAM host, the authorization URL, code and refresh-token exchanges with Basic
//! credentials, userinfo with the user's token; no app token on any of them, and no token or secret
//! in what is printed.

use finchat_client::{Client, ErrorClass, IamHost, Secret};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer, not_expected};

const CLIENT_ID: &str = "test-scope";
const SECRET: &str = "435b21a4-4e2b-4907-9057-1d86fba428cd";
/// `base64("test-scope:435b21a4-…")`, from the API's request example.
const BASIC: &str = "Basic dGVzdC1zY29wZTo0MzViMjFhNC00ZTJiLTQ5MDctOTA1Ny0xZDg2ZmJhNDI4Y2Q=";
const TOKEN_PATH: &str = "/auth/realms/master/protocol/openid-connect/token";
const USERINFO_PATH: &str = "/auth/realms/master/protocol/openid-connect/userinfo";
const CODE: &str =
    "0da8c2c4-5d39-4379-8246-3f7b4ab8b931.b4d27b8d-63cd-4187-b839-e165411d273c.test-scope";

// Shortened stand-ins for the sample answer's JWTs.
const ACCESS_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.access.XXLa-tWkZADeZir3";
const REFRESH_TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.refresh.fkhIJVLr21tHhXuwwJOotgrqo7X2lrlWPSG70NWowtM";
const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.id.SJPXQWtGc2Z4lJCQr4b5";

/// The API's sample token answer (with the shortened tokens).
fn token_answer() -> Value {
    json!({
        "access_token": ACCESS_TOKEN,
        "expires_in": 300,
        "refresh_expires_in": 52342343,
        "refresh_token": REFRESH_TOKEN,
        "token_type": "bearer",
        "id_token": ID_TOKEN,
        "not-before-policy": 1596531955,
        "session_state": "b4d27b8d-63cd-4187-b839-e165411d273c",
        "scope": "openid profile"
    })
}

fn userinfo_answer() -> Value {
    json!({
        "sub": "004316d4-6d9e-4c6e-9f5d-1ffcab486012",
        "organization_id": "00010",
        "fcid": "@test203:dev.finogeeks.club",
        "name": "测试203",
        "phone_number": "13345678901",
        "email": "33@qq.com"
    })
}

/// An IAM: the token and userinfo endpoints, answering `token` to token requests.
async fn iam(token: Value) -> TestServer {
    TestServer::start(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("POST", TOKEN_PATH) => Reply::ok(token.clone()),
        ("GET", USERINFO_PATH) => Reply::ok(userinfo_answer()),
        _ => not_expected(r),
    })
    .await
}

/// A client whose app is the API example's `test-scope`; its FinChat server is `server` too.
fn client(server: &TestServer) -> Client {
    server
        .client()
        .app_id(CLIENT_ID)
        .secret(SECRET)
        .build()
        .unwrap()
}

/// The IAM host as the server's `iam-info` gives it: with Keycloak's `/auth`.
fn iam_host(server: &TestServer) -> IamHost {
    IamHost::parse(&format!("{}/auth", server.url())).unwrap()
}

fn assert_token_request(call: &Recorded, form: &str) {
    assert_eq!(
        (
            call.method.as_str(),
            call.path.as_str(),
            call.query.as_deref()
        ),
        ("POST", TOKEN_PATH, None)
    );
    assert_eq!(call.header("authorization"), Some(BASIC));
    assert_eq!(
        call.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(std::str::from_utf8(&call.body).unwrap(), form);
}

#[tokio::test]
async fn iam_host_is_the_url_of_the_iam_flow_and_needs_no_token() {
    let server = TestServer::start(|r, _| match r.path.as_str() {
        "/api/v1/finchat-control/iam-info" => Reply::ok(json!({
            "flows": [
                {"type": "password"},
                {"type": "iam", "url": "https://dev-finchat-iam.finogeeks.club/auth"}
            ]
        })),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let iam = client
        .identity()
        .iam_host()
        .await
        .unwrap()
        .expect("an iam flow");
    assert_eq!(
        iam.as_url().as_str(),
        "https://dev-finchat-iam.finogeeks.club/auth"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no app token is fetched");
    let call = &requests[0];
    assert_eq!((call.method.as_str(), call.query.as_deref()), ("GET", None));
    assert_eq!(call.header("authorization"), None);
}

#[tokio::test]
async fn a_server_without_an_iam_flow_has_no_iam_host() {
    let server =
        TestServer::start(|_, _| Reply::ok(json!({"flows": [{"type": "password"}]}))).await;
    let client = server.client().build().unwrap();
    assert_eq!(client.identity().iam_host().await.unwrap(), None);
}

#[test]
fn the_authorize_url_is_the_api_example() {
    let client = Client::builder()
        .base_url("https://finchat.example.org")
        .app_id(CLIENT_ID)
        .secret(SECRET)
        .build()
        .unwrap();
    let iam = IamHost::parse("https://dev-finchat-iam.finogeeks.club/auth").unwrap();
    let url = client
        .identity()
        .authorize_url(&iam, "https://www.baidu.com", "xyz");
    assert_eq!(
        url.as_str(),
        "https://dev-finchat-iam.finogeeks.club/auth/realms/master/protocol/openid-connect/auth\
         ?client_id=test-scope&redirect_uri=https%3A%2F%2Fwww.baidu.com&response_type=code\
         &scope=openid+profile&state=xyz"
    );
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected = [
        ("client_id", "test-scope"),
        ("redirect_uri", "https://www.baidu.com"),
        ("response_type", "code"),
        ("scope", "openid profile"),
        ("state", "xyz"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    // The host without `/auth` reaches the same page; an empty state is left out.
    let bare = IamHost::parse("https://dev-finchat-iam.finogeeks.club").unwrap();
    let without_state = client
        .identity()
        .authorize_url(&bare, "https://www.baidu.com", "");
    assert_eq!(without_state.path(), url.path());
    assert!(without_state.query_pairs().all(|(k, _)| k != "state"));
}

#[tokio::test]
async fn a_code_is_exchanged_with_basic_credentials_for_the_users_tokens() {
    let server = iam(token_answer()).await;
    let tokens = client(&server)
        .identity()
        .exchange_code(&iam_host(&server), CODE, "https://www.baidu.com")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no app token is fetched");
    assert_token_request(
        &requests[0],
        &format!(
            "grant_type=authorization_code&code={CODE}&redirect_uri=https%3A%2F%2Fwww.baidu.com&client_id=test-scope"
        ),
    );
    assert_eq!(tokens.access_token.expose(), ACCESS_TOKEN);
    assert_eq!(tokens.expires_in, Some(300));
    assert_eq!(
        tokens.refresh_token.as_ref().map(Secret::expose),
        Some(REFRESH_TOKEN)
    );
    assert_eq!(tokens.refresh_expires_in, Some(52342343));
    assert_eq!(tokens.token_type.as_deref(), Some("bearer"));
    assert_eq!(tokens.id_token.as_ref().map(Secret::expose), Some(ID_TOKEN));
    assert_eq!(tokens.not_before_policy, Some(1596531955));
    assert_eq!(
        tokens.session_state.as_deref(),
        Some("b4d27b8d-63cd-4187-b839-e165411d273c")
    );
    assert_eq!(tokens.scope.as_deref(), Some("openid profile"));
    assert!(tokens.extra.is_empty());
}

#[tokio::test]
async fn a_refresh_sends_the_refresh_token_and_reads_the_tables_spelling() {
    let mut answer = token_answer();
    let object = answer.as_object_mut().unwrap();
    object.remove("refresh_expires_in");
    object.insert("refresh_rexpires_in".into(), json!(1800));
    let server = iam(answer).await;
    let tokens = client(&server)
        .identity()
        .refresh(&iam_host(&server), &Secret::new(REFRESH_TOKEN))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_token_request(
        &requests[0],
        &format!("grant_type=refresh_token&refresh_token={REFRESH_TOKEN}"),
    );
    assert_eq!(tokens.refresh_expires_in, Some(1800));
    assert_eq!(tokens.access_token.expose(), ACCESS_TOKEN);
}

#[tokio::test]
async fn userinfo_sends_the_users_access_token() {
    let server = iam(token_answer()).await;
    // The host as the API's address templates write it, without `/auth`.
    let iam = IamHost::parse(&server.url()).unwrap();
    let user = client(&server)
        .identity()
        .userinfo(&iam, &Secret::new(ACCESS_TOKEN))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no app token is fetched");
    let call = &requests[0];
    assert_eq!(
        (
            call.method.as_str(),
            call.path.as_str(),
            call.query.as_deref()
        ),
        ("GET", USERINFO_PATH, None)
    );
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str())
    );
    assert!(call.body.is_empty());
    assert_eq!(user.sub, "004316d4-6d9e-4c6e-9f5d-1ffcab486012");
    assert_eq!(
        user.fcid.as_ref().map(|f| f.as_str()),
        Some("@test203:dev.finogeeks.club")
    );
    assert_eq!(user.name.as_deref(), Some("测试203"));
    assert_eq!(user.organization_id.as_deref(), Some("00010"));
    assert_eq!(user.phone_number.as_deref(), Some("13345678901"));
    assert_eq!(user.email.as_deref(), Some("33@qq.com"));
}

#[tokio::test]
async fn no_token_or_secret_is_printed() {
    let mut answer = token_answer();
    answer["device_secret"] = json!("an-unknown-field-value");
    let server = iam(answer).await;
    let client = client(&server);
    let tokens = client
        .identity()
        .exchange_code(&iam_host(&server), CODE, "https://www.baidu.com")
        .await
        .unwrap();
    let printed = format!("{tokens:?} {client:?}");
    for secret in [
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        ID_TOKEN,
        SECRET,
        "an-unknown-field-value",
        &BASIC[6..],
    ] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(
        printed.contains("device_secret"),
        "unknown fields are named: {printed}"
    );
}

#[tokio::test]
async fn an_unreadable_token_answer_is_not_quoted() {
    // A token answer with a wrong type: its tokens must not reach the message.
    let server = iam(json!({"access_token": 42, "refresh_token": REFRESH_TOKEN})).await;
    let error = client(&server)
        .identity()
        .exchange_code(&iam_host(&server), CODE, "https://www.baidu.com")
        .await
        .unwrap_err();
    assert!(error.is_malformed_response(), "{error}");
    let printed = format!("{error} {error:?}");
    assert!(!printed.contains(REFRESH_TOKEN), "{printed}");
    assert!(
        printed.contains("openid-connect/token"),
        "the message names the call: {printed}"
    );
}

#[tokio::test]
async fn a_refused_code_is_an_error_without_the_secret() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            json!({"error": "invalid_grant", "error_description": "Code not valid"}),
        )
    })
    .await;
    let error = client(&server)
        .identity()
        .exchange_code(&iam_host(&server), CODE, "https://www.baidu.com")
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::BadRequest);
    let printed = format!("{error} {error:?}");
    assert!(printed.contains("invalid_grant"), "{printed}");
    assert!(
        !printed.contains(SECRET) && !printed.contains(&BASIC[6..]),
        "{printed}"
    );
}

/// 503 to the first request, then `iam`'s answers.
async fn unavailable_once() -> TestServer {
    TestServer::start(|r, earlier| {
        if earlier.is_empty() {
            Reply::json(503, json!({"error": "busy"}))
        } else if r.path == TOKEN_PATH {
            Reply::ok(token_answer())
        } else {
            Reply::ok(userinfo_answer())
        }
    })
    .await
}

#[tokio::test]
async fn userinfo_is_retried_after_a_503() {
    let server = unavailable_once().await;
    let user = client(&server)
        .identity()
        .userinfo(&iam_host(&server), &Secret::new(ACCESS_TOKEN))
        .await
        .unwrap();
    assert_eq!(user.name.as_deref(), Some("测试203"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_code_exchange_is_not_repeated_after_a_503() {
    // The code is good for one use: a second try could only fail, or use it twice.
    let server = unavailable_once().await;
    let error = client(&server)
        .identity()
        .exchange_code(&iam_host(&server), CODE, "https://www.baidu.com")
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Server);
    assert_eq!(server.requests().len(), 1);
}
