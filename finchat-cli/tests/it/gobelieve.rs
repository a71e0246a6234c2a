//! `finchat gobelieve …`, run as a user runs it, against a fake GoBelieve server.

use std::process::Output;

use finchat_test_support::gobelieve::{SERVER_AUTH, answer};
use serde_json::{Value, json};

use crate::process::{self, run};
use crate::server::{Reply, TestServer};

fn finchat(server: &TestServer, args: &[&str], stdin: &str) -> Output {
    let url = server.url();
    let gobelieve = [
        "gobelieve",
        "--base-url",
        &url,
        "--appid",
        "7",
        "--secret",
        "test-secret",
    ];
    run(process::finchat().args(gobelieve).args(args), stdin)
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
async fn finchat_gobelieve_refuses_invalid_content_and_reports_server_errors_with_exit_3() {
    let server = TestServer::start(|_, _| {
        Reply::json(400, json!({"meta": {"code": 400, "message": "非法参数"}}))
    })
    .await;
    let invalid = r#"{"msgtype": "m.text", "body": ""}"#;
    let args = ["send-peer", "--sender", "1", "--receiver", "2", "-"];
    let output = tokio::task::block_in_place(|| finchat(&server, &args, invalid));
    assert_eq!(output.status.code(), Some(3));
    assert!(server.requests().is_empty(), "invalid content is not sent");
    let valid = r#"{"msgtype": "m.text", "body": "hi"}"#;
    let output = tokio::task::block_in_place(|| finchat(&server, &args, valid));
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("POST /messages/peers: http 400, code 400: 非法参数"),
        "{stderr}"
    );
    assert!(!stderr.contains("test-secret"), "{stderr}");
}
