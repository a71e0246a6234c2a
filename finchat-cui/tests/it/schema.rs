//! The generated schemas, run through a real JSON Schema validator: valid content passes, and what a
//! schema can express as invalid fails.

use finchat_cui::{CuiForm, schema};
use serde_json::{Value, json};

use crate::support::{approval_json, fixtures, snapshot};
use crate::typescript::Trip;

fn validator(schema: schemars::Schema) -> jsonschema::Validator {
    let schema = serde_json::to_value(schema).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The `$id` of the schema named `name`, under this crate's version.
fn id(name: &str) -> String {
    format!(
        "https://finchat-cui.dev/schema/{}/{name}.json",
        env!("CARGO_PKG_VERSION")
    )
}

#[test]
fn schemas_are_draft_2020_12_with_a_versioned_id_a_title_and_descriptions() {
    for (name, schema) in [
        ("content", schema::content()),
        ("cui", schema::cui()),
        ("card", schema::card()),
        ("submission", schema::submission()),
    ] {
        let value = serde_json::to_value(&schema).unwrap();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(value["$id"], id(name).as_str(), "{name}");
        assert!(
            value["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("FinChat ")),
            "{value}"
        );
        assert!(
            value["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{value}"
        );
        jsonschema::meta::validate(&value).expect("valid against the draft 2020-12 meta-schema");
    }
}

#[test]
fn a_form_schema_has_an_id_named_by_its_title() {
    let value = serde_json::to_value(Trip::schema()).unwrap();
    assert_eq!(value["title"], "出差申请");
    // 出差申请, percent-encoded as UTF-8.
    assert_eq!(
        value["$id"],
        id("form/%E5%87%BA%E5%B7%AE%E7%94%B3%E8%AF%B7").as_str()
    );
    jsonschema::meta::validate(&value).expect("valid against the draft 2020-12 meta-schema");
}

#[test]
fn schema_snapshots() {
    snapshot("schema_content", &schema::content());
    snapshot("schema_cui", &schema::cui());
    snapshot("schema_card", &schema::card());
    snapshot("schema_submission", &schema::submission());
}

#[test]
fn the_content_schema_accepts_every_valid_sample() {
    let content = validator(schema::content());
    for (name, json) in fixtures("content") {
        let sendable = json["msgtype"] != "m.alert"
            && json["info"] != json!({})
            && name != "format-cui-message";
        if sendable {
            assert_eq!(errors(&content, &json), Vec::<String>::new(), "{name}");
        }
    }
    assert_eq!(errors(&content, &approval_json()), Vec::<String>::new());
}

#[test]
fn the_cui_and_card_schemas_accept_the_approval_card() {
    let json = approval_json();
    assert!(validator(schema::cui()).is_valid(&json));
    assert!(validator(schema::card()).is_valid(&json["info"]));
}

/// A change that breaks one rule in the approval card's JSON.
type Change = fn(&mut Value);

/// A broken copy of the approval card: what is broken, and whether TypeScript's types can tell
/// (a wrong type, tag or word, a missing field), or only a schema (a pattern, an empty string or list).
pub struct Broken {
    pub what: &'static str,
    pub json: Value,
    pub shape: bool,
}

/// The approval card broken in each way a schema can express, one rule at a time.
pub fn broken_approval_cards() -> Vec<Broken> {
    let shape: Vec<(&str, Change)> = vec![
        ("bad status", |j| j["info"]["status"] = json!("xxx")),
        ("bad version", |j| j["version"] = json!("0.2.0")),
        ("missing status", |j| {
            drop(j["info"].as_object_mut().unwrap().remove("status"))
        }),
        ("missing elements", |j| {
            drop(j["info"].as_object_mut().unwrap().remove("elements"))
        }),
        ("shared not bool", |j| j["info"]["shared"] = json!("yes")),
        ("height as number", |j| {
            j["info"]["elements"][1]["height"] = json!(2)
        }),
        ("input without key", |j| {
            drop(
                j["info"]["elements"][3]
                    .as_object_mut()
                    .unwrap()
                    .remove("key"),
            )
        }),
        ("unknown subtype", |j| {
            j["info"]["elements"][3]["subtype"] = json!("date-input")
        }),
        ("input tagged as a button", |j| {
            j["info"]["elements"][3]["type"] = json!("button")
        }),
        ("submit action", |j| {
            j["info"]["elements"][7]["action"] = json!("send")
        }),
        ("reply status", |j| {
            j["info"]["elements"][5]["status"] = json!("xxx")
        }),
        ("unknown msgtype", |j| j["msgtype"] = json!("m.location")),
        ("placeholder info", |j| j["info"] = json!({})),
    ];
    let value: Vec<(&str, Change)> = vec![
        ("no elements", |j| j["info"]["elements"] = json!([])),
        ("image not mxc", |j| {
            j["info"]["elements"][2]["o_url"] = json!("https://x/y.png")
        }),
        ("empty key", |j| j["info"]["elements"][3]["key"] = json!("")),
        ("dropdown without options", |j| {
            j["info"]["elements"][4]["options"] = json!([])
        }),
        ("openurl not http", |j| {
            j["info"]["elements"][8]["action"] = json!("ftp://x")
        }),
        ("empty body", |j| j["body"] = json!("")),
    ];
    let broken = |(what, change): (&'static str, Change), shape| {
        let mut json = approval_json();
        change(&mut json);
        Broken { what, json, shape }
    };
    let shape = shape.into_iter().map(|case| broken(case, true));
    shape
        .chain(value.into_iter().map(|case| broken(case, false)))
        .collect()
}

#[test]
fn the_content_schema_rejects_what_a_schema_can_express() {
    let content = validator(schema::content());
    for Broken { what, json, .. } in broken_approval_cards() {
        assert!(!content.is_valid(&json), "{what}: accepted {json}");
    }
    assert!(
        !content.is_valid(&bad_opentype_textcard()),
        "bad opentype accepted"
    );
}

/// A text card whose `opentype` is none of the documented words.
pub fn bad_opentype_textcard() -> Value {
    json!({"msgtype": "m.textcard", "body": "", "info": {"title": "t", "description": "d",
        "url": "https://example.org", "btntext": "b", "opentype": "popup"}})
}

#[test]
fn the_submission_schema_accepts_the_documented_sample() {
    let submission = validator(schema::submission());
    assert!(submission.is_valid(&json!({"action": "submit", "info": {"key1": "value1"}})));
    assert!(!submission.is_valid(&json!({"action": "submit", "info": {"key1": 1}})));
    assert!(!submission.is_valid(&json!({"info": {}})));
}
