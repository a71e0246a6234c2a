//! `finchat listen` and `finchat poll`, run as a user runs them: each event printed whole (or in
//! short with `--summary`), and a server that cannot be reached said so on stderr.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::api::{finchat, finchat_at, lines};
use crate::server::{Reply, TestServer};

/// A submission pushed the way FinChat pushes it: the app, the token, and the event.
fn pushed_submission() -> Value {
    json!({"app_id": "app-1", "token": "callback-token-for-tests", "event": {
        "event_id": "$1:x", "type": "finstore.room.interactcui", "timestamp": 1, "sender": "@alice:example.org",
        "room_id": "!r:x", "origin_event": "$card:x", "content": {"action": "submit", "info": {"amount": "1200"}},
        "unsigned": {"age": 7}}})
}

/// Starts `finchat listen` on a free port with `extra` arguments; the child and its address.
fn listen(extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args([
            "listen",
            "--port",
            "0",
            "--token",
            "callback-token-for-tests",
        ])
        .args(["--app-id", "app-1"])
        .args(extra)
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
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    (child, addr)
}

async fn put(addr: &str, body: &Value) -> u16 {
    reqwest::Client::new()
        .put(format!("http://{addr}/callback"))
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The first line `child` prints, as JSON; the child is stopped.
fn first_line(mut child: Child) -> Value {
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    child.kill().ok();
    child.wait().ok();
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// An empty or short token would let anyone push: a usage error (2) that does not quote it.
#[test]
fn listen_refuses_an_empty_or_short_token() {
    for token in ["", "s3cr3t-tok"] {
        let output = Command::new(env!("CARGO_BIN_EXE_finchat"))
            .args(["listen", "--port", "0", "--token", token])
            .env_remove("FINCHAT_CALLBACK_TOKEN")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("callback token is"), "{stderr}");
        assert!(token.is_empty() || !stderr.contains(token), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_each_event_whole_and_answers_as_an_app_should() {
    let (child, addr) = listen(&[]);
    let event = pushed_submission();
    assert_eq!(put(&addr, &event).await, 200);
    let mut wrong = event.clone();
    wrong["token"] = "guess".into();
    assert_eq!(put(&addr, &wrong).await, 401);
    // Every field as it came, and nothing of the callback around it (the token stays unprinted).
    assert_eq!(first_line(child), event["event"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_with_summary_prints_five_fields() {
    let (child, addr) = listen(&["--summary"]);
    assert_eq!(put(&addr, &pushed_submission()).await, 200);
    assert_eq!(
        first_line(child),
        json!({"type": "finstore.room.interactcui", "event_id": "$1:x", "sender": "@alice:example.org", "room_id": "!r:x",
            "summary": {"action": "submit", "info": {"amount": "1200"}}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_once_prints_the_events_whole_and_keeps_the_cursor() {
    let polled = json!({"app_id": "app-1", "event_id": "$9:x", "type": "m.room.message", "timestamp": 1,
        "sender": "@a:x", "room_id": "!r:x", "content": {"msgtype": "m.text", "body": "hi"}});
    let page = json!({"events": [polled], "since": "$9:x"});
    let server = TestServer::with_tokens(move |_, _| Reply::ok(page.clone())).await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-poll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let since = dir.join("since.txt").to_string_lossy().into_owned();
    let poll = ["poll", "--since-file", &since, "--once"];
    let output = tokio::task::block_in_place(|| finchat(&server, &poll, ""));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(lines(&output), [polled]);
    assert_eq!(std::fs::read_to_string(&since).unwrap(), "$9:x");
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &[&poll[..], &["--summary"][..]].concat(), "")
    });
    assert_eq!(
        lines(&output)[0]["summary"],
        json!({"msgtype": "m.text", "text": "hi"})
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A base URL where nothing listens.
fn dead_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[test]
fn poll_once_against_a_dead_server_exits_3_with_the_cause() {
    let url = dead_server();
    let since = std::env::temp_dir().join(format!("finchat-cli-dead-{}", std::process::id()));
    let since = since.to_string_lossy().into_owned();
    let output = finchat_at(&url, &["poll", "--since-file", &since, "--once"], "");
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("finchat: cannot poll {url}: POST ")),
        "{stderr}"
    );
    // The cause chain reaches the operating system's word for it.
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(!stderr.contains("test-secret-value"), "{stderr}");
}

#[test]
fn poll_against_a_dead_server_warns_on_each_try_and_keeps_trying() {
    let url = dead_server();
    let since = std::env::temp_dir().join(format!("finchat-cli-retry-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args(["poll", "--since-file"])
        .arg(&since)
        .env("FINCHAT_BASE_URL", &url)
        .env("FINCHAT_APP_ID", "app-1")
        .env("FINCHAT_SECRET", "test-secret-value")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut stderr: BufReader<ChildStderr> = BufReader::new(child.stderr.take().unwrap());
    let mut warnings = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        warnings.push(line);
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().ok();
    child.wait().ok();
    for (warning, wait) in warnings.iter().zip(["1s", "2s"]) {
        assert!(
            warning.contains(&format!("cannot poll {url}: ")),
            "{warning}"
        );
        assert!(warning.contains("Connection refused"), "{warning}");
        assert!(
            warning
                .trim_end()
                .ends_with(&format!("trying again in {wait}")),
            "{warning}"
        );
    }
    assert!(still_running, "{warnings:?}");
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited");
}

#[test]
fn v_logs_the_clients_retries_and_rust_log_overrides_it() {
    let url = dead_server();
    let since = std::env::temp_dir().join(format!("finchat-cli-log-{}", std::process::id()));
    let since = since.to_string_lossy().into_owned();
    let poll = ["poll", "--since-file", &since, "--once"];
    let stderr = |args: &[&str], rust_log: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_finchat"));
        command
            .args(args)
            .env("FINCHAT_BASE_URL", &url)
            .env("FINCHAT_APP_ID", "app-1")
            .env("FINCHAT_SECRET", "test-secret-value");
        match rust_log {
            Some(filter) => command.env("RUST_LOG", filter),
            None => command.env_remove("RUST_LOG"),
        };
        String::from_utf8(command.output().unwrap().stderr).unwrap()
    };
    let quiet = stderr(&poll, None);
    assert!(!quiet.contains("DEBUG"), "{quiet}");
    let verbose = stderr(&[&["-v"][..], &poll[..]].concat(), None);
    assert!(
        verbose.lines().any(|line| line.contains(" DEBUG ")
            && line.contains(" finchat_client::")
            && line.contains(": retrying")),
        "{verbose}"
    );
    let overridden = stderr(&[&["-v"][..], &poll[..]].concat(), Some("off"));
    assert!(!overridden.contains("DEBUG"), "{overridden}");
    // The error that ends the command is not a log line: `off` does not hide it.
    assert!(
        overridden.starts_with("finchat: cannot poll"),
        "{overridden}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_stops_quietly_when_its_reader_goes_away_and_leaves_the_event_for_later() {
    // `listen` has read the first line of stderr and closed it too: as `finchat listen 2>&1 | head -1`,
    // where the log's warning must not end it either.
    let (mut child, addr) = listen(&[]);
    drop(child.stdout.take());
    // Not printed, so not acknowledged: FinChat pushes it again to whoever listens next.
    assert_eq!(put(&addr, &pushed_submission()).await, 500);
    let status = tokio::task::block_in_place(|| child.wait().unwrap());
    assert_eq!(status.code(), Some(0));
}

/// A directory of its own for `name`, empty.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("finchat-cli-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_moves_past_an_event_it_cannot_read_and_keeps_it_in_the_dead_letter() {
    let poison = json!({"event_id": "$1:x", "type": 42});
    let good = json!({"app_id": "app-1", "event_id": "$2:x", "type": "m.room.message", "timestamp": 1,
        "sender": "@a:x", "room_id": "!r:x", "content": {"msgtype": "m.text", "body": "hi"}});
    let page = json!({"events": [poison, good], "since": "page-2"});
    let server = TestServer::with_tokens(move |_, _| Reply::ok(page.clone())).await;
    let dir = temp_dir("poll-poison");
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
    assert_eq!(lines(&output), [good]);
    // The position the API gave, not the last event id.
    assert_eq!(std::fs::read_to_string(&since).unwrap(), "page-2");
    let dead_letter = std::fs::read_to_string(format!("{since}.dead-letter.jsonl")).unwrap();
    let dead: Value = serde_json::from_str(dead_letter.trim_end()).unwrap();
    assert_eq!(dead["event"], poison);
    assert_eq!(dead["event_id"], "$1:x");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_poll_at_once_even_while_the_server_does_not_answer() {
    let (status, stderr) = interrupt_poll(&[]).await;
    assert_eq!(status.code(), Some(0), "{status:?}: {stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_poll_once_while_the_server_does_not_answer() {
    // No loop to stop: the signal ends the process as it would any program.
    let (status, stderr) = interrupt_poll(&["--once"]).await;
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(2),
        "ended by SIGINT, not by the test's kill -9: {status:?}: {stderr}"
    );
}

/// Starts `finchat poll <extra>` against a server that never answers, sends SIGINT once it polls,
/// and returns how it ended (killed with -9 if it does not end within 20 s); no cursor is saved.
async fn interrupt_poll(extra: &[&str]) -> (std::process::ExitStatus, String) {
    let (arrived, arrival) = std::sync::mpsc::channel::<()>();
    let arrived = std::sync::Mutex::new(arrived);
    let server = TestServer::with_tokens(move |_, _| {
        arrived.lock().unwrap().send(()).ok();
        Reply::ok(json!({"events": [], "since": "page-1"})).after(Duration::from_secs(600))
    })
    .await;
    let dir = temp_dir(&format!("poll-ctrl-c{}", extra.concat()));
    let since = dir.join("since.txt");
    let mut child = crate::process::finchat()
        .args(["poll", "--since-file"])
        .arg(&since)
        .args(extra)
        .env("FINCHAT_BASE_URL", server.url())
        .env("FINCHAT_APP_ID", "app-1")
        .env("FINCHAT_SECRET", "test-secret-value")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let ended = tokio::task::block_in_place(|| {
        arrival
            .recv_timeout(Duration::from_secs(30))
            .expect("finchat polls");
        let interrupted = Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
        // Should it not stop, the test fails instead of hanging.
        let (exited, exit) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            if exit.recv_timeout(Duration::from_secs(20)).is_err() {
                Command::new("kill")
                    .args(["-9", &pid.to_string()])
                    .status()
                    .ok();
            }
        });
        let status = child.wait().unwrap();
        exited.send(()).ok();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        (status, stderr)
    });
    assert!(!since.exists(), "no cursor saved for a page not read");
    std::fs::remove_dir_all(&dir).ok();
    ended
}
