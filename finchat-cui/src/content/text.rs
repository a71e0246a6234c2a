//! `m.text` and `m.alert`: a plain text body.

use serde_json::{Map, Value};

/// The content of `m.text` (and of the received-only `m.alert`).
///
/// ```
/// let hello = finchat_cui::TextContent::new("hello world");
/// assert_eq!(hello.body, "hello world");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_m_text))]
#[non_exhaustive]
pub struct TextContent {
    /// The text.
    pub body: String,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl TextContent {
    /// A text message.
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            body: body.into(),
            extra: Map::new(),
        }
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}
