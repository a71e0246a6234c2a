//! Message content, tagged by `msgtype`: what `content` holds in a send or update-cui request and in a
//! received `m.room.message` event.

pub(crate) mod cui;
mod file;
mod image;
mod other;
mod text;
pub(crate) mod textcard;

pub use cui::CuiContent;
pub use file::{FileContent, FileInfo};
pub use image::{ImageContent, ImageInfo};
pub use other::OtherContent;
pub use text::TextContent;
pub use textcard::{TextCardContent, TextCardInfo};

use crate::Card;

/// The `content` of a message, by `msgtype`.
///
/// Receiving never fails on a JSON object: a `msgtype` this library does not know, or a known one whose
/// fields do not fit the format, is kept whole as [`MessageContent::Other`] and serialises back
/// unchanged. Sending is strict: [`MessageContent::validate`] reports everything that is wrong.
///
/// ```
/// use finchat_cui::{MessageContent, TextContent};
///
/// let hello = MessageContent::from(TextContent::new("hello world"));
/// assert_eq!(serde_json::to_string(&hello)?, r#"{"msgtype":"m.text","body":"hello world"}"#);
///
/// let received: MessageContent = serde_json::from_str(r#"{"msgtype":"m.location","geo_uri":"geo:1,2"}"#)?;
/// assert_eq!(received.msgtype(), "m.location");
/// assert!(received.validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageContent {
    /// `m.text`: a plain text message.
    Text(TextContent),
    /// `m.alert`: a message that @-mentions the app's bot in a group room. Received only.
    Alert(TextContent),
    /// `m.textcard`: a card with a title, a description and a link button.
    TextCard(TextCardContent),
    /// `m.image`: a picture.
    Image(ImageContent),
    /// `m.file`: a file.
    File(FileContent),
    /// `m.cui`: an interactive card.
    Cui(CuiContent),
    /// Any other `msgtype`, or a known one whose fields do not fit the format, kept as received.
    Other(OtherContent),
}

impl MessageContent {
    /// The `msgtype`, e.g. `m.cui` (`""` for received content without a string `msgtype`).
    pub fn msgtype(&self) -> &str {
        match self {
            Self::Text(_) => "m.text",
            Self::Alert(_) => "m.alert",
            Self::TextCard(_) => "m.textcard",
            Self::Image(_) => "m.image",
            Self::File(_) => "m.file",
            Self::Cui(_) => "m.cui",
            Self::Other(other) => other.msgtype(),
        }
    }

    /// The `body`: the text, the file name, or a card's notification text.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Text(c) | Self::Alert(c) => Some(&c.body),
            Self::TextCard(c) => Some(&c.body),
            Self::Image(c) => Some(&c.body),
            Self::File(c) => Some(&c.body),
            Self::Cui(c) => Some(&c.body),
            Self::Other(c) => c.raw().get("body").and_then(serde_json::Value::as_str),
        }
    }

    /// The CUI card, for `m.cui` content.
    pub fn card(&self) -> Option<&Card> {
        match self {
            Self::Cui(c) => Some(&c.info),
            _ => None,
        }
    }

    /// A text message.
    pub fn text(body: impl Into<String>) -> Self {
        Self::Text(TextContent::new(body))
    }
}

macro_rules! into_content {
    ($($ty:ident => $variant:ident),*) => {$(
        impl From<$ty> for MessageContent {
            fn from(content: $ty) -> Self {
                Self::$variant(content)
            }
        }
    )*};
}

into_content!(
    TextContent => Text,
    TextCardContent => TextCard,
    ImageContent => Image,
    FileContent => File,
    CuiContent => Cui,
    OtherContent => Other
);

impl From<Card> for MessageContent {
    fn from(card: Card) -> Self {
        Self::Cui(CuiContent::new(card))
    }
}
