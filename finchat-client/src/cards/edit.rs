//! Changing a registered card: [`CardEdit`] for the app's patches, and the lifecycle's own redraws
//! (closed with an outcome, back to `input` with a person's values and errors).

use finchat_cui::{
    CuiContent, Element, Fcid, Status, Submission, SubmissionError, SubmissionErrorKind,
};
use serde_json::Value;

use super::CardRecord;
use super::notices::{Notices, fill};

/// A change to a registered card, applied by [`CardRegistry::patch`](super::CardRegistry::patch)
/// and [`CardRegistry::refresh`](super::CardRegistry::refresh) to the card's last full content;
/// the registry then validates the result and updates every copy.
///
/// ```
/// # async fn demo(registry: finchat_client::cards::CardRegistry, id: finchat_client::cards::CardId)
/// # -> Result<(), finchat_client::cards::CardError> {
/// use finchat_cui::Status;
///
/// registry
///     .patch(&id, |card| {
///         card.set_value("amount", "1500");
///         card.push_line("金额已由财务调整为 ¥1500");
///         card.set_status(Status::Input);
///     })
///     .await?;
/// # Ok(()) }
/// ```
pub struct CardEdit<'a> {
    card: &'a mut CardRecord,
}

impl<'a> CardEdit<'a> {
    pub(crate) fn new(card: &'a mut CardRecord) -> Self {
        Self { card }
    }

    /// The card as kept (read-only: its id, kind, labels, phase, copies).
    pub fn record(&self) -> &CardRecord {
        self.card
    }

    /// The whole content, to change anything.
    pub fn content(&mut self) -> &mut CuiContent {
        &mut self.card.content
    }

    /// Sets the card's status (`input`, `loading`, `disable`).
    pub fn set_status(&mut self, status: Status) {
        self.card.content.info.status = status;
    }

    /// Sets the pre-filled value of the text input or the selected value of the dropdown `key`;
    /// `false`, changing nothing, when the card has no such input or the dropdown no such option.
    pub fn set_value(&mut self, key: &str, value: impl Into<String>) -> bool {
        set_value(&mut self.card.content, key, value.into())
    }

    /// Replaces the first element whose key is `key` (an input, a dropdown, a reply button);
    /// `false` when there is none.
    pub fn replace_element(&mut self, key: &str, element: impl Into<Element>) -> bool {
        let elements = &mut self.card.content.info.elements;
        match elements.iter_mut().find(|e| e.key() == Some(key)) {
            Some(slot) => {
                *slot = element.into();
                true
            }
            None => false,
        }
    }

    /// Adds a line of text at the bottom (an outcome, a note).
    pub fn push_line(&mut self, text: impl Into<String>) {
        self.card.content.info.elements.push(Element::text(text));
    }

    /// Sets the notification text (`body`).
    pub fn set_body(&mut self, body: impl Into<String>) {
        self.card.content.body = body.into();
    }

    /// The app's data for the card, to change it with the card.
    pub fn data(&mut self) -> &mut Value {
        &mut self.card.data
    }
}

/// Sets the value of the input `key`; `false` when the card has none, or when it is a dropdown
/// without that option (a value no valid card can hold).
fn set_value(content: &mut CuiContent, key: &str, value: String) -> bool {
    for element in &mut content.info.elements {
        match element {
            Element::TextInput(input) if input.key == key => {
                input.value = Some(value);
                return true;
            }
            Element::Dropdown(dropdown) if dropdown.key == key => {
                let option = dropdown.options.iter().any(|o| o.value == value);
                if option {
                    dropdown.value = value;
                }
                return option;
            }
            _ => {}
        }
    }
    false
}

/// `content` closed: `disable`, with `line` at the bottom.
pub(crate) fn closed(content: &CuiContent, line: Option<&str>) -> CuiContent {
    let mut content = content.clone();
    content.info.status = Status::Disable;
    if let Some(line) = line {
        content.info.elements.push(Element::text(line));
    }
    content
}

/// `content` with status `status`.
pub(crate) fn with_status(content: &CuiContent, status: Status) -> CuiContent {
    let mut content = content.clone();
    content.info.status = status;
    content
}

/// `content` as `person`'s own copy: exclusive to them, so that an update changes only what they
/// see.
pub(crate) fn own_copy(mut content: CuiContent, person: &Fcid) -> CuiContent {
    content.info.shared = false;
    content.info.fcids = Some(vec![person.clone()]);
    content
}

/// One bad field: its key and what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input's key.
    pub key: String,
    /// What is wrong, for the person (shown under the input).
    pub message: String,
}

impl FieldError {
    /// `message` about the input `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }

    /// What a person should read about a value that does not fit the form, in `notices`' words.
    pub(crate) fn from_submission_error(error: &SubmissionError, notices: &Notices) -> Self {
        let message = match &error.kind {
            SubmissionErrorKind::Missing => notices.missing.clone(),
            SubmissionErrorKind::Invalid { expected, found } => {
                let message = fill(&notices.invalid, "found", &unquote(found));
                fill(&message, "expected", &(notices.expected)(expected))
            }
            SubmissionErrorKind::NotAnOption { found, .. } => {
                fill(&notices.not_an_option, "found", &unquote(found))
            }
        };
        Self::new(error.key.clone(), message)
    }
}

/// A JSON string's text, or the JSON as it is.
fn unquote(json: &str) -> String {
    serde_json::from_str::<String>(json).unwrap_or_else(|_| json.to_owned())
}

/// `content` showing what `values` says each input and dropdown holds (the values a person
/// submitted), as their client showed the card when they pressed the button.
pub(crate) fn with_values(content: &CuiContent, values: &Submission) -> CuiContent {
    let mut content = content.clone();
    let keys: Vec<String> = content.info.keys().map(str::to_owned).collect();
    for key in keys {
        if let Some(Value::String(value)) = values.raw(&key) {
            set_value(&mut content, &key, value.clone());
        }
    }
    content
}

/// `content` back to `input` for one more try: the person's values pre-filled, a line under each
/// bad input, and `summary` at the top.
pub(crate) fn with_errors(
    content: &CuiContent,
    values: &Submission,
    errors: &[FieldError],
    summary: &str,
) -> CuiContent {
    let mut content = with_values(content, values);
    content.info.status = Status::Input;
    let mut elements = Vec::with_capacity(content.info.elements.len() + errors.len() + 1);
    // Marked as an error line like the others: announced, and never taken for the label of an
    // input that follows it (a text right before a field labels it).
    elements.push(Element::error(summary));
    let mut unplaced: Vec<&FieldError> = errors.iter().collect();
    for element in std::mem::take(&mut content.info.elements) {
        let key = element.key().map(str::to_owned);
        let is_input = matches!(element, Element::TextInput(_) | Element::Dropdown(_));
        elements.push(element);
        if let (Some(key), true) = (key, is_input) {
            unplaced.retain(|error| {
                if error.key == key {
                    elements.push(Element::error(&error.message));
                    false
                } else {
                    true
                }
            });
        }
    }
    // Errors about keys without an input of their own (a reply button's key, a form-wide check)
    // go under the summary.
    for (i, error) in unplaced.into_iter().enumerate() {
        elements.insert(1 + i, Element::error(&error.message));
    }
    content.info.elements = elements;
    content
}

#[cfg(test)]
mod tests {
    use finchat_cui::cui;

    use super::*;

    #[test]
    fn set_value_says_whether_it_set_the_value() {
        let mut content = cui! {
            <form>
                <input key="amount" placeholder="金额"/>
                <dropdown key="dept" placeholder="部门" value="fin">
                    <option value="fin">"财务"</option>
                    <option value="hr">"人事"</option>
                </dropdown>
            </form>
        };
        assert!(set_value(&mut content, "amount", "1500".into()));
        assert!(set_value(&mut content, "dept", "hr".into()));
        let json = serde_json::to_string(&content).expect("json");
        assert!(
            json.contains(r#""value":"1500""#) && json.contains(r#""value":"hr""#),
            "{json}"
        );

        assert!(
            !set_value(&mut content, "dept", "sales".into()),
            "not an option: nothing set"
        );
        assert!(!set_value(&mut content, "comment", "ok".into()), "no input");
        assert_eq!(
            serde_json::to_string(&content).expect("json"),
            json,
            "and nothing changed"
        );
        content.validate().expect("still a valid card");
    }

    #[test]
    fn the_summary_is_an_error_line_not_the_label_of_a_first_input() {
        let content = cui! {
            <form>
                <input key="amount" placeholder="金额"/>
                <submit>"提交"</submit>
            </form>
        };
        let values = Submission::new().with("amount", "一千");
        let errors = [FieldError::new("amount", "应为整数")];
        let redrawn = with_errors(&content, &values, &errors, "提交未成功：1 处需要修改");
        let html =
            finchat_cui::render::html_card(&redrawn.info, &finchat_cui::render::HtmlOptions::new());
        assert!(
            html.contains("role=\"alert\">⚠ 提交未成功：1 处需要修改</p>"),
            "the summary is announced: {html}"
        );
        assert!(
            html.contains("<span class=\"cui-label\">金额</span>"),
            "the input keeps its placeholder as its label: {html}"
        );
    }

    #[test]
    fn errors_come_back_under_their_inputs_with_the_values_kept() {
        let content = cui! {
            <form>
                <text>"报销"</text>
                <input key="amount" placeholder="金额"/>
                <input key="comment" placeholder="意见"/>
                <reply key="decision">"同意"</reply>
            </form>
        };
        let values = Submission::new()
            .with("amount", "一千")
            .with("comment", "ok")
            .with("decision", "同意");
        let errors = [
            FieldError::new("amount", "应为整数"),
            FieldError::new("decision", "请先填写金额"),
        ];
        let redrawn = with_errors(&content, &values, &errors, "提交未成功：2 处需要修改");
        let text: Vec<String> = redrawn
            .info
            .elements
            .iter()
            .map(|e| serde_json::to_string(e).expect("json"))
            .collect();
        assert!(text[0].contains("提交未成功"), "{text:?}");
        assert!(
            text[1].contains("请先填写金额"),
            "a keyless error under the summary: {text:?}"
        );
        assert!(
            text[3].contains(r#""value":"一千""#),
            "the value is kept: {text:?}"
        );
        assert!(
            text[4].contains("⚠ 应为整数"),
            "the error is under its input: {text:?}"
        );
        assert!(text[5].contains(r#""value":"ok""#), "{text:?}");
        assert_eq!(redrawn.info.status, Status::Input);
        redrawn.validate().expect("still a valid card");
    }
}
