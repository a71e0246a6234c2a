//! Walks rstml's nodes into the typed tree of one message: every tag known, every attribute read
//! (`attr`), every child where it may stand. Errors are collected and the walk goes on, so one call
//! reports all of them; a node with a fatal error is left out of the tree.

use proc_macro2::{Span, TokenStream};
use rstml::node::{Node, NodeBlock, NodeElement};
use rstml::{Parser, ParserConfig};
use syn::Expr;
use syn::spanned::Spanned;

use super::ast::{
    Dropdown, Element, FileMessage, Form, ImageMessage, Item, Message, OptionItem, Part, Text,
    TextCard,
};
use super::attr::Attrs;
use super::grammar::*;
use super::symbol::*;
use crate::errors::Errors;
use crate::suggest::did_you_mean;

/// Parses the macro input into one message.
pub fn message(input: TokenStream, errors: &mut Errors) -> Option<Message> {
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
    if nodes.is_empty() && errors.is_empty() {
        errors.add(
            Span::call_site(),
            "`cui!` needs a message: `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`",
        );
    }
    message
}

pub fn tag_name(element: &NodeElement<rstml::Infallible>) -> String {
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
        TEXTCARD => childless(element, TEXTCARD_ATTRS, errors, |attrs| TextCard {
            title: attrs.required(TITLE),
            description: attrs.required(DESCRIPTION),
            url: attrs.required(URL),
            btntext: attrs.required(BTNTEXT),
            opentype: attrs.take(OPENTYPE),
        })
        .map(Message::TextCard),
        IMAGE => {
            let image = childless(element, IMAGE_MESSAGE_ATTRS, errors, |attrs| ImageMessage {
                name: attrs.required(NAME),
                src: attrs.required(SRC),
                mimetype: attrs.take(MIMETYPE),
                size: attrs.take(SIZE),
                w: attrs.take(W),
                h: attrs.take(H),
            })?;
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
        FILE => childless(element, FILE_ATTRS, errors, |attrs| FileMessage {
            name: attrs.required(NAME),
            src: attrs.required(SRC),
            mimetype: attrs.take(MIMETYPE),
            size: attrs.take(SIZE),
        })
        .map(Message::File),
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
        DIVIDER => childless(element, DIVIDER_ATTRS, errors, |attrs| Element::Divider {
            height: attrs.take(HEIGHT),
            background: attrs.take(BACKGROUND),
        })?,
        IMAGE => childless(element, IMAGE_ATTRS, errors, |attrs| Element::Image {
            src: attrs.required(SRC),
        })?,
        INPUT => childless(element, INPUT_ATTRS, errors, |attrs| Element::Input {
            key: attrs.required(KEY),
            placeholder: attrs.take(PLACEHOLDER),
            value: attrs.take(VALUE),
        })?,
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

/// A tag that takes no children: its attributes read against `spec` and made into a node by `build`;
/// `None` when one is missing or wrong.
fn childless<T>(
    element: &NodeElement<rstml::Infallible>,
    spec: Spec,
    errors: &mut Errors,
    build: impl FnOnce(&mut Attrs) -> T,
) -> Option<T> {
    let mut attrs = Attrs::read(element, spec, errors);
    no_children(element, errors);
    let node = build(&mut attrs);
    attrs.finish(errors)?;
    Some(node)
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
