//! Every documented sample parses into the typed model and serialises back to the same JSON value.

use finchat_cui::element::OtherElement;
use finchat_cui::{Element, MessageContent, ProblemKind, Status};
use serde_json::Value;

use crate::support::{fixtures, problems_of};

fn round_trip(name: &str, json: &Value) -> MessageContent {
    let content: MessageContent =
        serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&content).unwrap();
    assert_eq!(&back, json, "{name} does not round-trip");
    let text = serde_json::to_string(&content).unwrap();
    let again: MessageContent = serde_json::from_str(&text).unwrap();
    assert_eq!(
        again, content,
        "{name}: reading our own output gives another value"
    );
    content
}

/// The variant a sample's file name says it is. CUI send and update samples carry `"info": {}`, a
/// placeholder for a card, so they are kept as `Other`.
fn expected_msgtype(name: &str) -> &'static str {
    let what = name.rsplit('-').next().unwrap();
    match what {
        "text" | "event" => "m.text",
        "alert" => "m.alert",
        "file" => "m.file",
        "image" => "m.image",
        "textcard" => "m.textcard",
        "cui" | "message" => "m.cui",
        other => panic!("{name}: unexpected fixture kind {other}"),
    }
}

#[test]
fn every_content_sample_round_trips_unchanged() {
    let samples = fixtures("content");
    assert_eq!(samples.len(), 50);
    for (name, json) in &samples {
        let content = round_trip(name, json);
        assert_eq!(content.msgtype(), expected_msgtype(name), "{name}");
        let placeholder = json["info"] == serde_json::json!({});
        assert_eq!(
            matches!(content, MessageContent::Other(_)),
            placeholder,
            "{name}: only the `info: {{}}` placeholders may be kept as Other"
        );
    }
}

#[test]
fn every_request_sample_carries_content_that_round_trips() {
    let samples = fixtures("requests");
    assert_eq!(samples.len(), 40);
    for (name, request) in &samples {
        let content = request
            .get("content")
            .unwrap_or_else(|| panic!("{name}: no content"));
        round_trip(name, content);
    }
}

#[test]
fn every_sendable_sample_is_valid_as_published() {
    for (name, json) in fixtures("content") {
        let expected = expected_msgtype(&name);
        if expected == "m.alert"
            || json["info"] == serde_json::json!({})
            || name == "format-cui-message"
        {
            continue;
        }
        assert_eq!(problems_of(json), vec![], "{name}");
    }
}

#[test]
fn cui_placeholder_samples_are_not_cards() {
    for (name, json) in fixtures("content") {
        if json["info"] != serde_json::json!({}) {
            continue;
        }
        let problems = problems_of(json);
        assert_eq!(
            problems,
            vec![("info".to_owned(), "missing_field".to_owned())],
            "{name}"
        );
    }
}

#[test]
fn the_format_message_sample_is_a_card_without_elements() {
    let json = fixtures("content")
        .into_iter()
        .find(|(name, _)| name == "format-cui-message")
        .unwrap()
        .1;
    let content = round_trip("format-cui-message", &json);
    let card = content.card().expect("a card");
    assert_eq!(card.status, Status::Input);
    assert!(card.shared);
    assert_eq!(card.fcids.as_deref(), Some(&[][..]));
    assert_eq!(
        problems_of(json),
        vec![("info.elements".to_owned(), "no_elements".to_owned())]
    );
}

#[test]
fn every_element_sample_reads_as_its_variant_and_round_trips() {
    let samples = fixtures("elements");
    assert_eq!(samples.len(), 8);
    for (name, json) in &samples {
        let element: Element = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&element).unwrap(), json, "{name}");
        let ok = match name.as_str() {
            "context-text" => matches!(element, Element::Text(_)),
            "divider" => matches!(element, Element::Divider(ref d) if d.height == Some(1)),
            "image" => matches!(element, Element::Image(_)),
            "text-input" => matches!(element, Element::TextInput(ref i) if i.key == "company"),
            "dropdown-input" => matches!(element, Element::Dropdown(ref d) if d.options.len() == 2),
            "button-submit" => matches!(element, Element::Submit(_)),
            "button-reply" => matches!(element, Element::Reply(_)),
            "button-openurl" => matches!(element, Element::OpenUrl(_)),
            other => panic!("unexpected element fixture {other}"),
        };
        assert!(ok, "{name} read as {element:?}");
    }
}

#[test]
fn the_published_reply_sample_keeps_its_undocumented_status() {
    let json = fixtures("elements")
        .into_iter()
        .find(|(name, _)| name == "button-reply")
        .unwrap()
        .1;
    let Element::Reply(reply) = serde_json::from_value(json).unwrap() else {
        panic!("not a reply");
    };
    let status = reply.status.expect("status kept");
    assert!(!status.is_known());
    assert_eq!(status.as_str(), "xxx");
}

/// The published samples are separate examples: put in one card, the reply's `"status": "xxx"` is not a
/// documented status, and the reply and the dropdown both use the key `test`.
#[test]
fn a_card_of_all_published_elements_reports_the_reply_status_and_the_shared_key() {
    let elements: Vec<Value> = fixtures("elements")
        .into_iter()
        .map(|(_, json)| json)
        .collect();
    let index = |subtype: &str| {
        elements
            .iter()
            .position(|e| e["subtype"] == subtype)
            .unwrap()
    };
    let (reply, dropdown) = (index("reply"), index("dropdown-input"));
    let json = serde_json::json!({
        "msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]",
        "info": {"type": "form", "status": "input", "shared": true, "fcids": [], "elements": elements}
    });
    let content = round_trip("all elements", &json);
    let problems: Vec<_> = content
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|p| (p.path.to_string(), p.kind))
        .collect();
    assert!(
        reply < dropdown,
        "fixtures are read in name order: button-reply before dropdown-input"
    );
    assert_eq!(
        problems,
        [
            (
                format!("info.elements[{reply}].status"),
                ProblemKind::UnknownStatus
            ),
            (
                format!("info.elements[{dropdown}].key"),
                ProblemKind::DuplicateKey
            ),
        ]
    );
}

#[test]
fn unknown_fields_element_types_and_msgtypes_are_kept() {
    let json = serde_json::json!({
        "msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]", "x-trace": {"id": 7},
        "info": {"type": "form", "status": "input", "shared": false, "fcids": ["@a:b"], "theme": "dark",
            "elements": [
                {"type": "chart", "subtype": "pie", "data": [1, 2, 3]},
                {"type": "input", "subtype": "text-input", "key": "k", "maxlength": 20},
                {"type": "input", "subtype": "dropdown-input", "key": "d", "value": "",
                 "options": [{"label": "A", "value": "a", "icon": "mxc://x/y"}]}
            ]}
    });
    let content = round_trip("extras", &json);
    let card = content.card().unwrap();
    assert_eq!(card.extra()["theme"], "dark");
    let Element::Other(other) = &card.elements[0] else {
        panic!()
    };
    assert_eq!(OtherElement::element_type(other), Some("chart"));
    assert_eq!(card.elements[1].extra()["maxlength"], 20);
    let location =
        serde_json::json!({"msgtype": "m.location", "body": "here", "geo_uri": "geo:1,2"});
    let content = round_trip("location", &location);
    assert_eq!(content.msgtype(), "m.location");
    assert_eq!(content.body(), Some("here"));
}
