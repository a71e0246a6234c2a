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
use crate::errors::Errors;
use finchat_cui_rules::grammar::symbol::*;
use finchat_cui_rules::grammar::{Place, Spec, Tag, classify, message};

/// Parses the macro input into one message.
pub fn message(input: TokenStream, errors: &mut Errors) -> Option<Message> {
    // Any close tag ends the element open (rstml's "wildcard"), so that a mismatch is reported
    // here, naming both tags, by `close_tags`.
    let config = ParserConfig::new()
        .recover_block(true)
        .element_close_wildcard(|_, _| true);
    let (nodes, diagnostics) = Parser::new(config).parse_recoverable(input).split_vec();
    close_tags(&nodes, errors);
    for diagnostic in diagnostics {
        let error = syn::Error::from(diagnostic);
        // An open tag without its close tag is reported by `close_tags`, naming the tag.
        if error.to_string() != "open tag has no corresponding close tag" {
            errors.push(error);
        }
    }
    let mut message = None;
    for node in &nodes {
        match node {
            Node::Element(element) if message.is_none() => message = top_level(element, errors),
            Node::Element(element) => errors.add(element.name().span(), message::two_messages()),
            other => errors.add(other.span(), message::expected_message()),
        }
    }
    if nodes.is_empty() && errors.is_empty() {
        errors.add(Span::call_site(), message::needs_message());
    }
    message
}

/// Reports every close tag that names another tag than the one it closes, and every tag never
/// closed, innermost first (in the order a reader of the text meets them).
fn close_tags(nodes: &[Node<rstml::Infallible>], errors: &mut Errors) {
    for node in nodes {
        let Node::Element(element) = node else {
            continue;
        };
        close_tags(element.children(), errors);
        let open = tag_name(element);
        match &element.close_tag {
            Some(close) if close.name.to_string() != open => {
                let closed = close.name.to_string();
                errors.add(close.name.span(), message::mismatched_close(&open, &closed));
                errors.add(element.name().span(), message::opened_here(&open));
            }
            None if !element.open_tag.is_self_closed() => {
                errors.add(element.name().span(), message::unclosed_tag(&open));
            }
            _ => {}
        }
    }
}

pub fn tag_name(element: &NodeElement<rstml::Infallible>) -> String {
    element.name().to_string()
}

/// The tag of `element`, when it may stand at `place`; else reported.
fn classified(
    element: &NodeElement<rstml::Infallible>,
    place: Place,
    errors: &mut Errors,
) -> Option<Tag> {
    classify(&tag_name(element), place)
        .map_err(|why| errors.add(element.name().span(), why))
        .ok()
}

fn top_level(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Message> {
    let span = element.name().span();
    let tag = classified(element, Place::TopLevel, errors)?;
    let spec = tag.attrs(Place::TopLevel);
    match tag {
        Tag::Form => form(element, errors).map(Message::Form),
        Tag::Text => {
            let mut attrs = Attrs::read(element, spec, errors);
            attrs.finish(errors);
            Some(Message::Text(text(element, errors)))
        }
        Tag::TextCard => childless(element, spec, errors, |attrs| TextCard {
            title: attrs.required(TITLE),
            description: attrs.required(DESCRIPTION),
            url: attrs.required(URL),
            btntext: attrs.required(BTNTEXT),
            opentype: attrs.take(OPENTYPE),
        })
        .map(Message::TextCard),
        Tag::Image => {
            let image = childless(element, spec, errors, |attrs| ImageMessage {
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
                errors.add(attr, message::w_and_h());
            }
            Some(Message::Image(image))
        }
        _ => childless(element, spec, errors, |attrs| FileMessage {
            name: attrs.required(NAME),
            src: attrs.required(SRC),
            mimetype: attrs.take(MIMETYPE),
            size: attrs.take(SIZE),
        })
        .map(Message::File),
    }
}

fn form(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Form> {
    let mut attrs = Attrs::read(element, Tag::Form.attrs(Place::Form), errors);
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
            Node::Text(text) => errors.add(text.value.span(), message::text_in_form()),
            other => not_allowed(other, "`<form>`", errors),
        }
    }
    items
}

fn form_element(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Option<Element> {
    let span = element.name().span();
    let tag = classified(element, Place::Form, errors)?;
    let spec = tag.attrs(Place::Form);
    let element = match tag {
        Tag::Text => {
            Attrs::read(element, spec, errors).finish(errors)?;
            Element::Text(text(element, errors))
        }
        Tag::Divider => childless(element, spec, errors, |attrs| Element::Divider {
            height: attrs.take(HEIGHT),
            background: attrs.take(BACKGROUND),
        })?,
        Tag::Image => childless(element, spec, errors, |attrs| Element::Image {
            src: attrs.required(SRC),
        })?,
        Tag::Input => childless(element, spec, errors, |attrs| Element::Input {
            key: attrs.required(KEY),
            placeholder: attrs.take(PLACEHOLDER),
            value: attrs.take(VALUE),
        })?,
        Tag::Dropdown => {
            let mut attrs = Attrs::read(element, spec, errors);
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
        Tag::Reply => {
            let mut attrs = Attrs::read(element, spec, errors);
            let reply = Element::Reply {
                key: attrs.required(KEY),
                status: attrs.take(STATUS),
                caption: caption(element, errors),
            };
            attrs.finish(errors)?;
            reply
        }
        Tag::Submit => {
            Attrs::read(element, spec, errors).finish(errors)?;
            Element::Submit {
                caption: caption(element, errors),
            }
        }
        _ => {
            let mut attrs = Attrs::read(element, spec, errors);
            let link = Element::OpenUrl {
                href: attrs.required(HREF),
                caption: caption(element, errors),
            };
            attrs.finish(errors)?;
            link
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
            Node::Element(child) => {
                let Some(tag) = classified(child, Place::Dropdown, errors) else {
                    continue;
                };
                let mut attrs = Attrs::read(child, tag.attrs(Place::Dropdown), errors);
                let value = attrs.required(VALUE);
                let label = text(child, errors);
                if attrs.finish(errors).is_some() {
                    options.push(OptionItem::Option { value, label });
                }
            }
            Node::Block(block) => options.extend(block_expr(block).map(OptionItem::Splice)),
            Node::Text(text) => errors.add(text.value.span(), message::text_in_dropdown()),
            other => not_allowed(other, "`<dropdown>`", errors),
        }
    }
    options
}

/// The caption of a button: its text children, which must not be missing.
fn caption(element: &NodeElement<rstml::Infallible>, errors: &mut Errors) -> Text {
    let text = text(element, errors);
    if text.parts.is_empty() {
        errors.add(
            element.name().span(),
            message::needs_caption(&tag_name(element)),
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
                message::element_in_text(&tag_name(child), &tag_name(element)),
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
        errors.add(child.span(), message::no_children(&tag_name(element)));
    }
}

fn not_allowed(node: &Node<rstml::Infallible>, where_: &str, errors: &mut Errors) {
    let why = match node {
        Node::RawText(_) => message::unquoted_text(where_),
        Node::Fragment(_) => message::fragment(where_),
        _ => message::not_allowed(where_),
    };
    errors.add(node.span(), why);
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
