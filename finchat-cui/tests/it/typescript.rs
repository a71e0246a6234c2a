//! The TypeScript declarations, checked by `tsc --strict` against the samples: every valid one
//! type-checks as its type, every one broken in a way TypeScript can tell is refused (it stands under
//! `// @ts-expect-error`, so tsc fails if it type-checks). And the per-form declarations.
//!
//! tsc is `FINCHAT_TSC`, else `tsc` on the `PATH`, else `node_modules/.bin/tsc` at the workspace root
//! or under `target/typescript/` (where `.ci/run` installs it). Without one, the tsc tests say so and
//! return, except under CI, where they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use finchat_cui::{CuiChoice, CuiForm, MessageContent, Submission, schema};
use serde_json::{Value, json};

use crate::missing::{on_path, tool_missing};
use crate::schema::{Broken, bad_opentype_textcard, broken_approval_cards};
use crate::support::snapshot_text;
use crate::support::{approval_json, fixtures};

/// How a trip is made.
#[derive(Debug, Clone, PartialEq, CuiChoice)]
pub enum Transport {
    #[cui(label = "火车", value = "train")]
    Train,
    #[cui(label = "飞机")]
    Plane,
}

/// A business trip to approve: required and optional text, a number, a choice, an optional choice
/// and a defaulted yes/no.
#[derive(Debug, Clone, PartialEq, CuiForm)]
#[cui(title = "出差申请")]
pub struct Trip {
    /// Where to.
    #[cui(label = "目的地")]
    pub city: String,
    #[cui(label = "天数")]
    pub days: u8,
    #[cui(label = "交通")]
    pub transport: Transport,
    #[cui(label = "返程交通")]
    pub return_transport: Option<Transport>,
    #[cui(label = "备注")]
    pub note: Option<String>,
    #[cui(label = "加急", default)]
    pub urgent: bool,
}

fn trip() -> Trip {
    Trip {
        city: "上海".into(),
        days: 3,
        transport: Transport::Train,
        return_transport: Some(Transport::Plane),
        note: None,
        urgent: true,
    }
}

#[test]
fn typescript_declarations_snapshot() {
    snapshot_text("schema_typescript", &schema::typescript());
    snapshot_text("schema_typescript_form", &schema::form_typescript::<Trip>());
}

#[test]
fn typescript_declares_each_type_under_its_rust_name() {
    let text = schema::typescript();
    for name in [
        "MessageContent",
        "TextContent",
        "TextCardContent",
        "ImageContent",
        "FileContent",
        "CuiContent",
        "Card",
        "Submission",
        "ReceivedContent",
    ] {
        assert!(
            text.contains(&format!("export interface {name} {{"))
                || text.contains(&format!("export type {name} = ")),
            "{name}"
        );
    }
    assert!(text.contains(
        "export type Element = Text | Divider | Image | TextInput | Dropdown | Submit | Reply | OpenUrl;"
    ));
    assert!(text.contains("export type Status = \"input\" | \"loading\" | \"disable\";"));
    assert!(text.contains(
        "/** The content of `m.file`. */\nexport interface FileContent {\n  msgtype: \"m.file\";"
    ));
}

#[test]
fn typescript_of_a_form_has_a_union_per_choice_and_optional_fields() {
    let text = schema::form_typescript::<Trip>();
    for member in [
        "export interface Trip {\n",
        "  city: string;\n",
        "  days: string;\n",
        "  transport: \"train\" | \"plane\";\n",
        "  return_transport?: \"train\" | \"plane\" | \"\";\n",
        "  note?: string;\n",
        "  urgent?: \"true\" | \"false\" | \"\";\n",
        "   * @default \"false\"\n",
    ] {
        assert!(text.contains(member), "{member:?} in\n{text}");
    }
}

#[test]
fn export_ts_writes_one_declaration_file_per_form() {
    let dir = scratch("export");
    let path = schema::export_ts::<Trip>(dir.join("forms")).unwrap();
    assert_eq!(path, dir.join("forms/Trip.d.ts"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        schema::form_typescript::<Trip>()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn export_ts_names_the_place_it_cannot_write() {
    let dir = scratch("export-error");
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let error = schema::export_ts::<Trip>(file.join("forms")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&file.join("forms").display().to_string()),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn typescript_valid_samples_type_check_and_invalid_ones_do_not() {
    let Some(tsc) = tsc() else { return };
    let samples = samples();
    eprintln!(
        "{} valid and {} invalid samples",
        samples.valid, samples.invalid
    );
    assert!(samples.valid >= 150 && samples.invalid >= 30);
    let dir = scratch("samples");
    let outcome = type_check(&tsc, &dir, &samples);
    assert!(outcome.passed, "{outcome}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn typescript_a_broken_sample_makes_tsc_fail() {
    let Some(tsc) = tsc() else { return };
    let mut samples = Samples::default();
    samples.valid(
        "Element",
        "an input with a number as key",
        &json!({"type": "input", "subtype": "text-input", "key": 1}),
    );
    samples.invalid(
        "Element",
        "a valid text",
        &json!({"type": "context", "subtype": "text", "value": "a"}),
    );
    let dir = scratch("broken");
    let outcome = type_check(&tsc, &dir, &samples);
    assert!(!outcome.passed, "{outcome}");
    // Line 4: the number key; line 6: the `@ts-expect-error` whose error did not come.
    assert!(outcome.output.contains("samples.ts(4,"), "{outcome}");
    assert!(
        outcome.output.contains("samples.ts(6,") && outcome.output.contains("TS2578"),
        "{outcome}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// tsc, or `None` (after saying so, or failing under CI) when it is not installed.
fn tsc() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FINCHAT_TSC").filter(|path| !path.is_empty()) {
        return Some(path.into());
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let found = on_path("tsc").or_else(|| {
        ["node_modules", "target/typescript/node_modules"]
            .map(|dir| workspace.join(dir).join(".bin/tsc"))
            .into_iter()
            .find(|path| path.is_file())
    });
    if found.is_none() {
        tool_missing(
            "TypeScript (tsc) tests",
            "tsc",
            "npm install typescript@5 and set FINCHAT_TSC to its node_modules/.bin/tsc",
        );
    }
    found
}

/// A `.ts` file of samples, each on one line (so `@ts-expect-error` covers all of it), each a
/// JSON value assigned to a type.
#[derive(Debug, Default)]
struct Samples {
    lines: Vec<String>,
    valid: usize,
    invalid: usize,
}

impl Samples {
    fn valid(&mut self, ty: &str, what: &str, json: &Value) {
        self.valid += 1;
        self.push(ty, what, json, false);
    }

    /// A sample TypeScript must refuse: tsc fails if it type-checks.
    fn invalid(&mut self, ty: &str, what: &str, json: &Value) {
        self.invalid += 1;
        self.push(ty, what, json, true);
    }

    fn push(&mut self, ty: &str, what: &str, json: &Value, invalid: bool) {
        let n = self.valid + self.invalid;
        self.lines.push(format!("// {}", what.replace('\n', " ")));
        if invalid {
            self.lines.push("// @ts-expect-error".into());
        }
        self.lines
            .push(format!("export const sample{n}: {ty} = {json};"));
    }

    fn text(&self) -> String {
        let mut text = String::from(
            "import type { Card, CuiContent, Element, MessageContent, ReceivedContent, Submission } \
             from \"./finchat-cui\";\nimport type { Trip } from \"./Trip\";\n",
        );
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// Content an app may send: not the received-only `m.alert`, not the `info: {}` placeholders, not
/// the card without elements.
fn sendable(name: &str, json: &Value) -> bool {
    json["msgtype"] != "m.alert" && json["info"] != json!({}) && name != "format-cui-message"
}

/// Every sample: the documented ones, the approval card and its broken copies, submissions and
/// the values of a form.
fn samples() -> Samples {
    let mut samples = Samples::default();
    for (name, json) in fixtures("content") {
        samples.valid("ReceivedContent", &name, &json);
        if sendable(&name, &json) {
            samples.valid("MessageContent", &name, &json);
            if json["msgtype"] == "m.cui" {
                samples.valid("CuiContent", &name, &json);
                samples.valid("Card", &format!("{name} info"), &json["info"]);
            }
        } else if name == "format-cui-message" {
            samples.valid("MessageContent", "no elements: left to the schema", &json);
        } else {
            samples.invalid("MessageContent", &name, &json);
        }
    }
    for (name, request) in fixtures("requests") {
        let content = &request["content"];
        if sendable(&name, content) {
            samples.valid("MessageContent", &name, content);
        } else {
            samples.invalid("MessageContent", &name, content);
        }
    }
    for (name, json) in fixtures("elements") {
        if name == "button-reply" {
            samples.invalid("Element", "reply with the undocumented status xxx", &json);
        } else {
            samples.valid("Element", &name, &json);
        }
    }
    for (name, event) in fixtures("events") {
        if name.ends_with("finstore.room.interactcui") {
            samples.valid("Submission", &name, &event["event"]["content"]);
        }
    }
    for (name, json) in snapshots() {
        if json["msgtype"] == "m.cui" {
            samples.valid("CuiContent", &name, &json);
        } else if json["type"] == "form" && json.get("elements").is_some() {
            samples.valid("Card", &name, &json);
        } else if name.starts_with("element_") {
            samples.valid("Element", &name, &json);
        }
    }
    let approval = approval_json();
    samples.valid("CuiContent", "the approval card", &approval);
    for element in approval["info"]["elements"].as_array().unwrap() {
        samples.valid("Element", "an approval card element", element);
    }
    samples.valid(
        "ReceivedContent",
        "an unknown msgtype",
        &json!({"msgtype": "m.location", "geo_uri": "geo:1,2"}),
    );
    for Broken { what, json, shape } in broken_approval_cards() {
        if shape {
            samples.invalid("MessageContent", what, &json);
        } else {
            samples.valid(
                "MessageContent",
                &format!("{what}: left to the schema"),
                &json,
            );
        }
    }
    samples.invalid("MessageContent", "bad opentype", &bad_opentype_textcard());
    let undocumented = json!({"type": "context", "subtype": "text", "value": "a", "colour": "red"});
    samples.invalid("Element", "an undocumented field", &undocumented);
    for (what, json) in [
        (
            "value not a string",
            json!({"action": "submit", "info": {"key1": 1}}),
        ),
        ("no action", json!({"info": {}})),
        ("unknown action", json!({"action": "cancel", "info": {}})),
    ] {
        samples.invalid("Submission", what, &json);
    }
    form_samples(&mut samples);
    samples
}

/// The JSON of every snapshot under `snapshots/`: the cards, contents and elements the builders,
/// the `cui!` macro and the forms write, by snapshot name.
fn snapshots() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The body follows the second `---` line of insta's header.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        if let Ok(json) = serde_json::from_str(body) {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            found.push((name, json));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// What a `Trip` form submits, and what it cannot.
fn form_samples(samples: &mut Samples) {
    let card = trip().card();
    let info = |submission: Submission| Value::Object(submission.info);
    samples.valid(
        "Trip",
        "a filled-in trip",
        &info(Submission::prefilled(&card)),
    );
    samples.valid(
        "CuiContent",
        "the trip card",
        &serde_json::to_value(MessageContent::from(card)).unwrap(),
    );
    samples.valid(
        "Trip",
        "only the required fields",
        &json!({"city": "北京", "days": "3", "transport": "plane"}),
    );
    samples.valid("Trip", "nothing chosen where nothing need be", &json!({"city": "", "days": "3", "transport": "train", "return_transport": "", "urgent": ""}));
    for (what, json) in [
        (
            "nothing chosen where a choice is required",
            info(Submission::prefilled(&Trip::blank())),
        ),
        (
            "an unknown choice",
            json!({"city": "北京", "days": "3", "transport": "bus"}),
        ),
        ("no days", json!({"city": "北京", "transport": "train"})),
        (
            "days as a number",
            json!({"city": "北京", "days": 3, "transport": "train"}),
        ),
    ] {
        samples.invalid("Trip", what, &json);
    }
}

/// A fresh scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "finchat-cui-typescript-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What tsc said of the samples.
struct Outcome {
    passed: bool,
    output: String,
    samples: String,
    dir: PathBuf,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "tsc in {}:\n{}", self.dir.display(), self.output)?;
        writeln!(f, "samples.ts:")?;
        for (number, line) in self.samples.lines().enumerate() {
            writeln!(f, "{:4} {line}", number + 1)?;
        }
        Ok(())
    }
}

/// Writes the declarations, the `Trip` form's declaration and `samples.ts` into `dir`, and runs
/// `tsc --strict --noEmit` on them.
fn type_check(tsc: &Path, dir: &Path, samples: &Samples) -> Outcome {
    std::fs::write(dir.join("finchat-cui.d.ts"), schema::typescript()).unwrap();
    schema::export_ts::<Trip>(dir).unwrap();
    let text = samples.text();
    std::fs::write(dir.join("samples.ts"), &text).unwrap();
    let started = Instant::now();
    let output = Command::new(tsc)
        .args(["--strict", "--noEmit", "--pretty", "false"])
        .args(["--target", "es2022", "--module", "esnext"])
        .args(["--moduleResolution", "bundler", "samples.ts"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tsc.display()));
    eprintln!("tsc took {:.1?}", started.elapsed());
    Outcome {
        passed: output.status.success(),
        output: String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
        samples: text,
        dir: dir.to_owned(),
    }
}
