//! The grammar as tables: which tags stand where, and which attributes each tag takes, of what kind,
//! and whether required. Which children a tag holds is [`Tag::children`](super::Tag::children).

use super::symbol::*;

/// Tags that make a whole message.
pub const TOP_LEVEL_TAGS: &[&str] = &[FORM, TEXTCARD, IMAGE, FILE, TEXT];
/// Tags that stand inside `<form>`.
pub const ELEMENT_TAGS: &[&str] = &[
    TEXT, DIVIDER, IMAGE, INPUT, DROPDOWN, REPLY, SUBMIT, OPENURL,
];
/// Every tag.
pub const ALL_TAGS: &[&str] = &[
    FORM, TEXT, DIVIDER, IMAGE, INPUT, DROPDOWN, OPTION, REPLY, SUBMIT, OPENURL, TEXTCARD, FILE,
];

/// What an attribute takes, and what its literal must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Any string.
    Text,
    /// A string that must not be empty.
    NonEmpty,
    /// `"input"`, `"loading"` or `"disable"`.
    Status,
    /// `"inapp"` or `"inbrowser"`.
    OpenType,
    /// An `mxc://server/media-id` URI.
    Mxc,
    /// An absolute http(s) URL.
    Url,
    /// A CSS colour.
    Color,
    /// A whole number.
    Int,
    /// `true` or `false`.
    Bool,
    /// Only an expression (`fcids={…}`).
    ExprOnly,
}

/// The attributes a tag takes: name, kind, required.
pub type Spec = &'static [(&'static str, Kind, bool)];

/// The attributes of `<form>`.
pub const FORM_ATTRS: Spec = &[
    (STATUS, Kind::Status, false),
    (SHARED, Kind::Bool, false),
    (FCIDS, Kind::ExprOnly, false),
    (BODY, Kind::NonEmpty, false),
];
/// The attributes of `<divider/>`.
pub const DIVIDER_ATTRS: Spec = &[(HEIGHT, Kind::Int, false), (BACKGROUND, Kind::Color, false)];
/// The attributes of `<image/>` inside `<form>`.
pub const IMAGE_ATTRS: Spec = &[(SRC, Kind::Mxc, true)];
/// The attributes of `<input/>` and `<dropdown>`.
pub const INPUT_ATTRS: Spec = &[
    (KEY, Kind::NonEmpty, true),
    (PLACEHOLDER, Kind::Text, false),
    (VALUE, Kind::Text, false),
];
/// The attributes of `<option>`.
pub const OPTION_ATTRS: Spec = &[(VALUE, Kind::Text, true)];
/// The attributes of `<reply>`.
pub const REPLY_ATTRS: Spec = &[(KEY, Kind::NonEmpty, true), (STATUS, Kind::Status, false)];
/// The attributes of `<openurl>`.
pub const OPENURL_ATTRS: Spec = &[(HREF, Kind::Url, true)];
/// The attributes of `<textcard/>`.
pub const TEXTCARD_ATTRS: Spec = &[
    (TITLE, Kind::Text, true),
    (DESCRIPTION, Kind::Text, true),
    (URL, Kind::Url, true),
    (BTNTEXT, Kind::Text, true),
    (OPENTYPE, Kind::OpenType, false),
];
/// The attributes of `<image/>` as a message.
pub const IMAGE_MESSAGE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
    (W, Kind::Int, false),
    (H, Kind::Int, false),
];
/// The attributes of `<file/>`.
pub const FILE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
];
/// The attributes of tags that take none (`<text>`, `<submit>`).
pub const NO_ATTRS: Spec = &[];
