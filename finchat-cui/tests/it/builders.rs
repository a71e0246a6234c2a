//! Every content type and element built with the builders, as JSON snapshots.

use finchat_cui::element::{
    Divider, Dropdown, DropdownOption, Image, OpenUrl, Reply, Submit, Text, TextInput,
};
use finchat_cui::{
    Card, Color, CuiContent, Element, FileContent, ImageContent, MessageContent, OpenType, Status,
    TextCardContent, TextContent,
};

use crate::support::{approval_card, approval_content, snapshot};

fn mxc() -> finchat_cui::MxcUri {
    "mxc://example.org/66696e6f6765656b732e636c75625e6f4670efda61000110b517"
        .parse()
        .unwrap()
}

#[test]
fn text_content() {
    snapshot(
        "content_text",
        &MessageContent::from(TextContent::new("hello world")),
    );
}

#[test]
fn textcard_content() {
    let card = TextCardContent::new(
        "测试卡片",
        "测试卡片的内容",
        "https://example.org/home".parse().unwrap(),
        "发送",
    )
    .opentype(OpenType::InBrowser);
    snapshot("content_textcard", &MessageContent::from(card));
}

#[test]
fn image_content() {
    let image = ImageContent::new("test.png", mxc())
        .mimetype("image/png")
        .size(1234242)
        .dimensions(750, 1334);
    snapshot("content_image", &MessageContent::from(image));
}

#[test]
fn file_content() {
    let file = FileContent::new("test.pdf", mxc())
        .mimetype("")
        .size(1234242);
    snapshot("content_file", &MessageContent::from(file));
}

#[test]
fn cui_content() {
    snapshot("content_cui_approval", &approval_content());
}

#[test]
fn cui_content_disabled_with_a_custom_body_for_two_users() {
    let card = approval_card()
        .exclusive_to([
            "@alice:example.org".parse().unwrap(),
            "@bob:example.org".parse().unwrap(),
        ])
        .with_status(Status::Disable);
    snapshot(
        "content_cui_exclusive_disabled",
        &CuiContent::new(card).body("报销申请 #42 已处理"),
    );
}

#[test]
fn elements() {
    let elements: Vec<(&str, Element)> = vec![
        ("element_text", Text::new("FinChat私有化部署POC申请").into()),
        ("element_divider_default", Divider::new().into()),
        (
            "element_divider",
            Divider::new()
                .height(1)
                .background(Color::parse("#666").unwrap())
                .into(),
        ),
        ("element_image", Image::new(mxc()).into()),
        (
            "element_text_input",
            TextInput::new("company")
                .placeholder("公司名称")
                .value("23")
                .into(),
        ),
        (
            "element_dropdown",
            Dropdown::new("test")
                .placeholder("test select")
                .options([
                    DropdownOption::new("test", "1"),
                    DropdownOption::new("test2", "2"),
                ])
                .into(),
        ),
        ("element_submit", Submit::new("提交").into()),
        (
            "element_reply",
            Reply::new("test", "测试reply").status(Status::Input).into(),
        ),
        (
            "element_openurl",
            OpenUrl::new("FinChat", "https://www.finogeeks.com/".parse().unwrap()).into(),
        ),
    ];
    for (name, element) in &elements {
        snapshot(name, element);
    }
}

#[test]
fn builders_write_the_published_element_samples_byte_for_byte() {
    let submit = serde_json::to_string(&Element::from(Submit::new("提交"))).unwrap();
    assert_eq!(
        submit,
        r#"{"type":"button","subtype":"submit","value":"提交","action":"submit"}"#
    );
    let divider = serde_json::to_string(
        &Divider::new()
            .height(1)
            .background(Color::parse("#666").unwrap()),
    )
    .unwrap();
    assert_eq!(
        divider,
        r##"{"type":"divider","subtype":"divider","height":"1","background":"#666"}"##
    );
    let dropdown = Dropdown::new("test")
        .placeholder("test select")
        .option("test", "1")
        .option("test2", "2");
    assert_eq!(
        serde_json::to_value(&dropdown).unwrap(),
        serde_json::json!({"type": "input", "subtype": "dropdown-input", "key": "test", "placeholder": "test select",
            "value": "", "options": [{"label": "test", "value": "1"}, {"label": "test2", "value": "2"}]})
    );
}

#[test]
fn an_approval_form_is_a_few_lines_and_valid() {
    let content = approval_content();
    assert_eq!(content.validate(), Ok(()));
    let card = content.card().unwrap();
    assert_eq!(
        card.keys().collect::<Vec<_>>(),
        ["amount", "dept", "decision", "decision"]
    );
}

#[test]
fn updating_a_card_keeps_every_element_and_changes_only_the_status() {
    let card = approval_card();
    let disabled = card.with_status(Status::Disable);
    assert_eq!(disabled.elements, card.elements);
    let mut json = serde_json::to_value(MessageContent::from(card)).unwrap();
    json["info"]["status"] = "disable".into();
    assert_eq!(
        serde_json::to_value(MessageContent::from(disabled)).unwrap(),
        json
    );
}

#[test]
fn a_card_can_be_built_from_rust_data() {
    let depts = [("财务部", "fin"), ("运营部", "ops"), ("研发部", "dev")];
    let card = Card::form()
        .elements(depts.iter().map(|(label, _)| Element::text(*label)))
        .dropdown(
            Dropdown::new("dept").options(depts.iter().map(|(l, v)| DropdownOption::new(*l, *v))),
        )
        .submit("提交");
    assert_eq!(card.elements.len(), 5);
    assert_eq!(card.validate(), Ok(()));
}
