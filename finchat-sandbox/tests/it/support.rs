//! Helpers the sandbox tests share: a started sandbox, its client, a card sent, a page fetched.

use std::time::{Duration, Instant};

use finchat_client::{Client, RetryPolicy};
use finchat_cui::element::{Reply, TextInput};
use finchat_cui::{Card, EventId, Fcid, RoomId};
use finchat_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

pub fn fcid(name: &str) -> Fcid {
    format!("@{name}:sandbox").parse().unwrap()
}

pub fn room(id: &str) -> RoomId {
    format!("!{id}:sandbox").parse().unwrap()
}

pub async fn start(config: SandboxConfig) -> RunningSandbox {
    Sandbox::serve(config, "127.0.0.1:0").await.unwrap()
}

/// A client of the sandbox that does not retry, so that each test sees the server's first answer.
pub fn client(sandbox: &RunningSandbox) -> Client {
    sandbox.client().retry(RetryPolicy::none()).build().unwrap()
}

/// Waits up to 10 s for `done`.
pub async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn approval_card() -> Card {
    Card::form()
        .text("报销申请 #42")
        .input(TextInput::new("amount").placeholder("金额").value("1200"))
        .input(TextInput::new("comment").placeholder("审批意见"))
        .reply(Reply::new("decision", "同意"))
        .reply(Reply::new("decision", "驳回"))
}

/// Sends `card` from the bot to `room`; the card's event id.
pub async fn send_card(client: &Client, room: &RoomId, card: Card) -> EventId {
    let report = client
        .messages()
        .send(card)
        .room(room.clone())
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    report.results[0].event_id().unwrap().clone()
}

/// An HTTP client that shows redirects instead of following them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `Origin` a browser sends with the sandbox page's own forms and scripts.
pub fn form_origin(sandbox: &RunningSandbox) -> String {
    sandbox.url.clone()
}

pub fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub async fn page(sandbox: &RunningSandbox, person: &str, room_id: &RoomId) -> String {
    let url = format!(
        "{}/?as={}&room={}",
        sandbox.url,
        enc(fcid(person).as_str()),
        enc(room_id.as_str())
    );
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

/// Serves `router` on a free port; its URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    format!("http://{addr}")
}

/// The open API's path prefix.
pub const OPEN: &str = "/api/v1/finchat/open-api";

/// A new app access token, asked for with a plain HTTP call (each one replaces the previous).
pub async fn raw_token(sandbox: &RunningSandbox) -> String {
    let answer = post_json(
        &format!("{}{OPEN}/auth/token", sandbox.url),
        serde_json::json!({"app_id": "sandbox-app", "secret": "sandbox-secret"}).to_string(),
    )
    .await;
    answer["app_access_token"].as_str().unwrap().to_owned()
}

/// A raw API call to `path` (from the root, e.g. `{OPEN}/rooms`), past the client's own checks:
/// the status and the JSON answer (`null` when it is not JSON).
pub async fn api_call(
    sandbox: &RunningSandbox,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", sandbox.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// Whether the sandbox says `token` is the app's valid access token (`auth/token/verify`).
pub async fn verify_token(sandbox: &RunningSandbox, token: &str) -> bool {
    let body = serde_json::json!({"app_id": "sandbox-app", "app_access_token": token});
    let path = format!("{OPEN}/auth/token/verify");
    let (_, answer) = api_call(sandbox, reqwest::Method::POST, &path, None, Some(body)).await;
    answer["result"].as_bool().unwrap()
}

/// POSTs the form `body` to `path` as the sandbox's own page does (its `Origin`, form-encoded);
/// the answer, redirects not followed.
pub async fn post_form(
    sandbox: &RunningSandbox,
    path: &str,
    body: impl Into<String>,
) -> reqwest::Response {
    browser()
        .post(format!("{}{path}", sandbox.url))
        .header("origin", form_origin(sandbox))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.into())
        .send()
        .await
        .unwrap()
}

/// The event id of every event emitted so far, in order.
pub fn event_ids(sandbox: &RunningSandbox) -> Vec<String> {
    let events = sandbox.handle.events();
    events.into_iter().map(|e| e.event_id).collect()
}

/// POSTs `body` to `url` as `application/json`; the answer's JSON, whatever its status.
pub async fn post_json(url: &str, body: impl Into<reqwest::Body>) -> serde_json::Value {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
