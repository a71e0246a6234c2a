//! The tag and attribute names of the `cui!` grammar, in one place.
#![allow(missing_docs)] // Each constant is the name it holds.

pub const FORM: &str = "form";
pub const TEXT: &str = "text";
pub const DIVIDER: &str = "divider";
pub const IMAGE: &str = "image";
pub const INPUT: &str = "input";
pub const DROPDOWN: &str = "dropdown";
pub const OPTION: &str = "option";
pub const REPLY: &str = "reply";
pub const SUBMIT: &str = "submit";
pub const OPENURL: &str = "openurl";
pub const TEXTCARD: &str = "textcard";
pub const FILE: &str = "file";

pub const STATUS: &str = "status";
pub const SHARED: &str = "shared";
pub const FCIDS: &str = "fcids";
pub const BODY: &str = "body";
pub const HEIGHT: &str = "height";
pub const BACKGROUND: &str = "background";
pub const SRC: &str = "src";
pub const KEY: &str = "key";
pub const PLACEHOLDER: &str = "placeholder";
pub const VALUE: &str = "value";
pub const HREF: &str = "href";
pub const TITLE: &str = "title";
pub const DESCRIPTION: &str = "description";
pub const URL: &str = "url";
pub const BTNTEXT: &str = "btntext";
pub const OPENTYPE: &str = "opentype";
pub const NAME: &str = "name";
pub const MIMETYPE: &str = "mimetype";
pub const SIZE: &str = "size";
pub const W: &str = "w";
pub const H: &str = "h";
