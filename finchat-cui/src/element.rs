//! The elements of a CUI card (`info.elements`): text, divider, image, text input, dropdown, and the
//! submit, reply and open-URL buttons, plus [`OtherElement`] for anything a newer server sends.
//!
//! Each element is built with `new(required…)` and chained setters:
//!
//! ```
//! use finchat_cui::element::{Dropdown, Reply, TextInput};
//! use finchat_cui::{Element, Status};
//!
//! let amount = TextInput::new("amount").placeholder("金额");
//! let dept = Dropdown::new("dept").option("财务部", "fin").option("运营部", "ops").value("fin");
//! let approve = Reply::new("decision", "同意").status(Status::Input);
//! let elements: Vec<Element> = vec![amount.into(), dept.into(), approve.into()];
//! assert_eq!(elements[1].key(), Some("dept"));
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Color, HttpUrl, MxcUri, Status};

/// One element of a card, tagged on the wire by its `type` and `subtype`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Element {
    /// `context`/`text`: a line of text.
    Text(Text),
    /// `divider`/`divider`: a horizontal rule.
    Divider(Divider),
    /// `image`/`image`: a picture.
    Image(Image),
    /// `input`/`text-input`: a text field.
    TextInput(TextInput),
    /// `input`/`dropdown-input`: a single choice from a list.
    Dropdown(Dropdown),
    /// `button`/`submit`: sends the card's inputs back to the app.
    Submit(Submit),
    /// `button`/`reply`: a one-click answer.
    Reply(Reply),
    /// `button`/`openurl`: a link button.
    OpenUrl(OpenUrl),
    /// An element this library cannot read as one of the above: an unknown `type`/`subtype`, or a known
    /// one whose fields do not fit the format. Kept whole so it round-trips; [`crate::MessageContent::validate`] says
    /// what is wrong with it.
    Other(OtherElement),
}

impl Element {
    /// The wire `type`, e.g. `input`. `None` only for an [`OtherElement`] without a string `type`.
    pub fn element_type(&self) -> Option<&str> {
        Some(match self {
            Self::Text(_) => "context",
            Self::Divider(_) => "divider",
            Self::Image(_) => "image",
            Self::TextInput(_) | Self::Dropdown(_) => "input",
            Self::Submit(_) | Self::Reply(_) | Self::OpenUrl(_) => "button",
            Self::Other(other) => return other.element_type(),
        })
    }

    /// The wire `subtype`, e.g. `dropdown-input`.
    pub fn subtype(&self) -> Option<&str> {
        Some(match self {
            Self::Text(_) => "text",
            Self::Divider(_) => "divider",
            Self::Image(_) => "image",
            Self::TextInput(_) => "text-input",
            Self::Dropdown(_) => "dropdown-input",
            Self::Submit(_) => "submit",
            Self::Reply(_) => "reply",
            Self::OpenUrl(_) => "openurl",
            Self::Other(other) => return other.subtype(),
        })
    }

    /// The `key` of an input, dropdown or reply button: the name its value has in a submission.
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::TextInput(input) => Some(&input.key),
            Self::Dropdown(dropdown) => Some(&dropdown.key),
            Self::Reply(reply) => Some(&reply.key),
            Self::Other(other) => other.raw().get("key").and_then(Value::as_str),
            _ => None,
        }
    }

    /// Fields the format does not define, kept from received JSON (empty for elements built here).
    pub fn extra(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self {
            Self::Text(e) => &e.extra,
            Self::Divider(e) => &e.extra,
            Self::Image(e) => &e.extra,
            Self::TextInput(e) => &e.extra,
            Self::Dropdown(e) => &e.extra,
            Self::Submit(e) => &e.extra,
            Self::Reply(e) => &e.extra,
            Self::OpenUrl(e) => &e.extra,
            Self::Other(_) => EMPTY.get_or_init(Map::new),
        }
    }

    /// A line of text.
    pub fn text(value: impl Into<String>) -> Self {
        Text::new(value).into()
    }

    /// An error line, `⚠ message`; see [`Text::error`].
    pub fn error(message: impl std::fmt::Display) -> Self {
        Text::error(message).into()
    }

    /// A one-pixel divider in the client's default colour.
    pub fn divider() -> Self {
        Divider::new().into()
    }
}

/// `context`/`text`: a line of text (a title, a description, a label).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_text))]
#[non_exhaustive]
pub struct Text {
    /// The text.
    pub value: String,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Text {
    /// What an error line starts with. FinChat has no error element, so an error shown in a card
    /// (the card registry writes a refused field's error back this way) is a text `⚠ message`:
    /// the renderer draws it as an alert tied to the field right before it, and never takes it for
    /// the label of the field after it.
    pub const ERROR_MARK: char = '⚠';

    /// A line of text.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            extra: Map::new(),
        }
    }

    /// An error line: `⚠ message` (see [`Text::ERROR_MARK`]).
    ///
    /// ```
    /// use finchat_cui::element::Text;
    ///
    /// let line = Text::error("应为整数");
    /// assert_eq!(line.value, "⚠ 应为整数");
    /// assert_eq!(line.error_message(), Some("应为整数"));
    /// assert_eq!(Text::new("金额").error_message(), None);
    /// ```
    pub fn error(message: impl std::fmt::Display) -> Self {
        Self::new(format!("{} {message}", Self::ERROR_MARK))
    }

    /// Whether this text is an error line: its value starts with [`Text::ERROR_MARK`] (after any
    /// whitespace).
    pub fn is_error(&self) -> bool {
        self.error_message().is_some()
    }

    /// The message of an error line, without the mark and the spaces around it; `None` for a text
    /// that is not an error line.
    pub fn error_message(&self) -> Option<&str> {
        self.value
            .trim_start()
            .strip_prefix(Self::ERROR_MARK)
            .map(str::trim)
    }
}

/// `divider`/`divider`: a horizontal rule.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_divider))]
#[non_exhaustive]
pub struct Divider {
    /// Line thickness in pixels; written on the wire as a string (`"1"`). Absent: the client's default, 1.
    #[cfg_attr(feature = "schema", schemars(with = "Option<DividerHeight>"))]
    pub height: Option<u32>,
    /// Line colour, e.g. `#666`. Absent: the client's default.
    pub background: Option<Color>,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

/// The wire form of a divider height: a whole number of pixels as a string.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[cfg_attr(
    feature = "schema",
    schemars(
        transparent,
        description = "Line thickness in pixels, as a string of digits, e.g. \"1\"."
    )
)]
#[allow(dead_code)] // only its schema is used
struct DividerHeight(
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^(0|[1-9][0-9]{0,8})$"))
    )]
    String,
);

impl Divider {
    /// A divider with the client's default thickness and colour.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the line thickness in pixels.
    pub fn height(mut self, pixels: u32) -> Self {
        self.height = Some(pixels);
        self
    }

    /// Sets the line colour.
    pub fn background(mut self, color: Color) -> Self {
        self.background = Some(color);
        self
    }
}

/// `image`/`image`: a picture stored on the media server.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_image))]
#[non_exhaustive]
pub struct Image {
    /// The picture, as returned by the media upload API.
    pub o_url: MxcUri,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Image {
    /// A picture.
    pub fn new(o_url: MxcUri) -> Self {
        Self {
            o_url,
            extra: Map::new(),
        }
    }
}

/// `input`/`text-input`: a text field whose content is submitted under `key`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_text_input))]
#[non_exhaustive]
pub struct TextInput {
    /// The name of the field in the submission; unique within a card.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub key: String,
    /// Hint shown while the field is empty.
    pub placeholder: Option<String>,
    /// Pre-filled text.
    pub value: Option<String>,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl TextInput {
    /// An empty text field submitted as `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            placeholder: None,
            value: None,
            extra: Map::new(),
        }
    }

    /// Sets the hint shown while the field is empty.
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }

    /// Pre-fills the field.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// `input`/`dropdown-input`: a single choice from `options`, submitted under `key`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_dropdown))]
#[non_exhaustive]
pub struct Dropdown {
    /// The name of the field in the submission; unique within a card.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub key: String,
    /// Hint shown while nothing is chosen.
    pub placeholder: Option<String>,
    /// The pre-selected option's `value`, or `""` for none.
    pub value: String,
    /// The choices, at least one.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub options: Vec<DropdownOption>,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Dropdown {
    /// A dropdown submitted as `key`, with no options yet and nothing pre-selected.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            placeholder: None,
            value: String::new(),
            options: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Sets the hint shown while nothing is chosen.
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }

    /// Pre-selects the option whose value is `value`.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    /// Adds a choice: `label` is shown, `value` is submitted.
    pub fn option(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.push(DropdownOption::new(label, value));
        self
    }

    /// Adds several choices.
    pub fn options(mut self, options: impl IntoIterator<Item = DropdownOption>) -> Self {
        self.options.extend(options);
        self
    }
}

/// One choice of a [`Dropdown`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DropdownOption {
    /// What the user sees.
    pub label: String,
    /// What the submission carries.
    pub value: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl<L: Into<String>, V: Into<String>> From<(L, V)> for DropdownOption {
    /// A `(label, value)` pair.
    fn from((label, value): (L, V)) -> Self {
        Self::new(label, value)
    }
}

impl DropdownOption {
    /// A choice showing `label` and submitting `value`.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            extra: Map::new(),
        }
    }

    /// Fields the format does not define, kept from received JSON.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// `button`/`submit`: sends the card's inputs back to the app (`action` is always `submit`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_submit))]
#[non_exhaustive]
pub struct Submit {
    /// The button's caption.
    pub value: String,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Submit {
    /// A submit button with `caption`.
    pub fn new(caption: impl Into<String>) -> Self {
        Self {
            value: caption.into(),
            extra: Map::new(),
        }
    }
}

/// `button`/`reply`: a one-click answer; pressing it submits `value` under `key`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_reply))]
#[non_exhaustive]
pub struct Reply {
    /// The name the answer has in the submission.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub key: String,
    /// The caption, and the answer it gives.
    pub value: String,
    /// The button's own state.
    pub status: Option<Status>,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Reply {
    /// A reply button answering `caption` under `key`.
    pub fn new(key: impl Into<String>, caption: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: caption.into(),
            status: None,
            extra: Map::new(),
        }
    }

    /// Sets the button's state.
    pub fn status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }
}

/// `button`/`openurl`: a button that opens `action`, an http(s) URL.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_openurl))]
#[non_exhaustive]
pub struct OpenUrl {
    /// The button's caption.
    pub value: String,
    /// The URL to open.
    pub action: HttpUrl,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl OpenUrl {
    /// A link button showing `caption` and opening `url`.
    pub fn new(caption: impl Into<String>, url: HttpUrl) -> Self {
        Self {
            value: caption.into(),
            action: url,
            extra: Map::new(),
        }
    }
}

/// An element kept as received because it is not one this library can read (see [`Element::Other`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherElement {
    pub(crate) raw: Value,
}

impl OtherElement {
    /// The element as received.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// Its `type`, if it has a string one.
    pub fn element_type(&self) -> Option<&str> {
        self.raw.get("type").and_then(Value::as_str)
    }

    /// Its `subtype`, if it has a string one.
    pub fn subtype(&self) -> Option<&str> {
        self.raw.get("subtype").and_then(Value::as_str)
    }
}

macro_rules! into_element {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Element {
            fn from(element: $variant) -> Self {
                Self::$variant(element)
            }
        }

        impl $variant {
            /// Fields the format does not define, kept from received JSON (empty when built here).
            pub fn extra(&self) -> &Map<String, Value> {
                &self.extra
            }
        }
    )*};
}

into_element!(
    Text, Divider, Image, TextInput, Dropdown, Submit, Reply, OpenUrl
);
