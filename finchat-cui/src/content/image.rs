//! `m.image`: a picture stored on the media server.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::MxcUri;

/// The content of `m.image`.
///
/// ```
/// let png = finchat_cui::ImageContent::new("test.png", "mxc://example.org/abc".parse()?)
///     .mimetype("image/png")
///     .size(1234242)
///     .dimensions(750, 1334);
/// assert_eq!(png.info.as_ref().and_then(|i| i.w), Some(750));
/// # Ok::<(), finchat_cui::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_m_image))]
#[non_exhaustive]
pub struct ImageContent {
    /// The image's file name.
    pub body: String,
    /// What the client needs to lay the image out.
    pub info: Option<ImageInfo>,
    /// The image, as returned by the media upload API.
    pub o_url: MxcUri,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

/// The `info` of an image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ImageInfo {
    /// MIME type, e.g. `image/png`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mimetype: Option<String>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Height in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h: Option<u32>,
    /// Width in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w: Option<u32>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl ImageContent {
    /// An image called `name` stored at `o_url`.
    pub fn new(name: impl Into<String>, o_url: MxcUri) -> Self {
        Self {
            body: name.into(),
            info: None,
            o_url,
            extra: Map::new(),
        }
    }

    fn info_mut(&mut self) -> &mut ImageInfo {
        self.info.get_or_insert_with(ImageInfo::default)
    }

    /// Sets the MIME type.
    pub fn mimetype(mut self, mimetype: impl Into<String>) -> Self {
        self.info_mut().mimetype = Some(mimetype.into());
        self
    }

    /// Sets the size in bytes.
    pub fn size(mut self, bytes: u64) -> Self {
        self.info_mut().size = Some(bytes);
        self
    }

    /// Sets width and height in pixels.
    pub fn dimensions(mut self, w: u32, h: u32) -> Self {
        let info = self.info_mut();
        info.w = Some(w);
        info.h = Some(h);
        self
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl ImageInfo {
    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}
