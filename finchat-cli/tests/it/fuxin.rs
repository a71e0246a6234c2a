//! `finchat fuxin token` / `refresh`, run as a user runs them, against a fake FuXin.

use std::process::{Command, Output};

use finchat_test_support::fuxin::token_server;
use serde_json::{Value, json};

use crate::server::{Reply, TestServer};

fn finchat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args(args)
        .env_remove("FUXIN_REFRESH_BASE_URL")
        .output()
        .expect("finchat starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_fuxin_token_prints_the_grant_as_json() {
    let server = token_server(crate::server::not_expected).await;
    let url = server.url();
    let args = [
        "fuxin",
        "token",
        "--base-url",
        &url,
        "--eid",
        "10001",
        "--secret",
        "test-secret",
    ];
    // The server runs on the runtime's other threads while this one waits for the process.
    let output = tokio::task::block_in_place(|| finchat(&args));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        line,
        json!({"accessToken": "access-1", "expireIn": 7200, "refreshToken": "refresh-1"})
    );
    let body = server.requests()[0].json();
    assert_eq!(
        (body["eid"].as_str(), body["secret"].as_str()),
        (Some("10001"), Some("test-secret"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_fuxin_refresh_uses_the_refresh_host_and_errors_exit_3_without_the_secret() {
    let token_host = token_server(crate::server::not_expected).await;
    let refresh_host = token_server(crate::server::not_expected).await;
    let (url, refresh_url) = (token_host.url(), refresh_host.url());
    let args = [
        "fuxin",
        "refresh",
        "--base-url",
        &url,
        "--refresh-base-url",
        &refresh_url,
        "--eid",
        "10001",
        "--secret",
        "test-secret",
        "--refresh-token",
        "refresh-0",
    ];
    let output = tokio::task::block_in_place(|| finchat(&args));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        refresh_host.requests()[0].json()["refreshToken"],
        "refresh-0"
    );
    assert!(token_host.requests().is_empty());

    let refusing = TestServer::start(|_, _| {
        Reply::ok(json!({"success": false, "errorCode": 10001, "error": "secret错误"}))
    })
    .await;
    let url = refusing.url();
    let args = [
        "fuxin",
        "token",
        "--base-url",
        &url,
        "--eid",
        "10001",
        "--secret",
        "test-secret",
    ];
    let output = tokio::task::block_in_place(|| finchat(&args));
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("errorCode 10001"), "{stderr}");
    assert!(!stderr.contains("test-secret"), "{stderr}");
}
