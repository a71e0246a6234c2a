//! One test per validation rule: the path and the kind of what is reported.

use finchat_cui::element::{Dropdown, Reply, TextInput};
use finchat_cui::{Card, MessageContent};
use serde_json::{Value, json};

use crate::support::{approval_json, problems_of};

fn only(path: &str, kind: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), kind.to_owned())]
}

/// The approval card with one change applied to its JSON.
fn approval_with(change: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut json = approval_json();
    change(&mut json);
    problems_of(json)
}

fn card_with(elements: Value) -> Value {
    json!({"msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]",
        "info": {"type": "form", "status": "input", "shared": true, "fcids": [], "elements": elements}})
}

#[test]
fn the_approval_card_is_valid() {
    assert_eq!(approval_with(|_| {}), vec![]);
}

#[test]
fn text_body_must_not_be_empty() {
    assert_eq!(
        problems_of(json!({"msgtype": "m.text", "body": ""})),
        only("body", "empty_body")
    );
}

#[test]
fn alert_is_received_only() {
    assert_eq!(
        problems_of(json!({"msgtype": "m.alert", "body": "@bot hi"})),
        only("msgtype", "receive_only_msgtype")
    );
}

#[test]
fn unknown_msgtype_cannot_be_sent() {
    assert_eq!(
        problems_of(json!({"msgtype": "m.location", "body": "x"})),
        only("msgtype", "unknown_msgtype")
    );
}

#[test]
fn content_needs_a_msgtype() {
    assert_eq!(
        problems_of(json!({"body": "x"})),
        only("msgtype", "missing_field")
    );
}

#[test]
fn textcard_body_may_be_empty() {
    let card = json!({"msgtype": "m.textcard", "body": "", "info": {"title": "t", "description": "d",
        "url": "https://example.org/home", "btntext": "b"}});
    assert_eq!(problems_of(card), vec![]);
}

#[test]
fn textcard_url_must_be_http() {
    let card = json!({"msgtype": "m.textcard", "body": "", "info": {"title": "t", "description": "d",
        "url": "javascript:alert(1)", "btntext": "b"}});
    assert_eq!(problems_of(card), only("info.url", "invalid_url"));
}

#[test]
fn textcard_opentype_must_be_known() {
    let card = json!({"msgtype": "m.textcard", "body": "", "info": {"title": "t", "description": "d",
        "url": "https://example.org", "btntext": "b", "opentype": "popup"}});
    assert_eq!(problems_of(card), only("info.opentype", "unknown_opentype"));
}

#[test]
fn textcard_needs_its_fields() {
    let card = json!({"msgtype": "m.textcard", "body": "", "info": {"title": 1}});
    assert_eq!(
        problems_of(card),
        vec![
            ("info.title".to_owned(), "wrong_type".to_owned()),
            ("info.description".to_owned(), "missing_field".to_owned()),
            ("info.url".to_owned(), "missing_field".to_owned()),
            ("info.btntext".to_owned(), "missing_field".to_owned()),
        ]
    );
}

#[test]
fn file_mimetype_may_be_empty() {
    let file = json!({"msgtype": "m.file", "body": "a.pdf", "info": {"mimetype": "", "size": 1}, "o_url": "mxc://x/y"});
    assert_eq!(problems_of(file), vec![]);
}

#[test]
fn file_and_image_need_a_name() {
    let file = json!({"msgtype": "m.file", "body": "", "o_url": "mxc://x/y"});
    assert_eq!(problems_of(file), only("body", "empty_body"));
    let image = json!({"msgtype": "m.image", "body": "", "o_url": "mxc://x/y"});
    assert_eq!(problems_of(image), only("body", "empty_body"));
}

#[test]
fn image_o_url_must_be_mxc() {
    let image = json!({"msgtype": "m.image", "body": "a.png", "o_url": "https://x/a.png", "info": {"w": -1}});
    assert_eq!(
        problems_of(image),
        vec![
            ("info.w".to_owned(), "wrong_type".to_owned()),
            ("o_url".to_owned(), "invalid_mxc_uri".to_owned())
        ]
    );
}

#[test]
fn a_placeholder_card_is_one_clear_problem() {
    let mut json = approval_json();
    json["info"] = json!({});
    let content: MessageContent = serde_json::from_value(json).unwrap();
    assert_eq!(
        content.validate().unwrap_err().to_string(),
        "info: empty card `{}`: the API samples show `{}` as a placeholder; a card needs `type`, `status`, \
         `shared` and `elements`"
    );
}

#[test]
fn card_body_must_not_be_empty() {
    assert_eq!(
        approval_with(|j| j["body"] = json!("")),
        only("body", "empty_body")
    );
}

#[test]
fn card_version_must_be_known() {
    assert_eq!(
        approval_with(|j| j["version"] = json!("0.2.0")),
        only("version", "unknown_version")
    );
}

#[test]
fn card_type_must_be_form() {
    assert_eq!(
        approval_with(|j| j["info"]["type"] = json!("table")),
        only("info.type", "unknown_card_type")
    );
}

#[test]
fn card_status_must_be_known() {
    assert_eq!(
        approval_with(|j| j["info"]["status"] = json!("done")),
        only("info.status", "unknown_status")
    );
}

#[test]
fn card_needs_elements() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"] = json!([])),
        only("info.elements", "no_elements")
    );
}

#[test]
fn card_shared_must_be_a_boolean() {
    assert_eq!(
        approval_with(|j| j["info"]["shared"] = json!("yes")),
        only("info.shared", "wrong_type")
    );
}

#[test]
fn card_fcids_must_be_fcids() {
    assert_eq!(
        approval_with(|j| j["info"]["fcids"] = json!(["@a:b", "bob", 3])),
        vec![
            ("info.fcids[1]".to_owned(), "invalid_id".to_owned()),
            ("info.fcids[2]".to_owned(), "wrong_type".to_owned()),
        ]
    );
}

#[test]
fn a_malformed_envelope_still_gets_its_elements_checked() {
    let problems = approval_with(|j| {
        j["info"]["status"] = json!(null);
        j["info"]["elements"][2]["o_url"] = json!("http://x");
    });
    assert_eq!(
        problems,
        vec![
            ("info.status".to_owned(), "wrong_type".to_owned()),
            (
                "info.elements[2].o_url".to_owned(),
                "invalid_mxc_uri".to_owned()
            ),
        ]
    );
}

#[test]
fn input_needs_a_key() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][3]["key"] = json!("")),
        only("info.elements[3].key", "missing_key")
    );
    let without =
        card_with(json!([{"type": "input", "subtype": "text-input", "placeholder": "x"}]));
    assert_eq!(
        problems_of(without),
        only("info.elements[0].key", "missing_key")
    );
}

#[test]
fn input_keys_must_be_unique() {
    let content = MessageContent::from(
        Card::form()
            .input(TextInput::new("amount"))
            .dropdown(Dropdown::new("amount").option("a", "a")),
    );
    let problems = content.validate().unwrap_err();
    assert_eq!(
        problems.to_string(),
        r#"info.elements[1].key: duplicate key "amount" (also used by info.elements[0])"#
    );
}

#[test]
fn reply_buttons_may_share_a_key_but_not_with_an_input() {
    assert_eq!(
        MessageContent::from(
            Card::form()
                .reply(Reply::new("vote", "是"))
                .reply(Reply::new("vote", "否"))
        )
        .validate(),
        Ok(())
    );
    let clash = MessageContent::from(
        Card::form()
            .input(TextInput::new("vote"))
            .reply(Reply::new("vote", "是")),
    );
    let problem = clash.validate().unwrap_err().into_iter().next().unwrap();
    assert_eq!(
        (problem.path.to_string(), problem.kind.as_str()),
        ("info.elements[1].key".to_owned(), "duplicate_key")
    );
}

#[test]
fn reply_needs_a_key() {
    let reply = card_with(json!([{"type": "button", "subtype": "reply", "value": "同意"}]));
    assert_eq!(
        problems_of(reply),
        only("info.elements[0].key", "missing_key")
    );
}

#[test]
fn reply_status_must_be_known() {
    let reply = card_with(
        json!([{"type": "button", "subtype": "reply", "key": "k", "value": "v", "status": "xxx"}]),
    );
    assert_eq!(
        problems_of(reply),
        only("info.elements[0].status", "unknown_status")
    );
}

#[test]
fn dropdown_needs_options() {
    assert_eq!(
        approval_with(|j| {
            j["info"]["elements"][4]["options"] = json!([]);
            j["info"]["elements"][4]["value"] = json!("");
        }),
        only("info.elements[4].options", "no_options")
    );
    let missing =
        card_with(json!([{"type": "input", "subtype": "dropdown-input", "key": "k", "value": ""}]));
    assert_eq!(
        problems_of(missing),
        only("info.elements[0].options", "missing_field")
    );
}

#[test]
fn dropdown_value_must_be_an_option() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][4]["value"] = json!("hr")),
        only("info.elements[4].value", "value_not_an_option")
    );
}

#[test]
fn dropdown_value_may_be_empty_for_none() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][4]["value"] = json!("")),
        vec![]
    );
}

#[test]
fn dropdown_option_values_must_be_unique() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][4]["options"][1]["value"] = json!("fin")),
        only("info.elements[4].options[1].value", "duplicate_option")
    );
}

#[test]
fn image_element_o_url_must_be_mxc() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][2]["o_url"] = json!("https://example.org/a.png")),
        only("info.elements[2].o_url", "invalid_mxc_uri")
    );
}

#[test]
fn openurl_action_must_be_http() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][8]["action"] = json!("ftp://example.org")),
        only("info.elements[8].action", "invalid_url")
    );
}

#[test]
fn submit_action_must_be_submit() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][7]["action"] = json!("send")),
        only("info.elements[7].action", "wrong_submit_action")
    );
}

#[test]
fn divider_height_must_be_a_number_string() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][1]["height"] = json!(2)),
        only("info.elements[1].height", "wrong_type")
    );
    assert_eq!(
        approval_with(|j| j["info"]["elements"][1]["height"] = json!("2px")),
        only("info.elements[1].height", "invalid_height")
    );
}

#[test]
fn divider_background_must_be_a_colour() {
    assert_eq!(
        approval_with(|j| j["info"]["elements"][1]["background"] = json!("red;position:fixed")),
        only("info.elements[1].background", "invalid_color")
    );
}

#[test]
fn text_element_needs_a_value() {
    let text = card_with(json!([{"type": "context", "subtype": "text"}]));
    assert_eq!(
        problems_of(text),
        only("info.elements[0].value", "missing_field")
    );
}

#[test]
fn unknown_elements_cannot_be_sent() {
    let chart = card_with(json!([{"type": "chart", "subtype": "pie"}, "text", {"type": 1}]));
    assert_eq!(
        problems_of(chart),
        vec![
            ("info.elements[0]".to_owned(), "unknown_element".to_owned()),
            ("info.elements[1]".to_owned(), "unknown_element".to_owned()),
            ("info.elements[2]".to_owned(), "unknown_element".to_owned()),
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let problems = approval_with(|j| {
        j["body"] = json!("");
        j["info"]["status"] = json!("xxx");
        j["info"]["elements"][3]["key"] = json!("dept");
        j["info"]["elements"][4]["value"] = json!("hr");
        j["info"]["elements"][8]["action"] = json!("mailto:a@b.c");
    });
    assert_eq!(
        problems,
        vec![
            ("body".to_owned(), "empty_body".to_owned()),
            ("info.status".to_owned(), "unknown_status".to_owned()),
            (
                "info.elements[4].key".to_owned(),
                "duplicate_key".to_owned()
            ),
            (
                "info.elements[4].value".to_owned(),
                "value_not_an_option".to_owned()
            ),
            (
                "info.elements[8].action".to_owned(),
                "invalid_url".to_owned()
            ),
        ]
    );
}

#[test]
fn problem_messages_say_how_to_fix_it() {
    let mut json = approval_json();
    json["info"]["elements"][4]["value"] = json!("hr");
    let content: MessageContent = serde_json::from_value(json).unwrap();
    assert_eq!(
        content.validate().unwrap_err().to_string(),
        r#"info.elements[4].value: value "hr" is not one of the options ("fin", "ops"); use "" for none"#
    );
}

#[test]
fn a_value_not_among_thousands_of_options_names_the_first_ten_and_counts_the_rest() {
    // A dropdown bound from data (a template's `<for>`) can hold thousands of options; the message
    // must stay a line, not the whole list.
    let dropdown = (0..5000).fold(Dropdown::new("city").value("nowhere"), |d, i| {
        d.option(format!("城市{i}"), i.to_string())
    });
    let content = MessageContent::from(Card::form().dropdown(dropdown).submit("提交"));
    assert_eq!(
        content.validate().unwrap_err().to_string(),
        r#"info.elements[0].value: value "nowhere" is not one of the options ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", … 4990 more); use "" for none"#
    );
}
