//! `finchat sandbox`, run as a process: where it says it is, and what it serves there.

use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn finchat_sandbox_prints_where_it_is_and_serves_the_page() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args([
            "sandbox",
            "--port",
            "0",
            "--app-id",
            "cli-app",
            "--secret",
            "cli-secret",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..9 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line);
    }
    let url = lines[0]
        .trim()
        .strip_prefix("FinChat sandbox at ")
        .unwrap()
        .to_owned();
    let html = reqwest::get(format!("{url}/")).await.map(|r| r.text());
    let printed = lines.concat();
    let token = reqwest::Client::new()
        .post(format!("{url}/api/v1/finchat/open-api/auth/token"))
        .json(&json!({"app_id": "cli-app", "secret": "cli-secret"}))
        .send()
        .await;
    child.kill().ok();
    child.wait().ok();
    assert!(html.unwrap().await.unwrap().contains("FinChat sandbox"));
    assert_eq!(token.unwrap().status(), 200);
    for expected in [
        "cli-app",
        "cli-secret",
        "@alice:sandbox 张三",
        "@bob:sandbox 李四",
        "@carol:sandbox 王五",
    ] {
        assert!(printed.contains(expected), "{expected} in {printed}");
    }
}
