//! `finchat token`, `send`, `update`, `upload` and `download` against a real server, run as a user
//! runs them, configured through the FINCHAT_* environment variables.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};

fn finchat(server: &TestServer, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args(args)
        .env("FINCHAT_BASE_URL", server.url())
        .env("FINCHAT_APP_ID", "app-1")
        .env("FINCHAT_SECRET", "test-secret-value")
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

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// Answers sends: sent, unless the room id says `missing`.
fn answer_send(request: &Recorded) -> Reply {
    let rooms: Vec<Value> = request.json()["room_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|room| {
            let id = room.as_str().unwrap();
            if id.contains("missing") {
                json!({"room_id": id, "errcode": "FC_ROOM_NOT_FOUND", "error": "房间不存在"})
            } else {
                json!({"room_id": id, "event_id": "$sent:example.org"})
            }
        })
        .collect();
    Reply::ok(json!({"room_id_result": rooms}))
}

const TEXT: &str = r#"{"msgtype": "m.text", "body": "hello world"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn send_prints_one_line_per_target_and_exits_1_when_one_failed() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rooms = dir.join("rooms.txt");
    std::fs::write(&rooms, "# rooms\n!b:example.org\n\n!missing:example.org\n").unwrap();
    let rooms_file = rooms.to_string_lossy().into_owned();
    // The server runs on the runtime's other threads while this one waits for the process.
    let output = tokio::task::block_in_place(|| {
        finchat(
            &server,
            &[
                "send",
                "--room",
                "!a:example.org",
                "--rooms-file",
                &rooms_file,
                "-",
            ],
            TEXT,
        )
    });
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = lines(&output);
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        json!({"target": {"room": "!a:example.org"}, "outcome": "sent", "event_id": "$sent:example.org"})
    );
    assert_eq!(lines[2]["outcome"], "failed");
    assert_eq!(lines[2]["errcode"], "FC_ROOM_NOT_FOUND");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 of 3 targets"));
    assert_eq!(
        server.calls()[0].json()["room_ids"],
        json!(["!a:example.org", "!b:example.org", "!missing:example.org"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn send_exits_0_when_every_target_got_it_and_2_on_invalid_content() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["send", "--room", "!a:example.org", "-"], TEXT)
    });
    assert_eq!(output.status.code(), Some(0));
    let invalid = r#"{"msgtype": "m.text", "body": ""}"#;
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["send", "--room", "!a:example.org", "-"], invalid)
    });
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("body: empty body"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(server.calls().len(), 1, "the invalid content was not sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn update_puts_the_card_with_its_origin() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let card = serde_json::to_string(
        &finchat_cui::cui! { <form status="disable"><text>"已处理"</text></form> },
    )
    .unwrap();
    let output = tokio::task::block_in_place(|| {
        finchat(
            &server,
            &[
                "update",
                "--origin",
                "$card:example.org",
                "--room",
                "!a:example.org",
                "-",
            ],
            &card,
        )
    });
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let call = &server.calls()[0];
    assert_eq!(call.path, "/api/v1/finchat/open-api/message/update-cui");
    assert_eq!(call.json()["origin_event"], "$card:example.org");
}

#[tokio::test(flavor = "multi_thread")]
async fn token_prints_the_token_as_json() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let output = tokio::task::block_in_place(|| finchat(&server, &["token"], ""));
    assert_eq!(output.status.code(), Some(0));
    let line = &lines(&output)[0];
    assert_eq!(line["app_access_token"], "tok-1");
    assert!(line["expires_in"].as_u64().unwrap() > 3500);
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_prints_the_uri_and_download_writes_the_file() {
    let server = TestServer::with_tokens(|r, _| {
        if r.path.ends_with("/media/upload") {
            Reply::ok(json!({"content_uri": "mxc://example.org/abc"}))
        } else {
            Reply::bytes("text/plain", b"file body")
        }
    })
    .await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("note.txt");
    std::fs::write(&file, "file body").unwrap();
    let path = file.to_string_lossy().into_owned();
    let output = tokio::task::block_in_place(|| finchat(&server, &["upload", &path], ""));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "mxc://example.org/abc\n"
    );
    assert_eq!(server.calls()[0].header("content-type"), Some("text/plain"));
    let target = dir.join("out.txt").to_string_lossy().into_owned();
    let output = tokio::task::block_in_place(|| {
        finchat(
            &server,
            &["download", "mxc://example.org/abc", "-o", &target],
            "",
        )
    });
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "file body");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_each_event_and_answers_as_an_app_should() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args([
            "listen",
            "--port",
            "0",
            "--token",
            "callback-token",
            "--app-id",
            "app-1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let addr = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let put = |body: Value| {
        let url = format!("http://{addr}/callback");
        async move {
            reqwest::Client::new()
                .put(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let event = json!({"app_id": "app-1", "token": "callback-token", "event": {
        "event_id": "$1:x", "type": "finstore.room.interactcui", "timestamp": 1, "sender": "@alice:example.org",
        "room_id": "!r:x", "origin_event": "$card:x", "content": {"action": "submit", "info": {"amount": "1200"}}}});
    assert_eq!(put(event.clone()).await, 200);
    let mut wrong = event;
    wrong["token"] = "guess".into();
    assert_eq!(put(wrong).await, 401);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    child.kill().ok();
    child.wait().ok();
    let line: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        line,
        json!({"type": "finstore.room.interactcui", "event_id": "$1:x", "sender": "@alice:example.org", "room_id": "!r:x",
            "summary": {"action": "submit", "info": {"amount": "1200"}}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_once_prints_the_events_and_keeps_the_cursor() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::ok(json!({"events": [{"app_id": "app-1", "event_id": "$9:x", "type": "m.room.message", "timestamp": 1,
            "sender": "@a:x", "room_id": "!r:x", "content": {"msgtype": "m.text", "body": "hi"}}], "since": "$9:x"}))
    })
    .await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-poll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let since = dir.join("since.txt").to_string_lossy().into_owned();
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["poll", "--since-file", &since, "--once"], "")
    });
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        lines(&output)[0]["summary"],
        json!({"msgtype": "m.text", "text": "hi"})
    );
    assert_eq!(std::fs::read_to_string(&since).unwrap(), "$9:x");
    std::fs::remove_dir_all(&dir).ok();
}
