//! The CUI card: the `info` envelope of an `m.cui` message (kind, status, shared or per-user, and the
//! elements drawn top to bottom), with a builder that reads like the card.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::element::{Dropdown, Element, Image, OpenUrl, Reply, Submit, Text, TextInput};
use crate::word_list::word_list;
use crate::{CuiContent, Fcid, HttpUrl, MxcUri};

/// The `info` of an `m.cui` message.
///
/// ```
/// use finchat_cui::element::{Dropdown, Reply, TextInput};
/// use finchat_cui::Card;
///
/// let card = Card::form()
///     .text("报销申请 #42")
///     .divider()
///     .input(TextInput::new("amount").placeholder("金额"))
///     .dropdown(Dropdown::new("dept").option("财务部", "fin").option("运营部", "ops"))
///     .reply(Reply::new("decision", "同意"))
///     .reply(Reply::new("decision", "驳回"))
///     .submit("提交");
/// assert_eq!(card.elements.len(), 7);
/// card.validate()?;
/// # Ok::<(), finchat_cui::Problems>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Card {
    /// The card kind; `form` is the only published one.
    #[serde(rename = "type")]
    pub card_type: CardType,
    /// Whether the user can act on the card now.
    pub status: Status,
    /// `true`: one card state that everyone in the room sees. `false`: an exclusive card, updated per
    /// user.
    pub shared: bool,
    /// For an exclusive card, the users whose copy an update changes. Absent on the wire when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fcids: Option<Vec<Fcid>>,
    /// The card's content, drawn top to bottom; at least one element.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub elements: Vec<Element>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl Card {
    /// An empty shared form in `input` state, ready for elements.
    pub fn form() -> Self {
        Self {
            card_type: CardType::Form,
            status: Status::Input,
            shared: true,
            fcids: Some(Vec::new()),
            elements: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Sets the status.
    pub fn status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }

    /// Makes the card shared (`true`, the default) or exclusive (`false`).
    pub fn shared(mut self, shared: bool) -> Self {
        self.shared = shared;
        self
    }

    /// Sets `fcids`: for an exclusive card, the users whose copy an update changes.
    pub fn fcids(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.fcids = Some(fcids.into_iter().collect());
        self
    }

    /// Makes the card exclusive to `fcids`: an update changes only their copies.
    pub fn exclusive_to(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.shared = false;
        self.fcids = Some(fcids.into_iter().collect());
        self
    }

    /// Adds an element.
    pub fn element(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }

    /// Adds several elements.
    pub fn elements(mut self, elements: impl IntoIterator<Item = Element>) -> Self {
        self.elements.extend(elements);
        self
    }

    /// Adds a line of text.
    pub fn text(self, value: impl Into<String>) -> Self {
        self.element(Text::new(value))
    }

    /// Adds a default divider.
    pub fn divider(self) -> Self {
        self.element(Element::divider())
    }

    /// Adds a picture.
    pub fn image(self, o_url: MxcUri) -> Self {
        self.element(Image::new(o_url))
    }

    /// Adds a text field.
    pub fn input(self, input: TextInput) -> Self {
        self.element(input)
    }

    /// Adds a dropdown.
    pub fn dropdown(self, dropdown: Dropdown) -> Self {
        self.element(dropdown)
    }

    /// Adds a reply button.
    pub fn reply(self, reply: Reply) -> Self {
        self.element(reply)
    }

    /// Adds a submit button with `caption`.
    pub fn submit(self, caption: impl Into<String>) -> Self {
        self.element(Submit::new(caption))
    }

    /// Adds a link button.
    pub fn openurl(self, caption: impl Into<String>, url: HttpUrl) -> Self {
        self.element(OpenUrl::new(caption, url))
    }

    /// The same card with every element in place, in another state: what an update-cui sends after a
    /// submission (`Status::Disable`) or while the app works (`Status::Loading`).
    pub fn with_status(&self, status: Status) -> Self {
        self.clone().status(status)
    }

    /// Wraps the card in an `m.cui` message with the default body `[交互卡片]`.
    pub fn into_content(self) -> CuiContent {
        CuiContent::new(self)
    }

    /// The input, dropdown and reply keys, in element order (a key used twice appears twice).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.elements.iter().filter_map(Element::key)
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

word_list! {
    /// The state of a card (`info.status`) or of a reply button: whether the user can act on it.
    Status {
        /// `input`: the user can fill the card in and press its buttons.
        Input = "input",
        /// `loading`: the app is processing; the card is shown as busy.
        Loading = "loading",
        /// `disable`: read-only, for instance after it was handled.
        Disable = "disable",
    }
}

word_list! {
    /// The kind of a CUI card (`info.type`).
    CardType {
        /// `form`, the only published kind.
        Form = "form",
    }
}
