//! The generated schemas, run through a real JSON Schema validator: valid content passes, and what a
//! schema can express as invalid fails.

use finchat_cui::schema;
use serde_json::{Value, json};

use crate::support::{approval_json, fixtures, snapshot};

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

#[test]
fn schemas_are_draft_2020_12_with_descriptions() {
    for schema in [
        schema::content(),
        schema::cui(),
        schema::card(),
        schema::submission(),
    ] {
        let value = serde_json::to_value(&schema).unwrap();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(
            value["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{value}"
        );
        jsonschema::meta::validate(&value).expect("valid against the draft 2020-12 meta-schema");
    }
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

#[test]
fn the_content_schema_rejects_what_a_schema_can_express() {
    let content = validator(schema::content());
    let cases: Vec<(&str, Change)> = vec![
        ("bad status", |j| j["info"]["status"] = json!("xxx")),
        ("bad version", |j| j["version"] = json!("0.2.0")),
        ("missing status", |j| {
            drop(j["info"].as_object_mut().unwrap().remove("status"))
        }),
        ("missing elements", |j| {
            drop(j["info"].as_object_mut().unwrap().remove("elements"))
        }),
        ("no elements", |j| j["info"]["elements"] = json!([])),
        ("shared not bool", |j| j["info"]["shared"] = json!("yes")),
        ("height as number", |j| {
            j["info"]["elements"][1]["height"] = json!(2)
        }),
        ("image not mxc", |j| {
            j["info"]["elements"][2]["o_url"] = json!("https://x/y.png")
        }),
        ("input without key", |j| {
            drop(
                j["info"]["elements"][3]
                    .as_object_mut()
                    .unwrap()
                    .remove("key"),
            )
        }),
        ("empty key", |j| j["info"]["elements"][3]["key"] = json!("")),
        ("unknown subtype", |j| {
            j["info"]["elements"][3]["subtype"] = json!("date-input")
        }),
        ("dropdown without options", |j| {
            j["info"]["elements"][4]["options"] = json!([])
        }),
        ("submit action", |j| {
            j["info"]["elements"][7]["action"] = json!("send")
        }),
        ("openurl not http", |j| {
            j["info"]["elements"][8]["action"] = json!("ftp://x")
        }),
        ("unknown msgtype", |j| j["msgtype"] = json!("m.location")),
        ("empty body", |j| j["body"] = json!("")),
        ("placeholder info", |j| j["info"] = json!({})),
    ];
    for (what, change) in cases {
        let mut json = approval_json();
        change(&mut json);
        assert!(!content.is_valid(&json), "{what}: accepted {json}");
    }
    let textcard = json!({"msgtype": "m.textcard", "body": "", "info": {"title": "t", "description": "d",
        "url": "https://example.org", "btntext": "b", "opentype": "popup"}});
    assert!(!content.is_valid(&textcard), "bad opentype accepted");
}

#[test]
fn the_submission_schema_accepts_the_documented_sample() {
    let submission = validator(schema::submission());
    assert!(submission.is_valid(&json!({"action": "submit", "info": {"key1": "value1"}})));
    assert!(!submission.is_valid(&json!({"action": "submit", "info": {"key1": 1}})));
    assert!(!submission.is_valid(&json!({"info": {}})));
}
