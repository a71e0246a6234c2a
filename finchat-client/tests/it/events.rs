//! Every event sample in the API documents parses to its variant and serialises back unchanged.

use std::path::PathBuf;

use finchat_client::events::{
    AppOperation, AppStatus, Callback, Event, EventContent, RoomType, SearchRequest, SearchResponse,
};
use finchat_cui::{CuiChoice, CuiForm, MessageContent};
use serde_json::Value;

fn samples() -> Vec<(String, Value)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../finchat-cui/tests/fixtures/events");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (name, json)
        })
        .collect()
}

fn expected_variant(event_type: &str, content: &EventContent) -> bool {
    match event_type {
        "m.room.message" => matches!(content, EventContent::Message(_)),
        "finstore.room.interactcui" => matches!(content, EventContent::Submission(_)),
        "finstore.room.create" => matches!(content, EventContent::RoomCreated(_)),
        "finstore.app.webhook" => matches!(content, EventContent::Webhook(_)),
        "finstore.app.application" => matches!(content, EventContent::Application(_)),
        "finstore.app.status" => matches!(content, EventContent::AppStatus(_)),
        "finstore.app.visibility" => matches!(content, EventContent::Visibility(_)),
        "observe.message.sensitivity" => matches!(content, EventContent::Sensitivity(_)),
        "finstore.test.event" => matches!(content, EventContent::Test(_)),
        other => panic!("a sample of an unexpected type {other}"),
    }
}

#[test]
fn every_callback_sample_parses_to_its_variant_and_round_trips() {
    let mut seen = 0;
    for (name, json) in samples() {
        if name.contains("search") || name.contains("forwarder") {
            continue;
        }
        let callback: Callback =
            serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let event_type = json["event"]["type"].as_str().unwrap();
        assert!(
            expected_variant(event_type, &callback.event.content),
            "{name}: {:?}",
            callback.event.content
        );
        assert_eq!(
            serde_json::to_value(&callback).unwrap(),
            json,
            "{name} does not round-trip"
        );
        seen += 1;
    }
    assert_eq!(seen, 26);
}

#[test]
fn callbacks_of_older_servers_have_no_app_id() {
    let (_, json) = samples()
        .into_iter()
        .find(|(n, _)| n == "002-m.room.message")
        .unwrap();
    let callback: Callback = serde_json::from_value(json).unwrap();
    assert_eq!(callback.app_id, None);
    assert!(
        !format!("{callback:?}").contains("2g7als3DgPW6Xp1xEpmcvgVhQG621bFY"),
        "the token is never printed"
    );
}

#[test]
fn polled_events_parse_with_their_app_id_kept() {
    let (_, json) = samples()
        .into_iter()
        .find(|(n, _)| n == "001-forwarder-events-response")
        .unwrap();
    let events: Vec<Event> = serde_json::from_value(json["events"].clone()).unwrap();
    assert!(matches!(events[0].content, EventContent::Submission(_)));
    assert_eq!(events[0].extra()["app_id"], "5cf29aec6ccfd004ccd28075");
    assert_eq!(serde_json::to_value(&events).unwrap(), json["events"]);
}

#[test]
fn typed_fields_read_as_documented() {
    let find = |name: &str| {
        let (_, json) = samples().into_iter().find(|(n, _)| n == name).unwrap();
        serde_json::from_value::<Callback>(json).unwrap().event
    };
    let status = find("000-finstore.app.status");
    let EventContent::AppStatus(change) = &status.content else {
        panic!()
    };
    assert_eq!(
        (&change.from_status, &change.operation, &change.to_status),
        (
            &AppStatus::Publishing,
            &AppOperation::ApprovePublishRequest,
            &AppStatus::PublishApproved
        )
    );
    let alert = find("000-m.room.message-alert");
    assert_eq!(alert.room_type, Some(RoomType::Multi));
    assert!(matches!(
        alert.content,
        EventContent::Message(MessageContent::Alert(_))
    ));
    let submission = find("000-finstore.room.interactcui");
    assert_eq!(
        submission.origin().unwrap().as_str(),
        "$153243582843Pxrdn:example.org"
    );
    assert_eq!(
        submission.sender_fcid().unwrap().as_str(),
        "@alice:example.org"
    );
}

#[derive(Debug, PartialEq, CuiChoice)]
enum Key2 {
    #[cui(value = "value2")]
    Two,
}

#[derive(Debug, PartialEq, CuiForm)]
struct SampleForm {
    key1: String,
    key2: Key2,
    key3: Option<String>,
}

#[test]
fn a_submission_reads_as_a_form() {
    let (_, json) = samples()
        .into_iter()
        .find(|(n, _)| n == "001-finstore.room.interactcui")
        .unwrap();
    let event = serde_json::from_value::<Callback>(json).unwrap().event;
    let form: SampleForm = event.form().unwrap().unwrap();
    assert_eq!(
        form,
        SampleForm {
            key1: "value1".into(),
            key2: Key2::Two,
            key3: Some("value3".into())
        }
    );
}

#[test]
fn unknown_types_and_fields_are_kept() {
    let json = serde_json::json!({"app_id": "a", "token": "t", "event": {
        "event_id": "$x:y", "type": "finstore.new.thing", "timestamp": 1, "sender": "", "content": {"a": [1]},
        "new_field": true}});
    let callback: Callback = serde_json::from_value(json.clone()).unwrap();
    assert!(
        matches!(&callback.event.content, EventContent::Other { event_type, .. } if event_type == "finstore.new.thing")
    );
    assert_eq!(serde_json::to_value(&callback).unwrap(), json);
}

#[test]
fn the_search_request_and_answer_read_and_write_as_documented() {
    let (_, json) = samples()
        .into_iter()
        .find(|(n, _)| n == "001-finstore.shortcut.search")
        .unwrap();
    let request: SearchRequest = serde_json::from_value(json).unwrap();
    assert_eq!(request.event.content.search_text, "my text");
    assert_eq!(request.event.content.page_size, 10);
    let (_, answer) = samples()
        .into_iter()
        .find(|(n, _)| n == "001-shortcut-search-response")
        .unwrap();
    let response: SearchResponse = serde_json::from_value(answer.clone()).unwrap();
    let mut expected = answer;
    expected["content"]["opentype"] = "inapp".into();
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        expected,
        "written with the opentype the table requires"
    );
}

#[test]
fn a_search_request_keeps_unsigned_and_unknown_fields_and_writes_them_back() {
    let (_, mut json) = samples()
        .into_iter()
        .find(|(n, _)| n == "001-finstore.shortcut.search")
        .unwrap();
    json["event"]["unsigned"] = serde_json::json!({"age": 1200, "transaction_id": "t1"});
    json["event"]["new_envelope_field"] = serde_json::json!([1, "a"]);
    json["event"]["content"]["filter"] = serde_json::json!({"kind": "doc"});
    json["new_top_field"] = serde_json::json!(true);
    let request: SearchRequest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        request.event.unsigned,
        Some(serde_json::json!({"age": 1200, "transaction_id": "t1"}))
    );
    assert_eq!(
        request.event.extra()["new_envelope_field"],
        serde_json::json!([1, "a"])
    );
    assert_eq!(
        request.event.content.extra()["filter"],
        serde_json::json!({"kind": "doc"})
    );
    assert_eq!(serde_json::to_value(&request).unwrap(), json);
}

/// Values to put where a sample has one: every JSON type, and strings that look like ids.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(json_value("\"$x:y\"")),
        Just(json_value("[1, \"a\", {}]")),
        Just(json_value("{\"msgtype\": \"m.cui\", \"info\": []}")),
    ]
}

fn json_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Every path to a value inside `value`.
fn paths(value: &Value, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    if let Value::Object(map) = value {
        for (key, child) in map {
            let mut path = prefix.clone();
            path.push(key.clone());
            paths(child, path, out);
        }
    }
}

fn set(value: &mut Value, path: &[String], new: Value) {
    match path.split_first() {
        None => *value = new,
        Some((key, rest)) => {
            if let Some(child) = value.get_mut(key) {
                set(child, rest, new);
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

    /// The stable-Rust companion of the `cargo fuzz` target: arbitrary bytes never panic the parser.
    #[test]
    fn arbitrary_bytes_never_panic_the_event_parser(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<Callback>(&bytes);
        let _ = serde_json::from_slice::<Event>(&bytes);
        let _ = serde_json::from_slice::<SearchRequest>(&bytes);
    }

    /// Any one value of any sample replaced by any JSON: parsing never panics, and what parses
    /// serialises back to exactly what came.
    #[test]
    fn a_sample_with_any_value_replaced_round_trips_or_is_refused(pick in proptest::prelude::any::<proptest::sample::Index>(), which in proptest::prelude::any::<proptest::sample::Index>(), new in any_json()) {
        let samples: Vec<Value> = samples().into_iter().filter(|(n, _)| !n.contains("search") && !n.contains("forwarder")).map(|(_, j)| j).collect();
        let mut sample = samples[which.index(samples.len())].clone();
        let mut all = Vec::new();
        paths(&sample, Vec::new(), &mut all);
        let path = all[pick.index(all.len())].clone();
        set(&mut sample, &path, new);
        if let Ok(callback) = serde_json::from_value::<Callback>(sample.clone()) {
            proptest::prop_assert_eq!(serde_json::to_value(&callback).unwrap(), sample);
        }
    }
}
