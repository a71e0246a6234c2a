//! `finchat schema`, `validate`, `render`, `completions` and `--help`, run as a user runs them.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use crate::process::{self, run};
use std::process::{Command, Output, Stdio};

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../finchat-cui/tests/fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn finchat(args: &[&str], stdin: Option<&str>) -> Output {
    run(process::finchat().args(args), stdin.unwrap_or(""))
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("finchat-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn schema_prints_each_draft_2020_12_schema() {
    for which in ["content", "cui", "card", "submission"] {
        let output = finchat(&["schema", which], None);
        assert!(output.status.success(), "{which}: {}", stderr(&output));
        let schema: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{which}"
        );
    }
    let default = finchat(&["schema"], None);
    assert_eq!(
        stdout(&default),
        stdout(&finchat(&["schema", "content"], None))
    );
}

#[test]
fn validate_accepts_valid_content_and_requests_silently() {
    let output = finchat(
        &[
            "validate",
            &fixture("content/001-send-textcard.json"),
            &fixture("requests/000-send-image.json"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn validate_prints_one_line_per_problem_with_file_and_path() {
    let card = r#"{"msgtype": "m.cui", "version": "0.1.0", "body": "",
        "info": {"type": "form", "status": "done", "shared": true,
                 "elements": [{"type": "input", "subtype": "text-input", "key": "a"},
                              {"type": "input", "subtype": "text-input", "key": "a"}]}}"#;
    let file = temp_file("broken.json", card);
    let output = finchat(&["validate", &file], None);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("{file}: body: empty body")),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        format!(
            r#"{file}: info.status: unknown status "done"; write "input", "loading" or "disable""#
        )
    );
    assert_eq!(
        lines[2],
        format!(
            r#"{file}: info.elements[1].key: duplicate key "a" (also used by info.elements[0])"#
        )
    );
}

#[test]
fn validate_reads_requests_and_prefixes_paths_with_content() {
    let output = finchat(
        &["validate", &fixture("requests/001-update-cui.json")],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.starts_with(&format!(
            "{}: content.info: empty card `{{}}`",
            fixture("requests/001-update-cui.json")
        )),
        "{out}"
    );
}

#[test]
fn validate_reads_stdin() {
    let output = finchat(
        &["validate", "-"],
        Some(r#"{"msgtype": "m.text", "body": ""}"#),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "<stdin>: body: empty body: a text message needs text\n"
    );
}

#[test]
fn validate_exits_3_on_input_that_is_not_json_or_cannot_be_read() {
    let output = finchat(&["validate", "-"], Some("{not json"));
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).starts_with("finchat: <stdin>: not JSON: key must be a string at line 1"),
        "{}",
        stderr(&output)
    );
    let output = finchat(&["validate", "/no/such/file.json", "-"], Some("{}"));
    assert_eq!(output.status.code(), Some(3), "one file could not be read");
    assert_eq!(
        stderr(&output).lines().collect::<Vec<_>>(),
        [
            "finchat: /no/such/file.json: cannot read: No such file or directory (os error 2)",
            "finchat: 1 of 2 files could not be checked",
        ]
    );
    assert!(
        stdout(&output).starts_with("<stdin>: msgtype: "),
        "the other file was checked: {}",
        stdout(&output)
    );
}

#[test]
fn validate_reports_json_that_is_not_a_content_object() {
    let output = finchat(&["validate", "-"], Some("[1, 2]"));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("<stdin>: (content): "),
        "{}",
        stdout(&output)
    );
}

#[test]
fn validate_prints_json_lines_with_file_path_kind_and_message() {
    let request = r#"{"room_ids": ["!r:x"], "content": {"msgtype": "m.cui", "version": "0.1.0", "body": "b",
        "info": {"type": "form", "status": "input", "shared": true,
                 "elements": [{"type": "input", "subtype": "text-input", "key": "a"},
                              {"type": "input", "subtype": "text-input", "key": "a"}]}}}"#;
    let output = finchat(&["validate", "--format", "json", "-"], Some(request));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        concat!(
            r#"{"file":"<stdin>","path":"content.info.elements[1].key","kind":"duplicate_key","#,
            r#""message":"duplicate key \"a\" (also used by info.elements[0])"}"#,
            "\n"
        )
    );
    let output = finchat(&["validate", "--format", "json", "-"], Some("[1, 2]"));
    let line: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        (&line["path"], &line["kind"]),
        (&"(content)".into(), &"wrong_type".into())
    );
}

#[test]
fn validate_ends_quietly_when_its_reader_goes_away() {
    // Far more problems than a pipe holds, so finchat is still writing when the reader leaves.
    let keys = vec![r#"{"type": "input", "subtype": "text-input", "key": "a"}"#; 20_000].join(",");
    let card = format!(
        r#"{{"msgtype": "m.cui", "version": "0.1.0", "body": "b",
            "info": {{"type": "form", "status": "input", "shared": true, "elements": [{keys}]}}}}"#
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_finchat"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(card.as_bytes()).unwrap();
    drop(input);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(
        first.starts_with("<stdin>: info.elements[1].key: duplicate key"),
        "{first}"
    );
    assert_eq!(output.status.code(), Some(1), "problems were found");
    assert_eq!(stderr(&output), "", "no panic, no complaint");
}

#[test]
fn completions_prints_a_script_for_the_shell() {
    let output = finchat(&["completions", "bash"], None);
    assert_eq!(output.status.code(), Some(0));
    let script = stdout(&output);
    assert!(script.contains("complete -F _finchat"), "{script}");
    assert!(script.contains("validate"), "the commands are in it");
    assert!(script.contains("--rooms-file"), "and their flags");
    assert_eq!(
        finchat(&["completions", "tcsh"], None).status.code(),
        Some(2)
    );
}

#[test]
fn help_describes_the_tool_and_its_exit_statuses() {
    let output = finchat(&["--help"], None);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    assert!(
        help.starts_with(
            "Validate, preview and send FinChat cards; receive events; run a local FinChat.\n"
        ),
        "{help}"
    );
    for status in [
        "  0  done",
        "  1  done, with problems",
        "  2  usage error",
        "  3  could not do it",
    ] {
        assert!(help.contains(status), "{status} in {help}");
    }
}

#[test]
fn render_prints_the_fallback_text() {
    let output = finchat(
        &[
            "render",
            "--text",
            &fixture("content/000-send-textcard.json"),
        ],
        None,
    );
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "测试卡片\n测试卡片的内容\n发送: https://example.org/home\n"
    );
}

#[test]
fn render_prints_an_html_page() {
    let output = finchat(
        &["render", "--html", "-"],
        Some(r#"{"msgtype": "m.text", "body": "<hi>"}"#),
    );
    assert!(output.status.success());
    let html = stdout(&output);
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(html.contains("&lt;hi&gt;"));
}

#[test]
fn render_exits_3_on_json_that_is_not_content() {
    let output = finchat(&["render", "--text", "-"], Some("[1]"));
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).starts_with("finchat: <stdin>: not message content: invalid type"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn render_needs_exactly_one_mode() {
    assert_eq!(finchat(&["render"], None).status.code(), Some(2));
}

#[test]
fn schema_ts_prints_the_typescript_declarations_alone() {
    let output = finchat(&["schema", "--ts"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), finchat_cui::schema::typescript());
    assert!(stdout(&output).contains("export interface CuiContent {"));
    let both = finchat(&["schema", "card", "--ts"], None);
    assert_eq!(both.status.code(), Some(2), "a schema or --ts, not both");
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
}

const TEMPLATE: &str = r#"<form body={title}>
    <text>{title}</text>
    <for each={items} as="item"><text>"· " {item}</text></for>
    <reply key="decision">"同意"</reply>
</form>
"#;

#[test]
fn render_prints_the_content_a_template_makes_with_data() {
    let template = temp_file("card.cui", TEMPLATE);
    let data = temp_file(
        "data.json",
        r#"{"title": "报销申请 #42", "items": ["机票", "酒店"]}"#,
    );
    let output = finchat(&["render", "--template", &template, "--data", &data], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let content: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(content["body"], "报销申请 #42");
    assert_eq!(content["info"]["elements"][2]["value"], "· 酒店");

    let output = finchat(
        &["render", "--template", &template, "--data", "-", "--text"],
        Some(r#"{"title": "T", "items": []}"#),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "T\n[ 同意 ]\n");
}

#[test]
fn render_prints_each_template_mistake_at_its_line_and_column() {
    let template = temp_file(
        "bad.cui",
        "<form status=\"pending\">\n  <text>\"a\"</txt>\n</form>\n",
    );
    let output = finchat(&["render", "--template", &template], None);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        format!(
            "{template}:2:14: `</txt>` closes `<text>`; write `</text>`\n\
             {template}:2:4: note: `<text>` is opened here\n\
             {template}:1:14: unknown status `pending`; write \"input\", \"loading\" or \"disable\"\n\
             finchat: {template}: the template has mistakes\n"
        )
    );
}

#[test]
fn render_names_a_path_the_data_lacks() {
    let template = temp_file("card2.cui", TEMPLATE);
    let output = finchat(
        &["render", "--template", &template, "--data", "-"],
        Some(r#"{"items": []}"#),
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).starts_with(&format!(
            "{template}:1:12: `title`: the data has no `title`\n"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn render_does_not_read_template_and_data_both_from_stdin() {
    let output = finchat(
        &["render", "--template", "-", "--data", "-"],
        Some(r#"<text>{a}</text>"#),
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "finchat: `--template -` and `--data -` cannot both read stdin; give one of them a FILE\n"
    );
}

#[test]
fn render_text_without_a_file_needs_a_template() {
    let output = finchat(&["render", "--text"], None);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("need a FILE (or `--template`)"));
    assert_eq!(
        finchat(&["render", "--data", "x.json"], None).status.code(),
        Some(2)
    );
}
