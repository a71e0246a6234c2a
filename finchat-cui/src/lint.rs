//! The lint tier: what is legal but poor. [`MessageContent::validate`] says what FinChat refuses or
//! cannot draw; [`MessageContent::lint`] says what it would send and show, but badly: a field nobody
//! can tell the purpose of, a form that cannot be sent, a notification that says nothing.
//!
//! Each [`Lint`] has a path (as a [`Problem`](crate::Problem) has), a [`LintKind`] and a hint that
//! says how to fix it. Lints are warnings: `finchat validate --lint` prints them and still exits 0,
//! unless `--deny-warnings` is given.
//!
//! ```
//! use finchat_cui::element::TextInput;
//! use finchat_cui::{Card, LintKind, MessageContent};
//!
//! let content = MessageContent::from(Card::form().input(TextInput::new("amount")));
//! let lints = content.lint();
//! let kinds: Vec<LintKind> = lints.iter().map(|lint| lint.kind).collect();
//! assert_eq!(kinds, [LintKind::DefaultBody, LintKind::UnlabelledInput, LintKind::NoSendButton]);
//! assert_eq!(
//!     lints.iter().nth(1).unwrap().to_string(),
//!     "info.elements[0]: input \"amount\" has no label and no placeholder (hint: put a <text> right before it, or give it a placeholder)",
//! );
//! ```

use std::fmt;

use serde::Serialize;

use crate::content::cui::DEFAULT_CARD_BODY;
use crate::render::label_of;
use crate::{Card, CuiContent, Element, MessageContent, Path};

/// More options than this in one dropdown are hard to pick from on a phone: [`LintKind::ManyOptions`].
pub const MAX_DROPDOWN_OPTIONS: usize = 20;

/// A reply caption wider than this, in display columns (a CJK character is two), does not fit on a
/// reply button on a phone, where two buttons share a row: [`LintKind::LongCaption`]. Sixteen columns
/// are eight Chinese characters.
pub const MAX_REPLY_CAPTION_WIDTH: usize = 16;

/// The kind of a [`Lint`], for programs that react to particular ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LintKind {
    /// A text input or dropdown with no text right before it (its label) and no placeholder.
    UnlabelledInput,
    /// A card with inputs but no submit or reply button: what is typed can never be sent.
    NoSendButton,
    /// A card whose `body` is the default `[交互卡片]`, which is all a notification shows.
    DefaultBody,
    /// A dropdown with more than [`MAX_DROPDOWN_OPTIONS`] options.
    ManyOptions,
    /// A reply caption wider than [`MAX_REPLY_CAPTION_WIDTH`] columns.
    LongCaption,
}

impl LintKind {
    /// The kind as written in JSON reports, e.g. `unlabelled_input`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnlabelledInput => "unlabelled_input",
            Self::NoSendButton => "no_send_button",
            Self::DefaultBody => "default_body",
            Self::ManyOptions => "many_options",
            Self::LongCaption => "long_caption",
        }
    }
}

impl fmt::Display for LintKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing legal but poor in a piece of content: where, what kind, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Lint {
    /// Where it is, e.g. `info.elements[3]`.
    pub path: Path,
    /// What kind of weakness it is.
    pub kind: LintKind,
    /// What is wrong, e.g. `input "amount" has no label and no placeholder`.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (hint: {})", self.path, self.message, self.hint)
    }
}

/// Every lint of one piece of content, in document order; often empty.
///
/// Its `Display` writes one lint per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Lints(Vec<Lint>);

impl Lints {
    fn add(&mut self, path: Path, kind: LintKind, message: String, hint: impl Into<String>) {
        self.0.push(Lint {
            path,
            kind,
            message,
            hint: hint.into(),
        });
    }

    /// The lints, in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, Lint> {
        self.0.iter()
    }

    /// How many lints there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Lints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, lint) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{lint}")?;
        }
        Ok(())
    }
}

impl IntoIterator for Lints {
    type Item = Lint;
    type IntoIter = std::vec::IntoIter<Lint>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Lints {
    type Item = &'a Lint;
    type IntoIter = std::slice::Iter<'a, Lint>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl MessageContent {
    /// What is legal but poor in this content: warnings, not errors (see [the lint tier](crate::lint)).
    /// Only cards have lints; other content has none.
    pub fn lint(&self) -> Lints {
        match self {
            Self::Cui(cui) => cui.lint(),
            _ => Lints::default(),
        }
    }
}

impl CuiContent {
    /// The lints of this card message; see [`MessageContent::lint`].
    pub fn lint(&self) -> Lints {
        let mut lints = Lints::default();
        if self.body == DEFAULT_CARD_BODY {
            lints.add(
                Path::root().field("body"),
                LintKind::DefaultBody,
                format!("the body is the default {DEFAULT_CARD_BODY:?}, and a notification of the card shows only its body"),
                "say what the card is about, e.g. body=\"报销申请待审批\"",
            );
        }
        card_lints(&mut lints, &Path::root().field("info"), &self.info);
        lints
    }
}

impl Card {
    /// The lints of this card alone (paths start at `elements`); [`CuiContent::lint`] adds the body's.
    pub fn lint(&self) -> Lints {
        let mut lints = Lints::default();
        card_lints(&mut lints, &Path::root(), self);
        lints
    }
}

fn card_lints(lints: &mut Lints, base: &Path, card: &Card) {
    let elements = &card.elements;
    let at = |index: usize| base.field("elements").index(index);
    for (index, element) in elements.iter().enumerate() {
        match element {
            Element::TextInput(input) => {
                unlabelled(
                    lints,
                    at(index),
                    elements,
                    index,
                    "input",
                    &input.key,
                    input.placeholder.as_deref(),
                );
            }
            Element::Dropdown(dropdown) => {
                unlabelled(
                    lints,
                    at(index),
                    elements,
                    index,
                    "dropdown",
                    &dropdown.key,
                    dropdown.placeholder.as_deref(),
                );
                if dropdown.options.len() > MAX_DROPDOWN_OPTIONS {
                    lints.add(
                        at(index).field("options"),
                        LintKind::ManyOptions,
                        format!(
                            "dropdown {:?} has {} options, more than {MAX_DROPDOWN_OPTIONS} are hard to pick from on a phone",
                            dropdown.key,
                            dropdown.options.len()
                        ),
                        "narrow the list (e.g. a first dropdown choosing the group), or ask for a text input",
                    );
                }
            }
            Element::Reply(reply) if display_width(&reply.value) > MAX_REPLY_CAPTION_WIDTH => {
                lints.add(
                    at(index).field("value"),
                    LintKind::LongCaption,
                    format!(
                        "reply caption {:?} is {} columns wide; a phone shows about {MAX_REPLY_CAPTION_WIDTH} (8 Chinese characters)",
                        reply.value,
                        display_width(&reply.value)
                    ),
                    "shorten it to a verb (同意, 驳回) and put the explanation in a <text> above",
                );
            }
            _ => {}
        }
    }
    let has_inputs = elements
        .iter()
        .any(|e| matches!(e, Element::TextInput(_) | Element::Dropdown(_)));
    let can_send = elements
        .iter()
        .any(|e| matches!(e, Element::Submit(_) | Element::Reply(_)));
    if has_inputs && !can_send {
        lints.add(
            base.field("elements"),
            LintKind::NoSendButton,
            "the card has inputs but no submit or reply button, so what is typed is never sent"
                .to_owned(),
            "add a <submit>\"提交\"</submit> or <reply key=\"…\">\"…\"</reply> button",
        );
    }
}

/// An input or dropdown that nothing names: no text right before it (the rule the renderer uses
/// for labels) and no placeholder.
fn unlabelled(
    lints: &mut Lints,
    path: Path,
    elements: &[Element],
    index: usize,
    what: &str,
    key: &str,
    placeholder: Option<&str>,
) {
    let has_placeholder = placeholder.is_some_and(|p| !p.trim().is_empty());
    if label_of(elements, index).is_none() && !has_placeholder {
        lints.add(
            path,
            LintKind::UnlabelledInput,
            format!("{what} {key:?} has no label and no placeholder"),
            "put a <text> right before it, or give it a placeholder",
        );
    }
}

/// The width of `text` in display columns: East Asian wide and full-width characters (CJK, kana,
/// Hangul, full-width forms, most emoji) count two, others one.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F // Hangul Jamo
        | 0x2E80..=0x303E // CJK radicals, punctuation
        | 0x3041..=0x33FF // kana, CJK symbols
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xA000..=0xA4CF // Yi
        | 0xAC00..=0xD7A3 // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFE30..=0xFE4F // CJK compatibility forms
        | 0xFF00..=0xFF60 // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F // emoji
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD // CJK extensions B…
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::{Dropdown, Reply, TextInput};

    fn kinds(content: &MessageContent) -> Vec<(String, LintKind)> {
        content
            .lint()
            .iter()
            .map(|lint| (lint.path.to_string(), lint.kind))
            .collect()
    }

    fn titled(card: Card) -> MessageContent {
        MessageContent::Cui(CuiContent::new(card).body("报销申请待审批"))
    }

    #[test]
    fn a_well_made_card_has_no_lints() {
        let card = Card::form()
            .text("金额")
            .input(TextInput::new("amount"))
            .dropdown(
                Dropdown::new("dept")
                    .placeholder("部门")
                    .option("财务部", "fin"),
            )
            .reply(Reply::new("decision", "同意"))
            .reply(Reply::new("decision", "驳回"));
        assert_eq!(kinds(&titled(card)), []);
    }

    #[test]
    fn a_field_is_labelled_by_the_text_before_it_or_its_placeholder_but_not_by_an_error_line() {
        let card = Card::form()
            .input(TextInput::new("a").placeholder("甲"))
            .text("乙")
            .input(TextInput::new("b"))
            .text("⚠ 请填写")
            .input(TextInput::new("c"))
            .text("  ")
            .dropdown(Dropdown::new("d").option("x", "x").placeholder(" "))
            .submit("提交");
        assert_eq!(
            kinds(&titled(card)),
            [
                ("info.elements[4]".to_owned(), LintKind::UnlabelledInput),
                ("info.elements[6]".to_owned(), LintKind::UnlabelledInput),
            ]
        );
    }

    #[test]
    fn a_card_with_inputs_needs_a_submit_or_reply_button_but_one_without_inputs_does_not() {
        let inputs = Card::form().text("金额").input(TextInput::new("amount"));
        assert_eq!(
            kinds(&titled(inputs.clone())),
            [("info.elements".to_owned(), LintKind::NoSendButton)]
        );
        assert_eq!(kinds(&titled(inputs.submit("提交"))), []);
        assert_eq!(kinds(&titled(Card::form().text("通知"))), []);
    }

    #[test]
    fn the_default_body_is_a_lint_of_the_message_not_of_the_card() {
        let card = Card::form().text("通知");
        assert_eq!(
            kinds(&MessageContent::from(card.clone())),
            [("body".to_owned(), LintKind::DefaultBody)]
        );
        assert!(card.lint().is_empty());
    }

    #[test]
    fn a_dropdown_may_have_twenty_options_but_not_twenty_one() {
        let dropdown = |n: usize| {
            (0..n).fold(Dropdown::new("city").placeholder("城市"), |d, i| {
                d.option(format!("城市{i}"), i.to_string())
            })
        };
        let card = |n| Card::form().dropdown(dropdown(n)).submit("提交");
        assert_eq!(kinds(&titled(card(MAX_DROPDOWN_OPTIONS))), []);
        assert_eq!(
            kinds(&titled(card(MAX_DROPDOWN_OPTIONS + 1))),
            [("info.elements[0].options".to_owned(), LintKind::ManyOptions)]
        );
    }

    #[test]
    fn a_reply_caption_may_be_eight_chinese_characters_or_sixteen_latin_ones() {
        let card = |caption: &str| Card::form().text("审批").reply(Reply::new("d", caption));
        assert_eq!(kinds(&titled(card("同意并转交财务部"))), []);
        assert_eq!(kinds(&titled(card("Approve & close!"))), []);
        assert_eq!(
            kinds(&titled(card("同意并转交财务部门"))),
            [("info.elements[1].value".to_owned(), LintKind::LongCaption)]
        );
        assert_eq!(
            kinds(&titled(card("Approve and close"))),
            [("info.elements[1].value".to_owned(), LintKind::LongCaption)]
        );
    }

    #[test]
    fn lints_serialize_with_path_kind_message_and_hint() {
        let lints = MessageContent::from(Card::form().text("通知")).lint();
        let json = serde_json::to_value(&lints).unwrap();
        assert_eq!(json[0]["path"], "body");
        assert_eq!(json[0]["kind"], "default_body");
        assert!(json[0]["hint"].as_str().unwrap().contains("body="));
        assert_eq!(
            json,
            serde_json::json!([{
                "path": "body",
                "kind": "default_body",
                "message": "the body is the default \"[交互卡片]\", and a notification of the card shows only its body",
                "hint": "say what the card is about, e.g. body=\"报销申请待审批\"",
            }])
        );
    }

    #[test]
    fn other_messages_have_no_lints() {
        assert!(MessageContent::text("hello").lint().is_empty());
    }
}
