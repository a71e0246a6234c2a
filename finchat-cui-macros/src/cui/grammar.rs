//! The grammar of `cui!` as tables: where each tag may stand, and which attributes each tag takes,
//! of what kind, and whether required. Which children a tag holds is read by `parse`: elements in
//! `<form>`, options in `<dropdown>`, text in `<text>` and `<option>`, a caption in the buttons, and
//! none in the rest.

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
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    /// Any string.
    Text,
    /// A string that must not be empty.
    NonEmpty,
    Status,
    OpenType,
    Mxc,
    Url,
    Color,
    Int,
    Bool,
    /// Only an expression (`fcids={…}`).
    ExprOnly,
}

/// The attributes a tag takes: name, kind, required.
pub type Spec = &'static [(&'static str, Kind, bool)];

pub const FORM_ATTRS: Spec = &[
    (STATUS, Kind::Status, false),
    (SHARED, Kind::Bool, false),
    (FCIDS, Kind::ExprOnly, false),
    (BODY, Kind::NonEmpty, false),
];
pub const DIVIDER_ATTRS: Spec = &[(HEIGHT, Kind::Int, false), (BACKGROUND, Kind::Color, false)];
pub const IMAGE_ATTRS: Spec = &[(SRC, Kind::Mxc, true)];
pub const INPUT_ATTRS: Spec = &[
    (KEY, Kind::NonEmpty, true),
    (PLACEHOLDER, Kind::Text, false),
    (VALUE, Kind::Text, false),
];
pub const OPTION_ATTRS: Spec = &[(VALUE, Kind::Text, true)];
pub const REPLY_ATTRS: Spec = &[(KEY, Kind::NonEmpty, true), (STATUS, Kind::Status, false)];
pub const OPENURL_ATTRS: Spec = &[(HREF, Kind::Url, true)];
pub const TEXTCARD_ATTRS: Spec = &[
    (TITLE, Kind::Text, true),
    (DESCRIPTION, Kind::Text, true),
    (URL, Kind::Url, true),
    (BTNTEXT, Kind::Text, true),
    (OPENTYPE, Kind::OpenType, false),
];
pub const IMAGE_MESSAGE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
    (W, Kind::Int, false),
    (H, Kind::Int, false),
];
pub const FILE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
];
pub const NO_ATTRS: Spec = &[];
