//! `m.file`: a file stored on the media server.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::MxcUri;

/// The content of `m.file`.
///
/// ```
/// let pdf = finchat_cui::FileContent::new("test.pdf", "mxc://example.org/abc".parse()?)
///     .mimetype("")
///     .size(1234242);
/// assert_eq!(pdf.body, "test.pdf");
/// # Ok::<(), finchat_cui::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::tag_m_file))]
#[non_exhaustive]
pub struct FileContent {
    /// The file name.
    pub body: String,
    /// The file's type and size.
    pub info: Option<FileInfo>,
    /// The file, as returned by the media upload API.
    pub o_url: MxcUri,
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

/// The `info` of a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FileInfo {
    /// MIME type; the API documents `""` for files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mimetype: Option<String>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) extra: Map<String, Value>,
}

impl FileContent {
    /// A file called `name` stored at `o_url`.
    pub fn new(name: impl Into<String>, o_url: MxcUri) -> Self {
        Self {
            body: name.into(),
            info: None,
            o_url,
            extra: Map::new(),
        }
    }

    /// Sets the MIME type (`""` is what the API documents for files).
    pub fn mimetype(mut self, mimetype: impl Into<String>) -> Self {
        self.info.get_or_insert_with(FileInfo::default).mimetype = Some(mimetype.into());
        self
    }

    /// Sets the size in bytes.
    pub fn size(mut self, bytes: u64) -> Self {
        self.info.get_or_insert_with(FileInfo::default).size = Some(bytes);
        self
    }

    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl FileInfo {
    /// Fields the format does not define, kept from received JSON (empty when built here).
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}
