//! `m.cui`: an interactive card.

use serde_json::{Map, Value};

use crate::Card;
use crate::word_list::word_list;

/// The body the documented samples give a card: shown where the card cannot be drawn.
pub const DEFAULT_CARD_BODY: &str = "[交互卡片]";

/// The content of `m.cui`: a [`Card`] with its protocol version and notification text.
///
/// ```
/// use finchat_cui::{Card, CuiContent};
/// let content = CuiContent::new(Card::form().text("周报提醒").submit("已读"));
/// assert_eq!(content.body, "[交互卡片]");
/// assert_eq!(content.version.as_str(), "0.1.0");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_m_cui))]
#[non_exhaustive]
pub struct CuiContent {
    /// Text shown where the card cannot be drawn (notifications, old clients). Not empty.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub body: String,
    /// The CUI protocol version.
    pub version: Version,
    /// The card.
    pub info: Card,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl CuiContent {
    /// `card` as an `m.cui` message, version `0.1.0`, body `[交互卡片]`.
    pub fn new(card: Card) -> Self {
        Self {
            body: DEFAULT_CARD_BODY.to_owned(),
            version: Version::V0_1_0,
            info: card,
            extra: Map::new(),
        }
    }

    /// Sets the notification text, e.g. `"报销申请待审批"` or the card's plain-text rendering.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

word_list! {
    /// The CUI protocol version (`version` of an `m.cui` message).
    Version {
        /// `0.1.0`, the only published version.
        V0_1_0 = "0.1.0",
    }
}
