//! `finchat token`, `send`, `update`, `upload` and `download` against a real server, run as a user
//! runs them, configured through the FINCHAT_* environment variables.

use std::process::Output;

use serde_json::{Value, json};

use crate::process::{self, run};
use crate::server::{Recorded, Reply, TestServer};

/// Runs `finchat args` against `server`, with `stdin` as its standard input.
pub fn finchat(server: &TestServer, args: &[&str], stdin: &str) -> Output {
    finchat_at(&server.url(), args, stdin)
}

/// Runs `finchat args` against the server at `url`.
pub fn finchat_at(url: &str, args: &[&str], stdin: &str) -> Output {
    run(
        process::finchat()
            .args(args)
            .env("FINCHAT_BASE_URL", url)
            .env("FINCHAT_APP_ID", "app-1")
            .env("FINCHAT_SECRET", "test-secret-value"),
        stdin,
    )
}

/// Stdout, one JSON value per line.
pub fn lines(output: &Output) -> Vec<Value> {
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
async fn send_exits_0_when_every_target_got_it_and_3_on_invalid_content() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["send", "--room", "!a:example.org", "-"], TEXT)
    });
    assert_eq!(output.status.code(), Some(0));
    let invalid = r#"{"msgtype": "m.text", "body": ""}"#;
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["send", "--room", "!a:example.org", "-"], invalid)
    });
    assert_eq!(output.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .starts_with("finchat: cannot send: content not sent, it breaks the format's rules:\nbody: empty body"),
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
async fn send_reads_the_rooms_file_from_stdin_but_not_both_inputs() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-stdin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let content = dir.join("text.json");
    std::fs::write(&content, TEXT).unwrap();
    let content = content.to_string_lossy().into_owned();
    let output = tokio::task::block_in_place(|| {
        finchat(
            &server,
            &["send", "--rooms-file", "-", &content],
            "!a:example.org\n# skipped\n!b:example.org\n",
        )
    });
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        server.calls()[0].json()["room_ids"],
        json!(["!a:example.org", "!b:example.org"])
    );

    let output =
        tokio::task::block_in_place(|| finchat(&server, &["send", "--rooms-file", "-", "-"], TEXT));
    assert_eq!(output.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("stdin can be read once"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(server.calls().len(), 1, "the second send sent nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn send_names_the_line_of_a_bad_room_id_and_sends_nothing() {
    let server = TestServer::with_tokens(|r, _| answer_send(r)).await;
    let dir = std::env::temp_dir().join(format!("finchat-cli-rooms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rooms = dir.join("rooms.txt");
    std::fs::write(&rooms, "!a:example.org\nnot-a-room\n").unwrap();
    let rooms = rooms.to_string_lossy().into_owned();
    let output = tokio::task::block_in_place(|| {
        finchat(&server, &["send", "--rooms-file", &rooms, "-"], TEXT)
    });
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("finchat: {rooms}:2: room id `not-a-room`")),
        "{stderr}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_reads_stdin_as_octet_stream_unless_told_the_type() {
    let server =
        TestServer::with_tokens(|_, _| Reply::ok(json!({"content_uri": "mxc://example.org/abc"})))
            .await;
    let output = tokio::task::block_in_place(|| finchat(&server, &["upload", "-"], "raw bytes"));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "mxc://example.org/abc\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = tokio::task::block_in_place(|| {
        finchat(
            &server,
            &["upload", "--content-type", "image/png", "-"],
            "png",
        )
    });
    assert_eq!(output.status.code(), Some(0));
    let calls = server.calls();
    assert_eq!(&calls[0].body[..], b"raw bytes");
    assert_eq!(
        calls[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(calls[1].header("content-type"), Some("image/png"));
}

#[tokio::test(flavor = "multi_thread")]
async fn download_of_a_crafted_mxc_uri_makes_no_request_and_names_the_problem() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("text/plain", b"secret")).await;
    for uri in [r"mxc://..\..\..\privilege-api\x/y", "mxc://a/../../x"] {
        let output = tokio::task::block_in_place(|| finchat(&server, &["download", uri], ""));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{uri}: {stderr}");
        assert!(stderr.contains(uri), "{stderr}");
        assert!(
            stderr.contains("server name") || stderr.contains("media id"),
            "{stderr}"
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// `finchat token --verify` reads the token from stdin (a bare token, or the JSON `finchat token`
/// prints), prints `{"result": …}`, and exits 0 when it is valid, 1 when it is not, 3 when it
/// cannot tell.
#[tokio::test(flavor = "multi_thread")]
async fn token_verify_reads_stdin_and_exits_0_when_valid_1_when_not_3_when_it_cannot_tell() {
    let server = TestServer::with_tokens(|r, _| {
        if r.path.ends_with("/auth/token/verify") {
            Reply::ok(json!({"result": r.json()["app_access_token"] == "tok-good"}))
        } else {
            Reply::json(404, json!({"errcode": "FC_NOT_FOUND", "error": ""}))
        }
    })
    .await;
    let valid =
        tokio::task::block_in_place(|| finchat(&server, &["token", "--verify"], "tok-good\n"));
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    assert_eq!(lines(&valid), [json!({"result": true})]);
    let printed = r#"{"app_access_token":"tok-good","expires_in":3599,"token_type":"Bearer"}"#;
    let from_json =
        tokio::task::block_in_place(|| finchat(&server, &["token", "--verify"], printed));
    assert_eq!(from_json.status.code(), Some(0));
    let stale = tokio::task::block_in_place(|| finchat(&server, &["token", "--verify"], "tok-old"));
    assert_eq!(stale.status.code(), Some(1));
    assert_eq!(lines(&stale), [json!({"result": false})]);
    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        calls[0].json(),
        json!({"app_id": "app-1", "app_access_token": "tok-good"})
    );
    assert_eq!(server.token_requests(), 0, "verifying fetches no token");

    let empty = tokio::task::block_in_place(|| finchat(&server, &["token", "--verify"], "\n"));
    assert_eq!(empty.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no token"));
    drop(server);
    let unreachable = tokio::task::block_in_place(|| {
        finchat_at(
            "http://127.0.0.1:9",
            &["token", "--verify"],
            "tok-secret-value",
        )
    });
    assert_eq!(unreachable.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&unreachable.stderr).contains("tok-secret-value"));
}
