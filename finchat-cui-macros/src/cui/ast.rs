//! From rstml's nodes to the typed tree of one message: every tag known, every attribute read and its
//! literal checked, every child where it may stand. Errors are collected and parsing goes on, so one
//! call reports all of them; a node with a fatal error is left out of the tree.
// The tree lives for one macro call and is walked once: boxing its large variants buys nothing.
#![allow(clippy::large_enum_variant)]

use proc_macro2::{Span, TokenStream};
use rstml::node::{KeyedAttribute, Node, NodeAttribute, NodeBlock, NodeElement};
use rstml::{Parser, ParserConfig};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr};

use super::Errors;
use super::symbol::*;
use crate::suggest::did_you_mean;
use finchat_cui_rules::{OPENTYPES, STATUSES, check_color, check_http_url, check_mxc};

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

/// What an attribute takes, and what its literal must be.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
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
type Spec = &'static [(&'static str, Kind, bool)];

const FORM_ATTRS: Spec = &[
    (STATUS, Kind::Status, false),
    (SHARED, Kind::Bool, false),
    (FCIDS, Kind::ExprOnly, false),
    (BODY, Kind::NonEmpty, false),
];
const DIVIDER_ATTRS: Spec = &[(HEIGHT, Kind::Int, false), (BACKGROUND, Kind::Color, false)];
const IMAGE_ATTRS: Spec = &[(SRC, Kind::Mxc, true)];
const INPUT_ATTRS: Spec = &[
    (KEY, Kind::NonEmpty, true),
    (PLACEHOLDER, Kind::Text, false),
    (VALUE, Kind::Text, false),
];
const OPTION_ATTRS: Spec = &[(VALUE, Kind::Text, true)];
const REPLY_ATTRS: Spec = &[(KEY, Kind::NonEmpty, true), (STATUS, Kind::Status, false)];
const OPENURL_ATTRS: Spec = &[(HREF, Kind::Url, true)];
const TEXTCARD_ATTRS: Spec = &[
    (TITLE, Kind::Text, true),
    (DESCRIPTION, Kind::Text, true),
    (URL, Kind::Url, true),
    (BTNTEXT, Kind::Text, true),
    (OPENTYPE, Kind::OpenType, false),
];
const IMAGE_MESSAGE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
    (W, Kind::Int, false),
    (H, Kind::Int, false),
];
const FILE_ATTRS: Spec = &[
    (NAME, Kind::NonEmpty, true),
    (SRC, Kind::Mxc, true),
    (MIMETYPE, Kind::Text, false),
    (SIZE, Kind::Int, false),
];
const NO_ATTRS: Spec = &[];

/// Parses the macro input into one message.
pub fn parse(input: TokenStream, errors: &mut Errors) -> Option<Message> {
    let config = ParserConfig::new().recover_block(true);
    let (nodes, diagnostics) = Parser::new(config).parse_recoverable(input).split_vec();
    for diagnostic in diagnostics {
        errors.push(diagnostic.into());
    }
    let mut message = None;
    for node in &nodes {
        match node {
            Node::Element(element) if message.is_none() => message = top_level(element, errors),
            Node::Element(element) => errors.add(
                element.name().span(),
                "`cui!` makes one message; put elements inside one `<form>`",
            ),
            other => errors.add(
                other.span(),
                "expected a message tag: `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`",
            ),
        }
    }
    if nodes.is_empty() && errors.0.is_empty() {
        errors.add(
            Span::call_site(),
            "`cui!` needs a message: `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`",
        );
    }
    message
}

fn tag_name(element: &NodeElement<rstml::Infallible>) -> String {
    element.name().to_string()
}

fn top_level(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Message> {
    let name = tag_name(element);
    let span = element.name().span();
    match name.as_str() {
        FORM => form(element, errors).map(Message::Form),
        TEXT => {
            let mut attrs = Attrs::read(element, NO_ATTRS, errors);
            attrs.finish(errors);
            Some(Message::Text(text(element, errors)))
        }
        TEXTCARD => {
            let mut attrs = Attrs::read(element, TEXTCARD_ATTRS, errors);
            no_children(element, errors);
            let card = TextCard {
                title: attrs.required(TITLE),
                description: attrs.required(DESCRIPTION),
                url: attrs.required(URL),
                btntext: attrs.required(BTNTEXT),
                opentype: attrs.take(OPENTYPE),
            };
            attrs.finish(errors)?;
            Some(Message::TextCard(card))
        }
        IMAGE => {
            let mut attrs = Attrs::read(element, IMAGE_MESSAGE_ATTRS, errors);
            no_children(element, errors);
            let image = ImageMessage {
                name: attrs.required(NAME),
                src: attrs.required(SRC),
                mimetype: attrs.take(MIMETYPE),
                size: attrs.take(SIZE),
                w: attrs.take(W),
                h: attrs.take(H),
            };
            attrs.finish(errors)?;
            if image.w.is_some() != image.h.is_some() {
                let attr = image
                    .w
                    .as_ref()
                    .or(image.h.as_ref())
                    .map_or(span, |a| a.name_span);
                errors.add(attr, "`w` and `h` go together: give both or neither");
            }
            Some(Message::Image(image))
        }
        FILE => {
            let mut attrs = Attrs::read(element, FILE_ATTRS, errors);
            no_children(element, errors);
            let file = FileMessage {
                name: attrs.required(NAME),
                src: attrs.required(SRC),
                mimetype: attrs.take(MIMETYPE),
                size: attrs.take(SIZE),
            };
            attrs.finish(errors)?;
            Some(Message::File(file))
        }
        _ if ALL_TAGS.contains(&name.as_str()) => {
            errors.add(
                span,
                format!(
                    "`<{name}>` can only stand inside {}; a message is `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`",
                    if name == OPTION { "`<dropdown>`" } else { "`<form>`" }
                ),
            );
            None
        }
        _ => {
            unknown_tag(&name, span, TOP_LEVEL_TAGS, errors);
            None
        }
    }
}

fn unknown_tag(name: &str, span: Span, expected: &[&str], errors: &mut Errors) {
    let list = expected
        .iter()
        .map(|t| format!("`<{t}>`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = match did_you_mean(name, ALL_TAGS) {
        Some(guess) => {
            format!("unknown tag `<{name}>`; did you mean `<{guess}>`? expected one of {list}")
        }
        None => format!("unknown tag `<{name}>`; expected one of {list}"),
    };
    errors.add(span, message);
}

fn form(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Form> {
    let mut attrs = Attrs::read(element, FORM_ATTRS, errors);
    let form = Form {
        span: element.name().span(),
        had_children: !element.children().is_empty(),
        status: attrs.take(STATUS),
        shared: attrs.take(SHARED),
        fcids: attrs.take(FCIDS),
        body: attrs.take(BODY),
        items: form_items(element, errors),
    };
    attrs.finish(errors)?;
    Some(form)
}

fn form_items(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Vec<Item> {
    let mut items = Vec::new();
    for child in element.children() {
        match child {
            Node::Element(child) => {
                if let Some(element) = form_element(child, errors) {
                    items.push(Item::Element(element));
                }
            }
            Node::Block(block) => items.extend(block_expr(block).map(Item::Splice)),
            Node::Text(text) => errors.add(
                text.value.span(),
                "text cannot stand directly inside `<form>`; wrap it in `<text>…</text>`",
            ),
            other => not_allowed(other, "`<form>`", errors),
        }
    }
    items
}

fn form_element(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Element> {
    let name = tag_name(element);
    let span = element.name().span();
    let element = match name.as_str() {
        TEXT => {
            Attrs::read(element, NO_ATTRS, errors).finish(errors)?;
            Element::Text(text(element, errors))
        }
        DIVIDER => {
            let mut attrs = Attrs::read(element, DIVIDER_ATTRS, errors);
            no_children(element, errors);
            let divider = Element::Divider {
                height: attrs.take(HEIGHT),
                background: attrs.take(BACKGROUND),
            };
            attrs.finish(errors)?;
            divider
        }
        IMAGE => {
            let mut attrs = Attrs::read(element, IMAGE_ATTRS, errors);
            no_children(element, errors);
            let src = attrs.required(SRC);
            attrs.finish(errors)?;
            Element::Image { src }
        }
        INPUT => {
            let mut attrs = Attrs::read(element, INPUT_ATTRS, errors);
            no_children(element, errors);
            let input = Element::Input {
                key: attrs.required(KEY),
                placeholder: attrs.take(PLACEHOLDER),
                value: attrs.take(VALUE),
            };
            attrs.finish(errors)?;
            input
        }
        DROPDOWN => {
            let mut attrs = Attrs::read(element, INPUT_ATTRS, errors);
            let dropdown = Dropdown {
                span,
                key: attrs.required(KEY),
                placeholder: attrs.take(PLACEHOLDER),
                value: attrs.take(VALUE),
                options: options(element, errors),
            };
            attrs.finish(errors)?;
            Element::Dropdown(dropdown)
        }
        REPLY => {
            let mut attrs = Attrs::read(element, REPLY_ATTRS, errors);
            let reply = Element::Reply {
                key: attrs.required(KEY),
                status: attrs.take(STATUS),
                caption: caption(element, errors),
            };
            attrs.finish(errors)?;
            reply
        }
        SUBMIT => {
            Attrs::read(element, NO_ATTRS, errors).finish(errors)?;
            Element::Submit {
                caption: caption(element, errors),
            }
        }
        OPENURL => {
            let mut attrs = Attrs::read(element, OPENURL_ATTRS, errors);
            let link = Element::OpenUrl {
                href: attrs.required(HREF),
                caption: caption(element, errors),
            };
            attrs.finish(errors)?;
            link
        }
        FORM => {
            errors.add(
                span,
                "`<form>` cannot stand inside `<form>`; a message has one card",
            );
            return None;
        }
        OPTION => {
            errors.add(span, "`<option>` can only stand inside `<dropdown>`");
            return None;
        }
        TEXTCARD | FILE => {
            errors.add(
                span,
                format!("`<{name}>` is a message of its own and cannot stand inside `<form>`"),
            );
            return None;
        }
        _ => {
            unknown_tag(&name, span, ELEMENT_TAGS, errors);
            return None;
        }
    };
    Some(element)
}

fn options(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Vec<OptionItem> {
    let mut options = Vec::new();
    for child in element.children() {
        match child {
            Node::Element(child) if tag_name(child) == OPTION => {
                let mut attrs = Attrs::read(child, OPTION_ATTRS, errors);
                let value = attrs.required(VALUE);
                let label = text(child, errors);
                if attrs.finish(errors).is_some() {
                    options.push(OptionItem::Option { value, label });
                }
            }
            Node::Element(child) => errors.add(
                child.name().span(),
                format!("`<{}>` cannot stand inside `<dropdown>`; only `<option value=…>label</option>` can", tag_name(child)),
            ),
            Node::Block(block) => options.extend(block_expr(block).map(OptionItem::Splice)),
            Node::Text(text) => errors.add(
                text.value.span(),
                "text cannot stand directly inside `<dropdown>`; write `<option value=\"…\">label</option>`",
            ),
            other => not_allowed(other, "`<dropdown>`", errors),
        }
    }
    options
}

/// The caption of a button: its text children, which must not be missing.
fn caption(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Text {
    let text = text(element, errors);
    if text.parts.is_empty() {
        let name = tag_name(element);
        errors.add(
            element.name().span(),
            format!("`<{name}>` needs a caption: `<{name} …>\"caption\"</{name}>`"),
        );
    }
    text
}

/// Text children: string literals and `{expr}`s.
fn text(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Text {
    let mut parts = Vec::new();
    let where_ = format!("`<{}>`", tag_name(element));
    for child in element.children() {
        match child {
            Node::Text(text) => parts.push(Part::Lit(text.value.clone())),
            Node::Block(block) => parts.extend(block_expr(block).map(Part::Expr)),
            Node::Element(child) => errors.add(
                child.name().span(),
                format!("`<{}>` cannot stand inside {where_}, which holds text: string literals and `{{expr}}`", tag_name(child)),
            ),
            other => not_allowed(other, &where_, errors),
        }
    }
    Text {
        span: element.name().span(),
        parts,
    }
}

fn no_children(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) {
    if let Some(child) = element.children().first() {
        errors.add(
            child.span(),
            format!(
                "`<{}>` takes no children; write it self-closing: `<{} …/>`",
                tag_name(element),
                tag_name(element)
            ),
        );
    }
}

fn not_allowed(node: &Node<rstml::Infallible>, where_: &str, errors: &mut Errors) {
    let message = match node {
        Node::RawText(_) => {
            format!("unquoted text inside {where_}; write text as a string literal: \"…\"")
        }
        Node::Fragment(_) => format!("fragments `<>…</>` cannot stand inside {where_}"),
        Node::Comment(_) | Node::Doctype(_) => format!("this cannot stand inside {where_}"),
        _ => format!("this cannot stand inside {where_}"),
    };
    errors.add(node.span(), message);
}

fn block_expr(block: &NodeBlock) -> Option<Expr> {
    match block {
        NodeBlock::ValidBlock(block) => match &block.stmts[..] {
            // `{expr}` is the expression itself, so rustc's messages point at it.
            [syn::Stmt::Expr(expr, None)] => Some(expr.clone()),
            _ => Some(Expr::Block(syn::ExprBlock {
                attrs: Vec::new(),
                label: None,
                block: block.clone(),
            })),
        },
        // rstml has reported why the block does not parse.
        NodeBlock::Invalid(_) => None,
    }
}

/// The attributes of one tag, read against its spec.
struct Attrs {
    tag: String,
    tag_span: Span,
    found: Vec<(&'static str, Attr)>,
    missing_names: Vec<&'static str>,
    /// Attributes given but wrong (an error is reported already): not missing, yet the tag is dropped.
    rejected: Vec<&'static str>,
    /// An unknown attribute was reported: likely a typo of a missing one, so that is not reported too.
    had_unknown: bool,
}

impl Attrs {
    fn read(element: &NodeElement<rstml::Infallible>, spec: Spec, errors: &mut Errors) -> Attrs {
        let tag = tag_name(element);
        let mut attrs = Attrs {
            tag_span: element.name().span(),
            tag,
            found: Vec::new(),
            missing_names: Vec::new(),
            rejected: Vec::new(),
            had_unknown: false,
        };
        for attribute in element.attributes() {
            match attribute {
                NodeAttribute::Attribute(attribute) => attrs.read_one(attribute, spec, errors),
                NodeAttribute::Block(block) => errors.add(
                    block.span(),
                    "attributes are written `name=\"value\"` or `name={expr}`",
                ),
            }
        }
        attrs
    }

    fn read_one(&mut self, attribute: &KeyedAttribute, spec: Spec, errors: &mut Errors) {
        let name = attribute.key.to_string();
        let name_span = attribute.key.span();
        let Some(&(known, kind, _)) = spec.iter().find(|(n, _, _)| *n == name) else {
            let names: Vec<&str> = spec.iter().map(|(n, _, _)| *n).collect();
            let message = match (did_you_mean(&name, &names), names.is_empty()) {
                (_, true) => format!("`<{}>` takes no attributes; found `{name}`", self.tag),
                (Some(guess), _) => format!(
                    "unknown attribute `{name}` on `<{}>`; did you mean `{guess}`?",
                    self.tag
                ),
                (None, _) => format!(
                    "unknown attribute `{name}` on `<{}>`; expected one of {}",
                    self.tag,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            errors.add(name_span, message);
            self.had_unknown = true;
            return;
        };
        if self.found.iter().any(|(n, _)| *n == known) || self.rejected.contains(&known) {
            errors.add(
                name_span,
                format!("`{name}` is given twice on `<{}>`", self.tag),
            );
            return;
        }
        let Some(expr) = attribute.value() else {
            errors.add(
                name_span,
                format!("`{name}` needs a value: `{name}=\"…\"` or `{name}={{expr}}`"),
            );
            self.rejected.push(known);
            return;
        };
        match value(known, kind, expr, errors) {
            Some(value) => self.found.push((known, Attr { name_span, value })),
            None => self.rejected.push(known),
        }
    }

    fn take(&mut self, name: &str) -> Option<Attr> {
        let index = self.found.iter().position(|(n, _)| *n == name)?;
        Some(self.found.remove(index).1)
    }

    /// The attribute, or a placeholder when it is missing (the tag is then dropped by `finish`).
    fn required(&mut self, name: &'static str) -> Attr {
        match self.take(name) {
            Some(attr) => attr,
            None => {
                if !self.rejected.contains(&name) {
                    self.missing_names.push(name);
                }
                Attr {
                    name_span: self.tag_span,
                    value: Value::Str(LitStr::new("", self.tag_span)),
                }
            }
        }
    }

    /// Reports missing required attributes; `None` when any is missing.
    fn finish(&mut self, errors: &mut Errors) -> Option<()> {
        if self.missing_names.is_empty() {
            return self.rejected.is_empty().then_some(());
        }
        if !self.had_unknown {
            let names = self
                .missing_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            let example = self
                .missing_names
                .iter()
                .map(|n| format!("{n}=\"…\""))
                .collect::<Vec<_>>()
                .join(" ");
            errors.add(
                self.tag_span,
                format!(
                    "`<{}>` needs {names}: `<{} {example} …>`",
                    self.tag, self.tag
                ),
            );
        }
        None
    }
}

/// Reads an attribute value of `kind`, checking a literal now.
fn value(name: &str, kind: Kind, expr: &Expr, errors: &mut Errors) -> Option<Value> {
    let Expr::Lit(lit) = expr else {
        return Some(Value::Expr(expr.clone()));
    };
    let expected = match kind {
        Kind::Int => "a whole number",
        Kind::Bool => "`true` or `false`",
        Kind::ExprOnly => "an expression in braces",
        _ => "a string literal",
    };
    let wrong = |errors: &mut Errors| {
        errors.add(
            lit.span(),
            format!("`{name}` takes {expected} or `{{expr}}`"),
        );
        None
    };
    match (&lit.lit, kind) {
        (Lit::Int(int), Kind::Int) => match int.base10_parse::<u64>() {
            Ok(_) => Some(Value::Int(int.clone())),
            Err(_) => wrong(errors),
        },
        (Lit::Bool(b), Kind::Bool) => Some(Value::Bool(b.clone())),
        (
            Lit::Str(s),
            Kind::Text
            | Kind::NonEmpty
            | Kind::Status
            | Kind::OpenType
            | Kind::Mxc
            | Kind::Url
            | Kind::Color,
        ) => check_literal(name, kind, s, errors).then(|| Value::Str(s.clone())),
        _ => wrong(errors),
    }
}

/// Checks a string literal against the rule of its attribute; reports and returns `false` if it fails.
fn check_literal(name: &str, kind: Kind, lit: &LitStr, errors: &mut Errors) -> bool {
    let text = lit.value();
    let problem = match kind {
        Kind::NonEmpty if text.is_empty() => Some(format!("`{name}` cannot be empty")),
        Kind::Status if !STATUSES.contains(&text.as_str()) => Some(format!(
            "unknown status `{text}`; write \"input\", \"loading\" or \"disable\"{}",
            suggestion(&text, STATUSES)
        )),
        Kind::OpenType if !OPENTYPES.contains(&text.as_str()) => Some(format!(
            "unknown opentype `{text}`; write \"inapp\" or \"inbrowser\"{}",
            suggestion(&text, OPENTYPES)
        )),
        Kind::Mxc => check_mxc(&text)
            .err()
            .map(|why| format!("`{name}` must be an `mxc://server/media-id` URI: `{text}` {why}")),
        Kind::Url => check_http_url(&text)
            .err()
            .map(|why| format!("`{name}` must be an absolute http(s) URL: `{text}`: {why}")),
        Kind::Color if !check_color(&text) => Some(format!(
            "`{text}` is not a colour; write `#rgb`, `#rrggbb` (with optional alpha) or a CSS colour name"
        )),
        _ => None,
    };
    match problem {
        Some(message) => {
            errors.add(lit.span(), message);
            false
        }
        None => true,
    }
}

fn suggestion(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map_or_else(String::new, |guess| format!(" (did you mean \"{guess}\"?)"))
}
