//! `m.textcard`: a title, a description and a button that opens a link.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::word_list::word_list;
use crate::{HttpUrl, MxcUri};

/// The content of `m.textcard`. Its `body` is the empty string, as the API documents.
///
/// ```
/// use finchat_cui::{OpenType, TextCardContent};
/// let card = TextCardContent::new("测试卡片", "测试卡片的内容", "https://example.org/home".parse()?, "发送")
///     .opentype(OpenType::InApp);
/// assert_eq!(card.body, "");
/// # Ok::<(), finchat_cui::UrlError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_m_textcard))]
#[non_exhaustive]
pub struct TextCardContent {
    /// Always `""` for a text card.
    pub body: String,
    /// What the card shows.
    pub info: TextCardInfo,
    /// A media URI; the documented samples carry one, but its role for text cards is not documented.
    pub o_url: Option<MxcUri>,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

/// The `info` of a text card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TextCardInfo {
    /// The card's title.
    pub title: String,
    /// The card's text.
    pub description: String,
    /// The link the button opens.
    pub url: HttpUrl,
    /// The button's caption.
    pub btntext: String,
    /// Where the link opens; absent: the client decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opentype: Option<OpenType>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl TextCardContent {
    /// A text card with the empty `body` the API expects.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        url: HttpUrl,
        btntext: impl Into<String>,
    ) -> Self {
        Self {
            body: String::new(),
            info: TextCardInfo {
                title: title.into(),
                description: description.into(),
                url,
                btntext: btntext.into(),
                opentype: None,
                extra: Map::new(),
            },
            o_url: None,
            extra: Map::new(),
        }
    }

    /// Sets where the link opens.
    pub fn opentype(mut self, opentype: OpenType) -> Self {
        self.info.opentype = Some(opentype);
        self
    }

    /// Sets the `o_url` the documented samples carry.
    pub fn o_url(mut self, o_url: MxcUri) -> Self {
        self.o_url = Some(o_url);
        self
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl TextCardInfo {
    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

word_list! {
    /// How a text card's link opens (`info.opentype`).
    OpenType {
        /// `inapp`: inside FinChat.
        InApp = "inapp",
        /// `inbrowser`: in the system browser.
        InBrowser = "inbrowser",
    }
}
