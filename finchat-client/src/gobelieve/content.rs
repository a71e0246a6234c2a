//! `Content`: the string a GoBelieve message carries, made from text or from any FinChat content
//! (a card becomes its plain-text fallback), so that one bot can notify both systems.

use finchat_cui::{
    Card, CuiContent, FileContent, ImageContent, MessageContent, OtherContent, TextCardContent,
    TextContent,
};

use super::Error;

/// What a GoBelieve message carries: a string.
///
/// From FinChat content it is the content's plain-text fallback
/// ([`MessageContent::to_plain_text`]): a card's text lines, buttons as `[ caption ]`. Text is
/// sent as it is; [`Content::sdk_text`] wraps it as `{"text": …}`, the form GoBelieve's own client
/// SDKs put in `content`.
///
/// ```
/// use finchat_client::gobelieve::Content;
/// use finchat_cui::Card;
///
/// let card = Card::form().text("周报提醒").submit("已读");
/// assert_eq!(Content::from(card).as_str(), "周报提醒\n[ 已读 ]");
/// assert_eq!(Content::sdk_text("hi").as_str(), r#"{"text":"hi"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content(String);

impl Content {
    /// `text` as it is.
    pub fn text(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// `text` as `{"text": "…"}`, the message form of GoBelieve's client SDKs.
    pub fn sdk_text(text: impl AsRef<str>) -> Self {
        Self(serde_json::json!({ "text": text.as_ref() }).to_string())
    }

    /// The plain-text fallback of FinChat content.
    pub fn fallback_of(content: &MessageContent) -> Self {
        Self(content.to_plain_text())
    }

    /// The string sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The string sent.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The string, unless there is nothing to send.
    pub(crate) fn checked(self) -> Result<String, Error> {
        if self.0.trim().is_empty() {
            return Err(Error::refused(
                "the content is empty; give text, or a card with at least one element",
            ));
        }
        Ok(self.0)
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

impl From<String> for Content {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl From<&MessageContent> for Content {
    fn from(content: &MessageContent) -> Self {
        Self::fallback_of(content)
    }
}

macro_rules! from_finchat_content {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Content {
            fn from(content: $ty) -> Self {
                Self::fallback_of(&MessageContent::from(content))
            }
        }
    )*};
}

from_finchat_content!(
    MessageContent,
    Card,
    CuiContent,
    TextContent,
    TextCardContent,
    ImageContent,
    FileContent,
    OtherContent
);

impl From<&Card> for Content {
    fn from(card: &Card) -> Self {
        Self(card.to_plain_text())
    }
}

impl From<&CuiContent> for Content {
    fn from(content: &CuiContent) -> Self {
        Self(content.info.to_plain_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finchat_content_becomes_its_fallback_and_empty_content_is_refused() {
        assert_eq!(
            Content::from(MessageContent::text("hello")).as_str(),
            "hello"
        );
        let card = Card::form().text("审批").divider().submit("同意");
        assert_eq!(Content::from(&card), Content::from(card.clone()));
        assert_eq!(Content::from(card).as_str(), "审批\n────────\n[ 同意 ]");
        assert!(Content::text("  ").checked().unwrap_err().is_refused());
    }
}
