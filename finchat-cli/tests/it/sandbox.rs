//! `finchat sandbox`, run as a process: where it says it is, who is in it, and what it serves there;
//! and the flags that name its world, refused with a usage error when wrong.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::json;

use crate::process::{finchat, run};

/// A `finchat sandbox` process, killed when the test ends, passed or not.
struct Running {
    child: Child,
    /// What it printed up to the `use it` line.
    welcome: String,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Starts `finchat sandbox --port 0 ARGS` and reads its welcome text.
fn start(args: &[&str]) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args(["sandbox", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running {
        child,
        welcome: String::new(),
        url: String::new(),
    };
    let mut stdout = BufReader::new(running.child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        let read = stdout.read_line(&mut line).unwrap();
        assert!(
            read > 0,
            "it stopped before its welcome: {}",
            running.welcome
        );
        running.welcome.push_str(&line);
        if line.starts_with("  use it") {
            break;
        }
    }
    running.url = running
        .welcome
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("FinChat sandbox at "))
        .unwrap()
        .to_owned();
    running
}

fn sandbox(args: &[&str]) -> Output {
    let mut command = finchat();
    command.arg("sandbox").args(args);
    run(&mut command, "")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn finchat_sandbox_prints_where_it_is_and_serves_the_page() {
    let running = start(&["--app-id", "cli-app", "--secret", "cli-secret"]);
    let url = &running.url;
    let html = reqwest::get(format!("{url}/")).await.unwrap().text().await;
    let token = reqwest::Client::new()
        .post(format!("{url}/api/v1/finchat/open-api/auth/token"))
        .json(&json!({"app_id": "cli-app", "secret": "cli-secret"}))
        .send()
        .await
        .unwrap();
    assert!(html.unwrap().contains("FinChat sandbox"));
    assert_eq!(token.status(), 200);
    for expected in [
        "cli-app",
        "cli-secret",
        "@finchat-bot:sandbox 机器人",
        "@alice:sandbox 张三",
        "@bob:sandbox 李四",
        "@carol:sandbox 王五",
        "room      !finance:sandbox 财务部  with 张三, 李四, 王五",
    ] {
        assert!(
            running.welcome.contains(expected),
            "{expected} in {}",
            running.welcome
        );
    }
}

#[test]
fn the_people_and_the_bot_come_from_the_flags() {
    let running = start(&[
        "--person",
        "@zhang:corp.example 张三",
        "--person",
        "@li:corp.example",
        "--bot",
        "@helper:corp.example 小 助手",
    ]);
    let welcome = &running.welcome;
    for expected in [
        "bot       @helper:corp.example 小 助手",
        "person    @zhang:corp.example 张三  direct room !direct-zhang:corp.example",
        "person    @li:corp.example li  direct room !direct-li:corp.example",
        "room      !finance:sandbox 财务部  with 张三, li",
    ] {
        assert!(welcome.contains(expected), "{expected} in {welcome}");
    }
    assert!(!welcome.contains("@alice:sandbox"), "{welcome}");
}

/// A file in a directory of this test run's own.
fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("finchat-cli-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn the_world_comes_from_a_world_file_and_a_wrong_one_names_the_place() {
    let world = temp_file(
        "world.json",
        r#"{"bot": {"fcid": "@helper:corp.example", "name": "小助手"},
            "people": [{"fcid": "@zhang:corp.example", "name": "张三"},
                       {"fcid": "@li:corp.example", "name": "李四"}],
            "rooms": [{"room_id": "!team:corp.example", "name": "项目组",
                       "members": ["@li:corp.example"]}]}"#,
    );
    let running = start(&["--world", &world]);
    for expected in [
        "bot       @helper:corp.example 小助手",
        "person    @li:corp.example 李四  direct room !direct-li:corp.example",
        "room      !team:corp.example 项目组  with 李四",
    ] {
        assert!(
            running.welcome.contains(expected),
            "{expected} in {}",
            running.welcome
        );
    }
    drop(running);

    let wrong = temp_file(
        "wrong.json",
        r#"{"people": [{"fcid": "@zhang:corp.example", "name": "张三"},
                       {"fcid": "@zhang:corp.example", "name": "张三"}]}"#,
    );
    let output = sandbox(&["--world", &wrong]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!("finchat: {wrong}: people[1].fcid: duplicate \"@zhang:corp.example\"\n")
    );
    let typo = temp_file("typo.json", r#"{"poeple": []}"#);
    let output = sandbox(&["--world", &typo]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains(&format!("{typo}: poeple: unknown field `poeple`")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_world_flags_are_in_the_help() {
    let output = sandbox(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--person <FCID [NAME]>",
        "--bot <FCID [NAME]>",
        "--world <FILE>",
    ] {
        assert!(help.contains(flag), "{flag} in {help}");
    }
}

#[test]
fn a_bad_person_or_bot_is_a_usage_error_naming_the_flag_and_value() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--person", "zhang 张三"],
            "error: invalid value 'zhang 张三' for '--person <FCID [NAME]>': \"zhang\" is not an \
             fcid (@localpart:server)",
        ),
        (
            &["--bot", "helper"],
            "error: invalid value 'helper' for '--bot <FCID [NAME]>': \"helper\" is not an fcid",
        ),
        (
            &[
                "--person",
                "@z:corp.example 张三",
                "--person",
                "@z:corp.example 李四",
            ],
            "error: invalid value '@z:corp.example 李四' for '--person <FCID [NAME]>': duplicate \
             \"@z:corp.example\"",
        ),
        (
            &[
                "--bot",
                "@z:corp.example 助手",
                "--person",
                "@z:corp.example 张三",
            ],
            "error: invalid value '@z:corp.example 张三' for '--person <FCID [NAME]>': \
             \"@z:corp.example\" is the bot's fcid; the bot is not one of the people",
        ),
        (
            &["--bot", "@alice:sandbox 机器人"],
            "error: invalid value '@alice:sandbox 机器人' for '--bot <FCID [NAME]>': \
             \"@alice:sandbox\" is one of the default people",
        ),
    ];
    for (args, expected) in cases {
        let output = sandbox(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }

    let both = sandbox(&["--world", "world.json", "--person", "@z:corp.example"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("'--world <FILE>' cannot be used with '--person <FCID [NAME]>'"),
        "{}",
        stderr(&both)
    );
}
