//! The rules content must meet before it is sent, checked all at once: each broken rule is a
//! [`Problem`] with the path of the offending field.
//!
//! What the types already rule out (a malformed `mxc://` URI, a non-http link, a height that is not a
//! number) can only arrive in received content, which is kept as an `Other` variant; the rules below
//! explain those too.

use serde_json::{Map, Value};

use crate::content::{
    CuiContent, FileContent, ImageContent, MessageContent, OtherContent, TextCardContent,
    TextContent,
};
use crate::element::{Dropdown, Element, OtherElement};
use crate::problem::{Path, ProblemKind, Problems};
use crate::wire::{KNOWN_PAIRS, why_content_is_not_typed, why_element_is_not_typed};
use crate::{Card, Status};

/// The msgtypes the send APIs accept.
pub const SENDABLE_MSGTYPES: &[&str] = &["m.text", "m.textcard", "m.image", "m.file", "m.cui"];

impl MessageContent {
    /// Checks every rule that content must meet before it is sent and reports every broken one.
    ///
    /// ```
    /// use finchat_cui::element::TextInput;
    /// use finchat_cui::{Card, MessageContent, ProblemKind};
    ///
    /// let content = MessageContent::from(
    ///     Card::form().input(TextInput::new("amount")).input(TextInput::new("amount")).submit("提交"),
    /// );
    /// let problems = content.validate().unwrap_err();
    /// assert_eq!(problems.to_string(), r#"info.elements[1].key: duplicate key "amount" (also used by info.elements[0])"#);
    /// assert_eq!(problems.iter().next().unwrap().kind, ProblemKind::DuplicateKey);
    /// ```
    ///
    /// # Errors
    ///
    /// [`Problems`] listing every broken rule, each with the path of its field and its
    /// [`ProblemKind`] (e.g. `DuplicateKey`, `EmptyBody`, `ReceiveOnlyMsgtype` for `m.alert`).
    pub fn validate(&self) -> Result<(), Problems> {
        match self {
            Self::Text(text) => text.validate(),
            Self::Alert(_) => {
                let mut problems = Problems::new();
                problems.add(
                    Path::root().field("msgtype"),
                    ProblemKind::ReceiveOnlyMsgtype,
                    "m.alert is what apps receive for @-mentions; send m.text instead",
                );
                problems.into_result()
            }
            Self::TextCard(card) => card.validate(),
            Self::Image(image) => image.validate(),
            Self::File(file) => file.validate(),
            Self::Cui(cui) => cui.validate(),
            Self::Other(other) => {
                let mut problems = Problems::new();
                other_content_rules(&mut problems, other);
                problems.into_result()
            }
        }
    }

    /// This content, if it is valid.
    ///
    /// # Errors
    ///
    /// The [`Problems`] of [`MessageContent::validate`] when the content breaks a rule.
    pub fn validated(self) -> Result<Self, Problems> {
        self.validate().map(|()| self)
    }
}

impl TextContent {
    /// Checks an `m.text` message; see [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] with [`ProblemKind::EmptyBody`] when the text is empty.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        require_body(&mut problems, &self.body, "a text message needs text");
        problems.into_result()
    }
}

impl TextCardContent {
    /// Checks an `m.textcard` message; see [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] with [`ProblemKind::UnknownOpentype`] for an `opentype` other than `inapp` or
    /// `inbrowser`.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if let Some(opentype) = &self.info.opentype
            && !opentype.is_known()
        {
            problems.add(
                Path::root().field("info").field("opentype"),
                ProblemKind::UnknownOpentype,
                format!(
                    "unknown opentype {:?}; write \"inapp\" or \"inbrowser\"",
                    opentype.as_str()
                ),
            );
        }
        problems.into_result()
    }
}

impl ImageContent {
    /// Checks an `m.image` message; see [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] with [`ProblemKind::EmptyBody`] when the body (the file name) is empty.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        require_body(
            &mut problems,
            &self.body,
            "an image message carries its file name here",
        );
        problems.into_result()
    }
}

impl FileContent {
    /// Checks an `m.file` message; see [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] with [`ProblemKind::EmptyBody`] when the body (the file name) is empty.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        require_body(
            &mut problems,
            &self.body,
            "a file message carries its file name here",
        );
        problems.into_result()
    }
}

impl CuiContent {
    /// Checks the card message; see [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] listing every broken rule of the message and its card (keys, options, ids,
    /// URLs, statuses, …), each with its path and [`ProblemKind`].
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        cui_rules(&mut problems, self);
        problems.into_result()
    }
}

impl Card {
    /// Checks the card; paths start at `info`, as in a message. See [`MessageContent::validate`].
    ///
    /// # Errors
    ///
    /// [`Problems`] listing every broken rule of the card (missing or duplicate keys, dropdown
    /// options, URIs, colours, …), each with its path under `info` and [`ProblemKind`].
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::new();
        card_rules(&mut problems, &Path::root().field("info"), self);
        problems.into_result()
    }
}

fn require_body(problems: &mut Problems, body: &str, why: &str) {
    if body.is_empty() {
        problems.add(
            Path::root().field("body"),
            ProblemKind::EmptyBody,
            format!("empty body: {why}"),
        );
    }
}

fn cui_rules(problems: &mut Problems, cui: &CuiContent) {
    require_body(
        problems,
        &cui.body,
        "a card's body is shown where the card cannot be drawn (notifications, old clients); the samples use \"[交互卡片]\"",
    );
    if !cui.version.is_known() {
        problems.add(
            Path::root().field("version"),
            ProblemKind::UnknownVersion,
            format!(
                "unknown version {:?}; the only published one is \"0.1.0\"",
                cui.version.as_str()
            ),
        );
    }
    card_rules(problems, &Path::root().field("info"), &cui.info);
}

fn other_content_rules(problems: &mut Problems, other: &OtherContent) {
    let root = Path::root();
    let why = why_content_is_not_typed(other.raw());
    if !why.is_empty() {
        for error in why {
            problems.push(error.into_problem(&root));
        }
        if other.msgtype() == "m.cui" {
            raw_elements_rules(problems, other.raw());
        }
        return;
    }
    let message = match other.raw().get("msgtype") {
        None => "missing field `msgtype`".to_owned(),
        Some(Value::String(msgtype)) => format!(
            "unknown msgtype {msgtype:?}; the send APIs accept {}",
            SENDABLE_MSGTYPES.join(", ")
        ),
        Some(_) => "msgtype must be a string".to_owned(),
    };
    let kind = match other.raw().get("msgtype") {
        Some(Value::String(_)) => ProblemKind::UnknownMsgtype,
        None => ProblemKind::MissingField,
        Some(_) => ProblemKind::WrongType,
    };
    problems.add(root.field("msgtype"), kind, message);
}

/// A card that did not fit the format still gets its elements checked, so one pass shows everything.
fn raw_elements_rules(problems: &mut Problems, raw: &Map<String, Value>) {
    let Some(Value::Array(items)) = raw.get("info").and_then(|info| info.get("elements")) else {
        return;
    };
    let Ok(elements) = items
        .iter()
        .map(<Element as serde::Deserialize>::deserialize)
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    elements_rules(
        problems,
        &Path::root().field("info").field("elements"),
        &elements,
    );
}

fn card_rules(problems: &mut Problems, base: &Path, card: &Card) {
    if !card.card_type.is_known() {
        problems.add(
            base.field("type"),
            ProblemKind::UnknownCardType,
            format!(
                "unknown card type {:?}; the only published one is \"form\"",
                card.card_type.as_str()
            ),
        );
    }
    status_rule(problems, || base.field("status"), &card.status);
    let elements = base.field("elements");
    if card.elements.is_empty() {
        problems.add(
            elements.clone(),
            ProblemKind::NoElements,
            "a card needs at least one element",
        );
    }
    elements_rules(problems, &elements, &card.elements);
}

fn status_rule(problems: &mut Problems, path: impl FnOnce() -> Path, status: &Status) {
    if !status.is_known() {
        problems.add(
            path(),
            ProblemKind::UnknownStatus,
            format!(
                "unknown status {:?}; write \"input\", \"loading\" or \"disable\"",
                status.as_str()
            ),
        );
    }
}

fn elements_rules(problems: &mut Problems, base: &Path, elements: &[Element]) {
    // (key, index of its first use, whether that use was a reply button). Cards hold a few dozen
    // elements, so a scan beats hashing; paths are only built for what is reported.
    let mut keys: Vec<(&str, usize, bool)> = Vec::new();
    for (index, element) in elements.iter().enumerate() {
        match element {
            Element::TextInput(input) => {
                key_rule(problems, base, index, &mut keys, &input.key, false)
            }
            Element::Dropdown(dropdown) => {
                key_rule(problems, base, index, &mut keys, &dropdown.key, false);
                dropdown_rules(problems, || base.index(index), dropdown);
            }
            Element::Reply(reply) => {
                key_rule(problems, base, index, &mut keys, &reply.key, true);
                if let Some(status) = &reply.status {
                    status_rule(problems, || base.index(index).field("status"), status);
                }
            }
            Element::Other(other) => other_element_rule(problems, &base.index(index), other),
            _ => {}
        }
    }
}

/// Inputs need a key of their own. Reply buttons may share one (the choices of one question), but not
/// with an input, since both would land under the same name in the submission.
fn key_rule<'a>(
    problems: &mut Problems,
    elements: &Path,
    index: usize,
    keys: &mut Vec<(&'a str, usize, bool)>,
    key: &'a str,
    is_reply: bool,
) {
    if key.is_empty() {
        problems.add(
            elements.index(index).field("key"),
            ProblemKind::MissingKey,
            "empty key: inputs and reply buttons need the name their value is submitted under",
        );
        return;
    }
    match keys.iter().find(|(used, _, _)| *used == key) {
        None => keys.push((key, index, is_reply)),
        Some(&(_, _, true)) if is_reply => {}
        Some(&(_, first, _)) => problems.add(
            elements.index(index).field("key"),
            ProblemKind::DuplicateKey,
            format!(
                "duplicate key {key:?} (also used by {})",
                elements.index(first)
            ),
        ),
    }
}

fn dropdown_rules(problems: &mut Problems, path: impl Fn() -> Path, dropdown: &Dropdown) {
    if dropdown.options.is_empty() {
        problems.add(
            path().field("options"),
            ProblemKind::NoOptions,
            "a dropdown needs at least one option",
        );
    }
    for (index, option) in dropdown.options.iter().enumerate() {
        let first = dropdown.options[..index]
            .iter()
            .position(|o| o.value == option.value);
        if let Some(first) = first {
            let options = path().field("options");
            problems.add(
                options.index(index).field("value"),
                ProblemKind::DuplicateOption,
                format!(
                    "duplicate option value {:?} (also used by {})",
                    option.value,
                    options.index(first)
                ),
            );
        }
    }
    let chosen = &dropdown.value;
    if !chosen.is_empty() && !dropdown.options.iter().any(|o| &o.value == chosen) {
        // A list bound from data can hold thousands of options: name the first few.
        const LISTED: usize = 10;
        let mut values: Vec<_> = dropdown
            .options
            .iter()
            .take(LISTED)
            .map(|o| format!("{:?}", o.value))
            .collect();
        if dropdown.options.len() > LISTED {
            values.push(format!("… {} more", dropdown.options.len() - LISTED));
        }
        problems.add(
            path().field("value"),
            ProblemKind::ValueNotAnOption,
            format!(
                "value {chosen:?} is not one of the options ({}); use \"\" for none",
                if values.is_empty() {
                    "there are none".to_owned()
                } else {
                    values.join(", ")
                }
            ),
        );
    }
}

fn other_element_rule(problems: &mut Problems, path: &Path, other: &OtherElement) {
    let why = why_element_is_not_typed(other.raw());
    if !why.is_empty() {
        for error in why {
            problems.push(error.into_problem(path));
        }
        return;
    }
    let message = match (other.element_type(), other.subtype()) {
        (Some(ty), Some(subtype)) => format!(
            "unknown element {ty:?}/{subtype:?}; the published format has {}",
            KNOWN_PAIRS
                .iter()
                .map(|(t, s)| format!("{t}/{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ if !other.raw().is_object() => {
            "an element must be an object with `type` and `subtype`".to_owned()
        }
        _ => "an element needs a string `type` and `subtype`".to_owned(),
    };
    problems.add(path.clone(), ProblemKind::UnknownElement, message);
}
