//! The typed tree of one `cui!` message: what each tag became, with the user's literals and
//! expressions kept for their spans. `parse` builds it, `valid` checks it, `expand` emits it.
// The tree lives for one macro call and is walked once: boxing its large variants buys nothing.
#![allow(clippy::large_enum_variant)]

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, LitStr};

/// A message: what the macro expands to.
pub enum Message {
    Form(Form),
    TextCard(TextCard),
    Image(ImageMessage),
    File(FileMessage),
    Text(Text),
}

/// `<form>`: an `m.cui` card.
pub struct Form {
    pub span: Span,
    /// Whether the form had any child at all, even one that was rejected.
    pub had_children: bool,
    pub status: Option<Attr>,
    pub shared: Option<Attr>,
    pub fcids: Option<Attr>,
    pub body: Option<Attr>,
    pub items: Vec<Item>,
}

/// A child of `<form>`.
pub enum Item {
    Element(Element),
    Splice(Expr),
}

/// An element inside `<form>`.
pub enum Element {
    Text(Text),
    Divider {
        height: Option<Attr>,
        background: Option<Attr>,
    },
    Image {
        src: Attr,
    },
    Input {
        key: Attr,
        placeholder: Option<Attr>,
        value: Option<Attr>,
    },
    Dropdown(Dropdown),
    Reply {
        key: Attr,
        status: Option<Attr>,
        caption: Text,
    },
    Submit {
        caption: Text,
    },
    OpenUrl {
        href: Attr,
        caption: Text,
    },
}

/// `<dropdown>`.
pub struct Dropdown {
    pub span: Span,
    pub key: Attr,
    pub placeholder: Option<Attr>,
    pub value: Option<Attr>,
    pub options: Vec<OptionItem>,
}

/// A child of `<dropdown>`.
pub enum OptionItem {
    Option { value: Attr, label: Text },
    Splice(Expr),
}

/// `<textcard …/>`.
pub struct TextCard {
    pub title: Attr,
    pub description: Attr,
    pub url: Attr,
    pub btntext: Attr,
    pub opentype: Option<Attr>,
}

/// `<image …/>` at top level.
pub struct ImageMessage {
    pub name: Attr,
    pub src: Attr,
    pub mimetype: Option<Attr>,
    pub size: Option<Attr>,
    pub w: Option<Attr>,
    pub h: Option<Attr>,
}

/// `<file …/>`.
pub struct FileMessage {
    pub name: Attr,
    pub src: Attr,
    pub mimetype: Option<Attr>,
    pub size: Option<Attr>,
}

/// Text made of string literals and `{expr}`s formatted with `Display`.
pub struct Text {
    pub span: Span,
    pub parts: Vec<Part>,
}

pub enum Part {
    Lit(LitStr),
    Expr(Expr),
}

impl Text {
    /// The text, when it is literals only.
    pub fn literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Lit(lit) => Some(lit.value()),
                Part::Expr(_) => None,
            })
            .collect()
    }
}

/// An attribute: its name's span and its value.
pub struct Attr {
    pub name_span: Span,
    pub value: Value,
}

/// An attribute value: a literal of the kind the attribute takes, or a Rust expression.
pub enum Value {
    Str(LitStr),
    Int(syn::LitInt),
    Bool(syn::LitBool),
    Expr(Expr),
}

impl Attr {
    /// The string literal, if the value is one.
    pub fn literal(&self) -> Option<String> {
        match &self.value {
            Value::Str(lit) => Some(lit.value()),
            _ => None,
        }
    }

    /// The span of the value.
    pub fn value_span(&self) -> Span {
        match &self.value {
            Value::Str(lit) => lit.span(),
            Value::Int(lit) => lit.span(),
            Value::Bool(lit) => lit.span(),
            Value::Expr(expr) => expr.span(),
        }
    }

    pub fn is_expr(&self) -> bool {
        matches!(self.value, Value::Expr(_))
    }
}
