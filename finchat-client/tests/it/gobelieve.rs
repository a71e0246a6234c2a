//! GoBelieve, server side: the Basic header on a known vector, the exact method, path, headers and
//! body of the grant, user settings, group and message calls, the envelope's errors, a card sent as
//! its plain-text fallback, and `finchat gobelieve …` run as a user runs it. The client-side calls
//! and customer service are in `gobelieve_client`.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use finchat_client::gobelieve::{
    Client, Inviter, Member, MemberSetting, NewGroup, UserSettings, server_authorization,
};
use finchat_client::{RetryPolicy, Secret};
use finchat_cui::{Card, MessageContent};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};
use crate::support::snapshot;

/// `Basic base64("7:" + hex(md5("test-secret")))`, computed apart from this crate (Python's hashlib
/// and base64): md5("test-secret") = 2318ed020bcddb328eab6db7800b2f80.
pub const SERVER_AUTH: &str = "Basic NzoyMzE4ZWQwMjBiY2RkYjMyOGVhYjZkYjc4MDBiMmY4MA==";

/// A client of `server`: app 7, secret `test-secret`, fast retries.
pub fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .appid(7)
        .secret("test-secret")
        .retry(RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        })
        .build()
        .unwrap()
}

/// A request as the snapshots show it.
pub fn shown(request: &Recorded) -> Value {
    json!({
        "method": request.method.as_str(),
        "path": request.path,
        "query": request.query,
        "authorization": request.header("authorization"),
        "content_type": request.header("content-type"),
        "body": if request.body.is_empty() { Value::Null } else { request.json() },
    })
}

pub fn all_shown(server: &TestServer) -> Vec<Value> {
    server.requests().iter().map(shown).collect()
}

/// Answers with `{"data": …}` for the calls that return something, an empty 200 for the others.
pub fn answer(request: &Recorded) -> Reply {
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/auth/grant") => Reply::ok(json!({"data": {"token": "user-token-1"}})),
        ("POST", "/groups" | "/client/groups") => Reply::ok(json!({"data": {"group_id": 42}})),
        _ => Reply::bytes("application/json", b""),
    }
}

#[test]
fn the_server_authorization_is_basic_base64_of_the_appid_and_the_md5_hex_of_the_secret() {
    let header = server_authorization(7, &Secret::new("test-secret"));
    assert_eq!(header.expose(), SERVER_AUTH);
    assert_eq!(format!("{header:?}"), "[redacted]");
}

#[tokio::test]
async fn grant_posts_the_user_with_server_auth_and_returns_the_token() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let client = client(&server);
    let grant = client
        .users()
        .grant(
            finchat_client::gobelieve::GrantRequest::new(1001, "alice")
                .platform(finchat_client::gobelieve::Platform::Web)
                .device_id("browser-1"),
        )
        .await
        .unwrap();
    assert_eq!(grant.token.expose(), "user-token-1");
    assert!(!format!("{grant:?}").contains("user-token-1"));
    let request = &server.requests()[0];
    assert_eq!(request.header("authorization"), Some(SERVER_AUTH));
    assert_eq!(request.header("content-type"), Some("application/json"));
    snapshot("gobelieve_grant", &shown(request));
}

#[tokio::test]
async fn user_settings_send_only_what_is_set_and_nothing_set_is_refused() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let users = client(&server);
    let users = users.users();
    users
        .settings(1001, UserSettings::new().name("Alice"))
        .await
        .unwrap();
    users
        .settings(
            1001,
            UserSettings::new().do_not_disturb(1002, true).mute(false),
        )
        .await
        .unwrap();
    let error = users.settings(1001, UserSettings::new()).await.unwrap_err();
    assert!(error.is_refused());
    assert_eq!(
        error.to_string(),
        "POST /users/1001: not sent: no setting given"
    );
    snapshot("gobelieve_user_settings", &all_shown(&server));
}

#[tokio::test]
async fn every_server_group_call_has_its_method_path_and_body() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let client = client(&server);
    let groups = client.groups();
    let group = NewGroup::new(1001, "项目组")
        .super_group(false)
        .member(
            Member::new(1001)
                .name("Alice")
                .avatar("https://example.org/a.png"),
        )
        .member(1002);
    assert_eq!(groups.create(group).await.unwrap(), 42);
    groups.rename(42, "新项目组").await.unwrap();
    groups
        .add_members(
            42,
            [Member::new(1003).name("Carol")],
            Some(Inviter::new(1001, "Alice")),
        )
        .await
        .unwrap();
    groups.add_members(42, [1004], None).await.unwrap();
    groups.remove_members(42, [1003, 1004]).await.unwrap();
    groups.leave(42, 1002).await.unwrap();
    groups.upgrade(42).await.unwrap();
    for setting in [
        MemberSetting::DoNotDisturb(true),
        MemberSetting::Nickname("Bob (ops)".into()),
        MemberSetting::Mute(true),
    ] {
        groups.member_settings(42, 1002, setting).await.unwrap();
    }
    groups.dissolve(42).await.unwrap();
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some(SERVER_AUTH))
    );
    snapshot("gobelieve_groups", &all_shown(&server));
}

#[tokio::test]
async fn every_message_call_posts_its_receiver_and_the_content_string() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let client = client(&server);
    let messages = client.messages();
    messages.peer(1, 1001, "hello peer").await.unwrap();
    messages.group(1, 42, "hello group").await.unwrap();
    messages.system(1001, "system text").await.unwrap();
    messages.notification(1001, "online only").await.unwrap();
    messages
        .group_notification(42, "group notice")
        .await
        .unwrap();
    messages.room(1, 100, "hello room").await.unwrap();
    messages
        .peer(1, 1001, finchat_client::gobelieve::Content::sdk_text("hi"))
        .await
        .unwrap();
    snapshot("gobelieve_messages", &all_shown(&server));
}

#[tokio::test]
async fn a_card_arrives_as_its_plain_text_fallback() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let card = finchat_cui::cui! {
        <form>
            <text>"服务器告警：磁盘使用率 91%"</text>
            <divider/>
            <reply key="decision">"已处理"</reply>
            <reply key="decision">"忽略"</reply>
        </form>
    };
    let fallback = MessageContent::from(card.clone()).to_plain_text();
    client(&server).messages().group(1, 42, card).await.unwrap();
    let body = server.requests()[0].json();
    assert_eq!(body["content"], fallback.as_str());
    assert_eq!(
        body["content"],
        "服务器告警：磁盘使用率 91%\n────────\n[ 已处理 ]\n[ 忽略 ]"
    );
}

#[tokio::test]
async fn empty_content_is_refused_before_anything_is_sent() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let error = client(&server)
        .messages()
        .peer(1, 2, Card::form())
        .await
        .unwrap_err();
    assert!(error.is_refused());
    assert!(
        error
            .to_string()
            .starts_with("POST /messages/peers: not sent:"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_error_meta_is_the_error_with_its_status_code_and_message_and_no_credentials() {
    let server = TestServer::start(|_, _| {
        Reply::json(400, json!({"meta": {"code": 400, "message": "非法参数"}}))
    })
    .await;
    let client = client(&server);
    let error = client.messages().peer(1, 2, "x").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.meta_code(), Some("400"));
    assert_eq!(error.message(), Some("非法参数"));
    assert_eq!(
        error.to_string(),
        "POST /messages/peers: http 400, code 400: 非法参数"
    );
    let shown = format!("{error} {error:?} {client:?}");
    for secret in ["test-secret", "2318ed02", "NzoyMzE4"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_meta_error_in_a_200_answer_is_an_error_too() {
    let server = TestServer::start(|_, _| {
        Reply::ok(json!({"meta": {"code": "1001", "message": "group not found"}}))
    })
    .await;
    let error = client(&server).groups().rename(9, "x").await.unwrap_err();
    assert_eq!(error.meta_code(), Some("1001"));
    assert_eq!(
        error.to_string(),
        "PATCH /groups/9: http 200, code 1001: group not found"
    );
}

#[tokio::test]
async fn a_5xx_is_not_retried_for_a_send_but_is_for_a_rename() {
    let server = TestServer::start(|request, earlier| {
        if earlier.iter().any(|r| r.path == request.path) {
            answer(request)
        } else {
            Reply::json(
                502,
                json!({"meta": {"code": 502, "message": "bad gateway"}}),
            )
        }
    })
    .await;
    let client = client(&server);
    let error = client.messages().peer(1, 2, "once").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    client.groups().rename(9, "twice").await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/messages/peers", "/groups/9", "/groups/9"]);
}

fn finchat(server: &TestServer, args: &[&str], stdin: &str) -> Output {
    let url = server.url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args([
            "gobelieve",
            "--base-url",
            &url,
            "--appid",
            "7",
            "--secret",
            "test-secret",
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("finchat starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_gobelieve_send_peer_sends_a_card_as_its_fallback() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let card = serde_json::to_string(&finchat_cui::cui! {
        <form><text>"周报提醒"</text><submit>"已读"</submit></form>
    })
    .unwrap();
    let args = ["send-peer", "--sender", "1", "--receiver", "1001", "-"];
    // The server runs on the runtime's other threads while this one waits for the process.
    let output = tokio::task::block_in_place(|| finchat(&server, &args, &card));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        line,
        json!({"outcome": "sent", "content": "周报提醒\n[ 已读 ]"})
    );
    let request = &server.requests()[0];
    assert_eq!(request.path, "/messages/peers");
    assert_eq!(request.header("authorization"), Some(SERVER_AUTH));
    assert_eq!(
        request.json(),
        json!({"sender": 1, "receiver": 1001, "content": "周报提醒\n[ 已读 ]"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_gobelieve_system_group_and_grant_reach_their_endpoints() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let text = r#"{"msgtype": "m.text", "body": "hello"}"#;
    let runs: [&[&str]; 3] = [
        &["send-system", "--receiver", "1001", "-"],
        &[
            "send-group",
            "--sender",
            "1",
            "--receiver",
            "42",
            "--sdk-text",
            "-",
        ],
        &[
            "grant",
            "--uid",
            "1001",
            "--name",
            "alice",
            "--platform",
            "android",
        ],
    ];
    let mut stdout = Vec::new();
    for args in runs {
        let output = tokio::task::block_in_place(|| finchat(&server, args, text));
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        stdout.push(serde_json::from_slice::<Value>(&output.stdout).unwrap());
    }
    assert_eq!(stdout[2], json!({"token": "user-token-1"}));
    let bodies: Vec<(String, Value)> = server
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.json()))
        .collect();
    assert_eq!(
        bodies,
        [
            (
                "/messages/systems".into(),
                json!({"receiver": 1001, "content": "hello"})
            ),
            (
                "/messages/groups".into(),
                json!({"sender": 1, "receiver": 42, "content": r#"{"text":"hello"}"#})
            ),
            (
                "/auth/grant".into(),
                json!({"uid": 1001, "user_name": "alice", "platform_id": 2})
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_gobelieve_refuses_invalid_content_and_reports_server_errors_with_exit_2() {
    let server = TestServer::start(|_, _| {
        Reply::json(400, json!({"meta": {"code": 400, "message": "非法参数"}}))
    })
    .await;
    let invalid = r#"{"msgtype": "m.text", "body": ""}"#;
    let args = ["send-peer", "--sender", "1", "--receiver", "2", "-"];
    let output = tokio::task::block_in_place(|| finchat(&server, &args, invalid));
    assert_eq!(output.status.code(), Some(2));
    assert!(server.requests().is_empty(), "invalid content is not sent");
    let valid = r#"{"msgtype": "m.text", "body": "hi"}"#;
    let output = tokio::task::block_in_place(|| finchat(&server, &args, valid));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("POST /messages/peers: http 400, code 400: 非法参数"),
        "{stderr}"
    );
    assert!(!stderr.contains("test-secret"), "{stderr}");
}
