//! `finchat validate --lint`: warnings for what is legal but poor, and `--deny-warnings`.

use std::process::Output;

use crate::process::{self, run};

fn validate(args: &[&str], stdin: &str) -> Output {
    run(process::finchat().arg("validate").args(args), stdin)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A valid card with two weaknesses: the default body, and an input without label or placeholder.
const POOR_CARD: &str = r#"{"msgtype":"m.cui","version":"0.1.0","body":"[交互卡片]","info":{"type":"form","status":"input","shared":false,
  "elements":[{"type":"input","subtype":"text-input","key":"amount"},
              {"type":"button","subtype":"submit","value":"提交","action":"submit"}]}}"#;

#[test]
fn lint_prints_warnings_with_path_and_hint_and_still_exits_0() {
    let output = validate(&["--lint", "-"], POOR_CARD);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("<stdin>: body: warning: the body is the default \"[交互卡片]\""),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "<stdin>: info.elements[0]: warning: input \"amount\" has no label and no placeholder (hint: put a <text> right before it, or give it a placeholder)"
    );
}

#[test]
fn without_lint_a_valid_poor_card_prints_nothing() {
    let output = validate(&["-"], POOR_CARD);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn deny_warnings_makes_warnings_problems() {
    let output = validate(&["--lint", "--deny-warnings", "-"], POOR_CARD);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(stdout(&output).lines().count(), 2);
}

#[test]
fn deny_warnings_needs_lint() {
    let output = validate(&["--deny-warnings", "-"], POOR_CARD);
    assert_eq!(output.status.code(), Some(2), "a usage error: {output:?}");
}

#[test]
fn json_warnings_carry_level_and_hint_and_problems_do_not() {
    let broken_and_poor = POOR_CARD.replace(r#""status":"input""#, r#""status":"pending""#);
    let output = validate(&["--lint", "--format", "json", "-"], &broken_and_poor);
    assert_eq!(output.status.code(), Some(1), "the problem still counts");
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["kind"], "unknown_status");
    assert!(lines[0].get("level").is_none() && lines[0].get("hint").is_none());
    assert_eq!(lines[1]["path"], "body");
    assert_eq!(lines[1]["kind"], "default_body");
    assert_eq!(lines[1]["level"], "warning");
    assert_eq!(lines[2]["kind"], "unlabelled_input");
    assert!(lines[2]["hint"].as_str().unwrap().contains("placeholder"));
}

#[test]
fn lint_paths_in_requests_start_with_content() {
    let request = format!(r#"{{"room_id":"!r:example.org","content":{POOR_CARD}}}"#);
    let output = validate(&["--lint", "-"], &request);
    let text = stdout(&output);
    assert!(
        text.lines()
            .all(|line| line.starts_with("<stdin>: content.")),
        "{text}"
    );
}
