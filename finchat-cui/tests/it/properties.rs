//! Properties over arbitrary valid cards: they round-trip through JSON unchanged, and breaking one rule
//! in one place is reported at that place with the right kind.

use finchat_cui::element::{
    Divider, Dropdown, DropdownOption, Image, OpenUrl, Reply, Submit, Text, TextInput,
};
use finchat_cui::{Card, Color, CuiContent, Element, MessageContent, Status};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any text, including the empty string, quotes, backslashes, CJK and emoji.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[\u{4e00}-\u{4eff}]{1,6}",
        any::<String>(),
        Just("\"quoted\" \\ back\\slash\n".to_owned()),
    ]
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Input),
        Just(Status::Loading),
        Just(Status::Disable)
    ]
}

/// One element; `n` makes its key unique within the card.
fn element(n: usize) -> impl Strategy<Value = Element> {
    let key = format!("k{n}");
    prop_oneof![
        text().prop_map(|t| Text::new(t).into()),
        (
            proptest::option::of(0u32..100),
            proptest::option::of(prop_oneof![
                Just("#666"),
                Just("#e5e5e5"),
                Just("gray"),
                Just("#0000ff80")
            ])
        )
            .prop_map(|(height, background)| {
                let mut divider = Divider::new();
                if let Some(height) = height {
                    divider = divider.height(height);
                }
                if let Some(background) = background {
                    divider = divider.background(Color::parse(background).unwrap());
                }
                divider.into()
            }),
        (
            "[a-z0-9]{1,6}(\\.[a-z0-9-]{1,6}){0,2}",
            "[A-Za-z0-9_-]{1,24}"
        )
            .prop_map(|(server, media)| Image::new(
                format!("mxc://{server}/{media}").parse().unwrap()
            )
            .into()),
        (
            Just(key.clone()),
            proptest::option::of(text()),
            proptest::option::of(text())
        )
            .prop_map(|(key, placeholder, value)| {
                let mut input = TextInput::new(key);
                input.placeholder = placeholder;
                input.value = value;
                input.into()
            }),
        (
            Just(key.clone()),
            proptest::option::of(text()),
            proptest::collection::vec(text(), 1..5),
            any::<prop::sample::Index>()
        )
            .prop_map(|(key, placeholder, labels, pick)| {
                let options: Vec<_> = labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| DropdownOption::new(label.clone(), format!("v{i}")))
                    .collect();
                let chosen = pick.index(options.len() + 1);
                let value = if chosen == options.len() {
                    String::new()
                } else {
                    format!("v{chosen}")
                };
                let mut dropdown = Dropdown::new(key).options(options).value(value);
                dropdown.placeholder = placeholder;
                dropdown.into()
            }),
        text().prop_map(|caption| Submit::new(caption).into()),
        (
            prop_oneof![Just("answer".to_owned()), Just(format!("r{n}"))],
            text(),
            proptest::option::of(status())
        )
            .prop_map(|(key, caption, status)| {
                let mut reply = Reply::new(key, caption);
                reply.status = status;
                reply.into()
            }),
        (
            text(),
            "[a-z]{1,10}\\.(com|org|cn)",
            "(/[a-z0-9]{0,8}){0,3}"
        )
            .prop_map(|(caption, host, path)| {
                OpenUrl::new(caption, format!("https://{host}{path}").parse().unwrap()).into()
            }),
    ]
}

fn card() -> impl Strategy<Value = MessageContent> {
    (1usize..12)
        .prop_flat_map(|len| (0..len).map(element).collect::<Vec<_>>())
        .prop_flat_map(|elements| (Just(elements), status(), any::<bool>(), "[^\\s]{1,10}"))
        .prop_map(|(elements, status, shared, body)| {
            let card = Card::form()
                .status(status)
                .shared(shared)
                .elements(elements);
            CuiContent::new(card).body(body).into()
        })
}

/// A rule to break in a card's JSON, and where and how it must be reported.
#[derive(Debug, Clone)]
enum Break {
    EmptyBody,
    Version,
    Status,
    EmptyKey(usize),
    DuplicateKey(usize, usize),
    NotMxc(usize),
    NotHttp(usize),
    NotAnOption(usize),
    NoOptions(usize),
    ReplyStatus(usize),
    UnknownElement(usize),
}

fn elements_of(json: &Value) -> &Vec<Value> {
    json["info"]["elements"].as_array().unwrap()
}

fn indexes(json: &Value, subtype: &str) -> Vec<usize> {
    elements_of(json)
        .iter()
        .enumerate()
        .filter(|(_, e)| e["subtype"] == subtype)
        .map(|(i, _)| i)
        .collect()
}

/// The breaks that can be applied to this card.
fn breaks(json: &Value) -> Vec<Break> {
    let mut breaks = vec![Break::EmptyBody, Break::Version, Break::Status];
    let inputs: Vec<usize> = elements_of(json)
        .iter()
        .enumerate()
        .filter(|(_, e)| e["type"] == "input")
        .map(|(i, _)| i)
        .collect();
    for &i in &inputs {
        breaks.push(Break::EmptyKey(i));
    }
    for pair in inputs.windows(2) {
        breaks.push(Break::DuplicateKey(pair[0], pair[1]));
    }
    breaks.extend(indexes(json, "image").into_iter().map(Break::NotMxc));
    breaks.extend(indexes(json, "openurl").into_iter().map(Break::NotHttp));
    for i in indexes(json, "dropdown-input") {
        breaks.push(Break::NotAnOption(i));
        breaks.push(Break::NoOptions(i));
    }
    breaks.extend(indexes(json, "reply").into_iter().map(Break::ReplyStatus));
    breaks.push(Break::UnknownElement(elements_of(json).len() - 1));
    breaks
}

/// Applies the break and returns the `(path, kind)` that must be among the problems.
fn apply(json: &mut Value, which: &Break) -> (String, &'static str) {
    let el = |i: usize| format!("info.elements[{i}]");
    match *which {
        Break::EmptyBody => {
            json["body"] = json!("");
            ("body".into(), "empty_body")
        }
        Break::Version => {
            json["version"] = json!("9.9.9");
            ("version".into(), "unknown_version")
        }
        Break::Status => {
            json["info"]["status"] = json!("pending");
            ("info.status".into(), "unknown_status")
        }
        Break::EmptyKey(i) => {
            json["info"]["elements"][i]["key"] = json!("");
            (format!("{}.key", el(i)), "missing_key")
        }
        Break::DuplicateKey(first, second) => {
            let key = json["info"]["elements"][first]["key"].clone();
            json["info"]["elements"][second]["key"] = key;
            (format!("{}.key", el(second)), "duplicate_key")
        }
        Break::NotMxc(i) => {
            json["info"]["elements"][i]["o_url"] = json!("https://example.org/a.png");
            (format!("{}.o_url", el(i)), "invalid_mxc_uri")
        }
        Break::NotHttp(i) => {
            json["info"]["elements"][i]["action"] = json!("javascript:void(0)");
            (format!("{}.action", el(i)), "invalid_url")
        }
        Break::NotAnOption(i) => {
            json["info"]["elements"][i]["value"] = json!("not-an-option");
            (format!("{}.value", el(i)), "value_not_an_option")
        }
        Break::NoOptions(i) => {
            json["info"]["elements"][i]["options"] = json!([]);
            (format!("{}.options", el(i)), "no_options")
        }
        Break::ReplyStatus(i) => {
            json["info"]["elements"][i]["status"] = json!("xxx");
            (format!("{}.status", el(i)), "unknown_status")
        }
        Break::UnknownElement(i) => {
            json["info"]["elements"][i] = json!({"type": "video", "subtype": "video"});
            (el(i), "unknown_element")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn valid_cards_validate_and_round_trip_unchanged(content in card()) {
        prop_assert_eq!(content.validate(), Ok(()));
        let text = serde_json::to_string(&content).unwrap();
        let back: MessageContent = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &content);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn a_broken_rule_is_reported_at_its_path_with_its_kind(content in card(), pick in any::<prop::sample::Index>()) {
        let mut json = serde_json::to_value(&content).unwrap();
        let choices = breaks(&json);
        let which = &choices[pick.index(choices.len())];
        let (path, kind) = apply(&mut json, which);
        let broken: MessageContent = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&broken).unwrap(), json, "broken content must still round-trip");
        let problems = broken.validate().expect_err("a broken rule must be reported");
        let found = problems.iter().any(|p| p.path.to_string() == path && p.kind.as_str() == kind);
        prop_assert!(found, "{:?}: expected {} at {}, got:\n{}", which, kind, path, problems);
    }
}
