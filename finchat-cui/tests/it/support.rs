//! Shared test helpers: the fixture folders, an approval card, and the snapshot helper.

use std::path::{Path, PathBuf};

use finchat_cui::element::{Dropdown, Reply, TextInput};
use finchat_cui::{Card, Color, MessageContent};
use serde::Serialize;
use serde_json::Value;

/// Every `*.json` file of `tests/fixtures/<folder>`, by file stem, in name order.
pub fn fixtures(folder: &str) -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
        .iter()
        .map(|path| (stem(path), read_json(path)))
        .collect()
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The README's approval form, built with the builders.
pub fn approval_card() -> Card {
    Card::form()
        .text("报销申请 #42")
        .element(
            finchat_cui::element::Divider::new()
                .height(2)
                .background(Color::parse("#e5e5e5").unwrap()),
        )
        .image("mxc://example.org/abc123".parse().unwrap())
        .input(TextInput::new("amount").placeholder("金额").value("1200"))
        .dropdown(
            Dropdown::new("dept")
                .placeholder("部门")
                .value("fin")
                .option("财务部", "fin")
                .option("运营部", "ops"),
        )
        .reply(Reply::new("decision", "同意"))
        .reply(Reply::new("decision", "驳回"))
        .submit("提交")
        .openurl("查看详情", "https://example.org/claims/42".parse().unwrap())
}

pub fn approval_content() -> MessageContent {
    MessageContent::from(approval_card())
}

/// Snapshots `value` as JSON under `snapshots/<name>.snap` at the workspace root.
pub fn snapshot(name: &str, value: &impl Serialize) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_sort_maps(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

/// Asserts that `text` (generated text, not JSON) equals the snapshot `snapshots/{name}.snap`.
pub fn snapshot_text(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Parses content JSON and returns the problems `validate` reports, as `(path, kind)` pairs.
pub fn problems_of(json: Value) -> Vec<(String, String)> {
    let content: MessageContent = serde_json::from_value(json).expect("content parses");
    match content.validate() {
        Ok(()) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|p| (p.path.to_string(), p.kind.to_string()))
            .collect(),
    }
}

/// The approval card as JSON, for tests that break one rule in it.
pub fn approval_json() -> Value {
    serde_json::to_value(approval_content()).unwrap()
}
