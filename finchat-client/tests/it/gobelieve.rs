//! GoBelieve, server side: the Basic header on a known vector, the exact method, path, headers and
//! body of the grant, user settings, group and message calls, the envelope's errors, a card sent as
//! its plain-text fallback. The client-side calls
//! and customer service are in `gobelieve_client`.

use std::time::Duration;

use finchat_client::gobelieve::{
    Client, Inviter, Member, MemberSetting, NewGroup, UserSettings, server_authorization,
};
use finchat_client::{RetryPolicy, Secret};
use finchat_cui::{Card, MessageContent};
use serde_json::{Value, json};

use finchat_test_support::gobelieve::{SERVER_AUTH, answer};

use crate::server::{Recorded, Reply, TestServer};
use crate::support::snapshot;

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
