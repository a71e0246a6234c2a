//! The plain-text fallback: what a notification, a log line or a client without cards shows.

use crate::element::{Dropdown, TextInput};
use crate::{Card, Element, MessageContent};

/// The line a divider becomes.
const DIVIDER_LINE: &str = "────────";
/// What an empty text field shows instead of its value.
const BLANK: &str = "＿＿＿";

/// The plain-text fallback of any content, for notifications and platforms that cannot draw it.
///
/// `m.text` and `m.alert` give their body; `m.textcard` its title, description and `button: url`;
/// `m.image` and `m.file` `[图片] name` and `[文件] name`; `m.cui` the [`card_text`] of its card; any
/// other msgtype its string `body`, or `[msgtype]` without one.
///
/// ```
/// use finchat_cui::{render::plain_text, MessageContent};
/// assert_eq!(plain_text(&MessageContent::text("hello")), "hello");
/// ```
pub fn plain_text(content: &MessageContent) -> String {
    match content {
        MessageContent::Text(text) | MessageContent::Alert(text) => text.body.clone(),
        MessageContent::TextCard(card) => {
            let info = &card.info;
            let button = format!("{}: {}", info.btntext, info.url);
            [info.title.as_str(), info.description.as_str(), &button]
                .into_iter()
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        }
        MessageContent::Image(image) => tagged("[图片]", &image.body),
        MessageContent::File(file) => tagged("[文件]", &file.body),
        MessageContent::Cui(cui) => card_text(&cui.info),
        MessageContent::Other(other) => match content.body() {
            Some(body) => body.to_owned(),
            // Content without a string msgtype still needs some visible marker.
            None if other.msgtype().is_empty() => "[消息]".to_owned(),
            None => format!("[{}]", other.msgtype()),
        },
    }
}

/// What a card shows as text: one line per element, top to bottom.
///
/// Text as is; a divider `────────`; an image `[图片]`; a text field `label: value` (`＿＿＿` when
/// empty); a dropdown `label: chosen option` (all options joined by ` / ` when none is chosen); submit
/// and reply buttons `[ caption ]`; a link button `caption: url`; an element this library does not know
/// `[unsupported element type/subtype]`. A field's label is its placeholder, or its key without one.
///
/// ```
/// use finchat_cui::{render::card_text, Card};
/// let card = Card::form().text("周报提醒").divider().submit("已读");
/// assert_eq!(card_text(&card), "周报提醒\n────────\n[ 已读 ]");
/// ```
pub fn card_text(card: &Card) -> String {
    card.elements
        .iter()
        .map(element_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn element_line(element: &Element) -> String {
    match element {
        Element::Text(text) => text.value.clone(),
        Element::Divider(_) => DIVIDER_LINE.to_owned(),
        Element::Image(_) => "[图片]".to_owned(),
        Element::TextInput(input) => text_input_line(input),
        Element::Dropdown(dropdown) => dropdown_line(dropdown),
        Element::Submit(submit) => button(&submit.value),
        Element::Reply(reply) => button(&reply.value),
        Element::OpenUrl(link) => format!("{}: {}", link.value, link.action),
        Element::Other(other) => format!(
            "[unsupported element {}/{}]",
            other.element_type().unwrap_or("?"),
            other.subtype().unwrap_or("?")
        ),
    }
}

fn text_input_line(input: &TextInput) -> String {
    let value = input.value.as_deref().filter(|v| !v.is_empty());
    format!(
        "{}: {}",
        field_label(input.placeholder.as_deref(), &input.key),
        value.unwrap_or(BLANK)
    )
}

fn dropdown_line(dropdown: &Dropdown) -> String {
    let label = field_label(dropdown.placeholder.as_deref(), &dropdown.key);
    match selected_option_label(dropdown) {
        Some(chosen) => format!("{label}: {chosen}"),
        None => {
            let labels: Vec<&str> = dropdown.options.iter().map(|o| o.label.as_str()).collect();
            format!("{label}: {}", labels.join(" / "))
        }
    }
}

/// The label of the option the dropdown's `value` picks; `""` means nothing is chosen.
pub(super) fn selected_option_label(dropdown: &Dropdown) -> Option<&str> {
    selected_option_index(dropdown).map(|i| dropdown.options[i].label.as_str())
}

/// The index of the option the dropdown's `value` picks; `""` means nothing is chosen.
pub(super) fn selected_option_index(dropdown: &Dropdown) -> Option<usize> {
    if dropdown.value.is_empty() {
        return None;
    }
    dropdown
        .options
        .iter()
        .position(|option| option.value == dropdown.value)
}

/// What names a field for a person: its placeholder, or its key when there is none.
pub(super) fn field_label<'a>(placeholder: Option<&'a str>, key: &'a str) -> &'a str {
    placeholder.filter(|p| !p.trim().is_empty()).unwrap_or(key)
}

fn button(caption: &str) -> String {
    format!("[ {caption} ]")
}

fn tagged(tag: &str, name: &str) -> String {
    if name.is_empty() {
        tag.to_owned()
    } else {
        format!("{tag} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::approval_card;
    use crate::{FileContent, ImageContent, TextCardContent, TextContent};

    #[test]
    fn approval_card_reads_as_one_line_per_element() {
        assert_eq!(
            card_text(&approval_card()),
            "报销申请 #42\n\
             申请人：张三 · 差旅费 · 3 张发票\n\
             ────────\n\
             [图片]\n\
             金额（元）: 1200\n\
             费用归属部门: 运营部\n\
             审批意见: ＿＿＿\n\
             [ 同意 ]\n\
             [ 驳回 ]\n\
             查看详情: https://oa.example.org/expense/42"
        );
    }

    #[test]
    fn cui_content_reads_as_its_card_and_both_helpers_agree() {
        let card = approval_card();
        let content = MessageContent::from(card.clone());
        assert_eq!(plain_text(&content), card_text(&card));
        assert_eq!(content.to_plain_text(), card.to_plain_text());
    }

    #[test]
    fn fields_fall_back_to_key_and_dropdowns_list_their_options() {
        let card = Card::form()
            .input(TextInput::new("company").value(""))
            .dropdown(
                Dropdown::new("size")
                    .option("小", "s")
                    .option("中", "m")
                    .option("大", "l"),
            )
            .submit("提交");
        assert_eq!(
            card_text(&card),
            "company: ＿＿＿\nsize: 小 / 中 / 大\n[ 提交 ]"
        );
    }

    #[test]
    fn unknown_elements_are_named_by_type_and_subtype() {
        let card: Card = serde_json::from_value(serde_json::json!({
            "type": "form", "status": "input", "shared": true, "fcids": [],
            "elements": [{ "type": "chart", "subtype": "pie", "data": [1, 2] }, { "value": 3 }],
        }))
        .unwrap();
        assert_eq!(
            card_text(&card),
            "[unsupported element chart/pie]\n[unsupported element ?/?]"
        );
    }

    #[test]
    fn each_content_type_has_its_plain_text() {
        let mxc = || "mxc://example.org/abc".parse().unwrap();
        let cases: Vec<(MessageContent, &str)> = vec![
            (MessageContent::text("hello world"), "hello world"),
            (
                serde_json::from_str(r#"{"msgtype":"m.alert","body":"@bot 帮我请假"}"#).unwrap(),
                "@bot 帮我请假",
            ),
            (
                TextCardContent::new(
                    "测试卡片",
                    "测试卡片的内容",
                    "https://example.org/home".parse().unwrap(),
                    "发送",
                )
                .into(),
                "测试卡片\n测试卡片的内容\n发送: https://example.org/home",
            ),
            (
                ImageContent::new("test.png", mxc()).into(),
                "[图片] test.png",
            ),
            (ImageContent::new("", mxc()).into(), "[图片]"),
            (
                FileContent::new("test.pdf", mxc()).size(1234).into(),
                "[文件] test.pdf",
            ),
            (
                MessageContent::from(Card::form().text("周报提醒").submit("已读")),
                "周报提醒\n[ 已读 ]",
            ),
            (
                serde_json::from_str(
                    r#"{"msgtype":"m.location","body":"公司","geo_uri":"geo:1,2"}"#,
                )
                .unwrap(),
                "公司",
            ),
            (
                serde_json::from_str(r#"{"msgtype":"m.location","geo_uri":"geo:1,2"}"#).unwrap(),
                "[m.location]",
            ),
            (serde_json::from_str(r#"{"body":7}"#).unwrap(), "[消息]"),
        ];
        for (content, expected) in cases {
            assert_eq!(plain_text(&content), expected, "{content:?}");
        }
        assert_eq!(
            MessageContent::from(TextContent::new("x")).to_plain_text(),
            "x"
        );
    }
}
