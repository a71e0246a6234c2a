//! The checked tree of a template: each tag known and where it may stand, each attribute read and each
//! literal checked. Rendering walks it with data.

use finchat_cui_rules::grammar::Tag;

use super::data::DataPath;
use super::error::Position;

/// A tag of the grammar, with its attributes and what it holds.
pub(super) struct Node {
    pub tag: Tag,
    pub pos: Position,
    pub attrs: Vec<(&'static str, Attr)>,
    pub body: Body,
}

/// What a node holds.
pub(super) enum Body {
    None,
    /// Elements (`<form>`) or options (`<dropdown>`).
    Nodes(Vec<Item<Node>>),
    /// Text (`<text>`, `<option>`, a button's caption).
    Text(Vec<Item<Part>>),
}

/// One child, or a `<for>` or `<if>` around children.
pub(super) enum Item<T> {
    One(T),
    For {
        each: Bound,
        name: String,
        body: Vec<Item<T>>,
    },
    If {
        test: Bound,
        /// `not=`: the children stand when the value is false.
        negate: bool,
        body: Vec<Item<T>>,
    },
}

/// A piece of text.
pub(super) enum Part {
    Lit(String),
    Bind(Bound),
}

/// An attribute's value, and where its name is.
pub(super) struct Attr {
    pub pos: Position,
    pub value: Value,
    pub value_pos: Position,
}

/// A literal (checked), or a `{path}` read when rendering.
pub(super) enum Value {
    Str(String),
    Int(u64),
    Bool(bool),
    Bind(Bound),
}

/// `{path}` and where it is written.
pub(super) struct Bound {
    pub path: DataPath,
    pub pos: Position,
}

impl Node {
    /// The attribute `name`, if given.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}
