//! Walks the markup nodes of a template into its checked tree with the grammar of finchat-cui-rules,
//! in the order the `cui!` macro walks its nodes, so that both report the same mistakes with the same
//! words: tags where they may stand, attributes read and literals checked, then the rules that span
//! several nodes. `<for>` and `<if>` are the template's own.

use finchat_cui_rules::grammar::symbol::{H, W};
use finchat_cui_rules::grammar::{
    self, Children, Keys, Literal, OptionValue, Place, Sink, Spec, Tag, check_dropdown,
    check_literal, classify, message,
};

use super::control::{control, is_control};
use super::error::{Mistakes, Position};
use super::syntax::{Element, Node as Markup, RawValue};
use super::tree::{Attr, Body, Bound, Item, Node, Part, Value};

/// The message the markup makes, or `None` when it has a mistake (each one is in `errors`).
pub(super) fn message(nodes: Vec<Markup>, errors: &mut Mistakes) -> Option<Node> {
    let had_nodes = !nodes.is_empty();
    let mut message = None;
    let mut childless = false;
    for node in nodes {
        match node {
            Markup::Element(element) if message.is_none() => {
                childless = element.children.is_empty();
                message = top_level(element, errors);
            }
            Markup::Element(element) => errors.error(element.name_pos, message::two_messages()),
            other => errors.error(other.pos(), message::expected_message()),
        }
    }
    if !had_nodes && errors.is_empty() {
        errors.error(Position { line: 1, column: 1 }, message::needs_message());
    }
    if let Some(message) = &message {
        cross_node_rules(message, childless, errors);
    }
    message
}

fn top_level(element: Element, errors: &mut Mistakes) -> Option<Node> {
    match classify(&element.name, Place::TopLevel) {
        Ok(tag) => {
            let node = tag_node(element, tag, Place::TopLevel, errors)?;
            if tag == Tag::Image && node.attr(W).is_some() != node.attr(H).is_some() {
                let at = node.attr(W).or(node.attr(H)).map_or(node.pos, |a| a.pos);
                errors.error(at, message::w_and_h());
            }
            Some(node)
        }
        Err(why) => {
            errors.error(element.name_pos, why);
            None
        }
    }
}

/// A tag of the grammar standing at `place`: its attributes read against its spec, its children
/// walked by what it holds; `None` when an attribute is missing or wrong.
fn tag_node(element: Element, tag: Tag, place: Place, errors: &mut Mistakes) -> Option<Node> {
    let spec = tag.attrs(place);
    let mut attrs = read_attrs(&element, spec, errors);
    if tag.children() == Children::None
        && let Some(child) = element.children.first()
    {
        errors.error(child.pos(), message::no_children(&element.name));
    }
    let mut values = Vec::new();
    for &(name, _, required) in spec {
        let found = if required {
            attrs.required(name)
        } else {
            attrs.take(name)
        };
        if let Some((pos, (value, value_pos))) = found {
            values.push((
                name,
                Attr {
                    pos,
                    value,
                    value_pos,
                },
            ));
        }
    }
    // `<text>` and `<submit>` take no attributes: those are reported before their text.
    let attrs_first = matches!(tag, Tag::Text | Tag::Submit);
    if attrs_first && attrs.finish(errors).is_none() && place != Place::TopLevel {
        return None;
    }
    let holder = format!("`<{}>`", element.name);
    let (pos, name) = (element.name_pos, element.name.clone());
    let body = match tag.children() {
        Children::None => Body::None,
        Children::Elements => Body::Nodes(nodes(element.children, Place::Form, errors)),
        Children::Options => Body::Nodes(nodes(element.children, Place::Dropdown, errors)),
        Children::Text => Body::Text(text(element.children, tag, &holder, errors)),
        Children::Caption => {
            let parts = text(element.children, tag, &holder, errors);
            if parts.is_empty() {
                errors.error(pos, message::needs_caption(&name));
            }
            Body::Text(parts)
        }
    };
    if !attrs_first {
        attrs.finish(errors)?;
    }
    Some(Node {
        tag,
        pos,
        attrs: values,
        body,
    })
}

type Attrs = grammar::Attrs<Position, (Value, Position)>;

fn read_attrs(element: &Element, spec: Spec, errors: &mut Mistakes) -> Attrs {
    let mut attrs = Attrs::new(&element.name, element.name_pos, spec);
    for attr in &element.attrs {
        let Some((known, kind)) = attrs.admit(&attr.name, attr.pos, errors) else {
            continue;
        };
        let Some((raw, value_pos)) = &attr.value else {
            attrs.no_value(known, attr.pos, errors);
            continue;
        };
        let literal = match raw {
            RawValue::Str(s) => Literal::Str(s),
            RawValue::Int(n) => Literal::Int(*n),
            RawValue::Bool(b) => Literal::Bool(*b),
            RawValue::Other => Literal::Other,
            RawValue::Bind(path) => {
                let bound = Bound {
                    path: path.clone(),
                    pos: *value_pos,
                };
                attrs.accept(known, attr.pos, Some((Value::Bind(bound), *value_pos)));
                continue;
            }
        };
        let value = match check_literal(known, kind, literal).and_then(|()| fits(known, raw)) {
            Ok(()) => match raw {
                RawValue::Str(s) => Some(Value::Str(s.clone())),
                RawValue::Int(Some(n)) => Some(Value::Int(*n)),
                RawValue::Bool(b) => Some(Value::Bool(*b)),
                _ => None,
            },
            Err(why) => {
                errors.error(*value_pos, why);
                None
            }
        };
        attrs.accept(known, attr.pos, value.map(|v| (v, *value_pos)));
    }
    attrs
}

/// A whole number fits the attribute's type: `size` a `u64` (checked when read), the others
/// (`height`, `w`, `h`) a `u32`, as the `cui!` macro's expansion requires.
fn fits(name: &str, raw: &RawValue) -> Result<(), String> {
    match raw {
        RawValue::Int(Some(n)) if name != grammar::symbol::SIZE && u32::try_from(*n).is_err() => {
            Err(format!("`{name}` takes a whole number up to {}", u32::MAX))
        }
        _ => Ok(()),
    }
}

/// The children of `<form>` (elements) or `<dropdown>` (options).
fn nodes(children: Vec<Markup>, place: Place, errors: &mut Mistakes) -> Vec<Item<Node>> {
    let (holder, text_here) = match place {
        Place::Dropdown => ("`<dropdown>`", message::text_in_dropdown()),
        _ => ("`<form>`", message::text_in_form()),
    };
    let mut items = Vec::new();
    for child in children {
        match child {
            Markup::Element(element) if is_control(&element) => {
                let walk = |children, errors: &mut Mistakes| nodes(children, place, errors);
                items.extend(control(element, errors, walk));
            }
            Markup::Element(element) => match classify(&element.name, place) {
                Ok(tag) => items.extend(tag_node(element, tag, place, errors).map(Item::One)),
                Err(why) => errors.error(element.name_pos, why),
            },
            Markup::Text(_, pos) => errors.error(pos, text_here.clone()),
            Markup::Bind(_, pos) => errors.error(pos, splice_in(holder)),
            Markup::Unquoted(pos) => errors.error(pos, message::unquoted_text(holder)),
        }
    }
    items
}

fn text(
    children: Vec<Markup>,
    holder: Tag,
    quoted: &str,
    errors: &mut Mistakes,
) -> Vec<Item<Part>> {
    let mut parts = Vec::new();
    for child in children {
        match child {
            Markup::Element(element) if is_control(&element) => {
                let walk = |children, errors: &mut Mistakes| text(children, holder, quoted, errors);
                parts.extend(control(element, errors, walk));
            }
            Markup::Element(element) => {
                if let Err(why) = classify(&element.name, Place::Text(holder)) {
                    errors.error(element.name_pos, why);
                }
            }
            Markup::Text(value, _) => parts.push(Item::One(Part::Lit(value))),
            Markup::Bind(path, pos) => parts.push(Item::One(Part::Bind(Bound { path, pos }))),
            Markup::Unquoted(pos) => errors.error(pos, message::unquoted_text(quoted)),
        }
    }
    parts
}

fn splice_in(holder: &str) -> String {
    format!(
        "`{{path}}` cannot stand directly inside {holder}; in a template, write the tags (with `<for>` or `<if>` around them)"
    )
}

/// The rules that span several nodes, on literals: as `cui!` checks them after reading its nodes.
fn cross_node_rules(message: &Node, childless: bool, errors: &mut Mistakes) {
    match (&message.tag, &message.body) {
        (Tag::Form, Body::Nodes(items)) => {
            if childless {
                errors.error(message.pos, message::card_without_elements());
            }
            let mut keys = Keys::default();
            for item in items {
                let Item::One(element) = item else { continue };
                let is_reply = match element.tag {
                    Tag::Input => false,
                    Tag::Dropdown => {
                        dropdown_rules(element, errors);
                        false
                    }
                    Tag::Reply => true,
                    _ => continue,
                };
                if let Some(Attr {
                    value: Value::Str(key),
                    value_pos,
                    ..
                }) = element.attr(grammar::symbol::KEY)
                {
                    keys.see(key, *value_pos, is_reply, errors);
                }
            }
        }
        (Tag::Text, Body::Text(parts)) => {
            // Children that were all rejected are reported already.
            let empty = (childless || !parts.is_empty())
                && parts
                    .iter()
                    .all(|part| matches!(part, Item::One(Part::Lit(text)) if text.is_empty()));
            if empty {
                errors.error(message.pos, message::empty_text_message());
            }
        }
        _ => {}
    }
}

fn dropdown_rules(dropdown: &Node, errors: &mut Mistakes) {
    let Body::Nodes(items) = &dropdown.body else {
        return;
    };
    let options: Vec<OptionValue<'_, Position>> = items
        .iter()
        .map(|item| match item {
            Item::One(option) => match option.attr(grammar::symbol::VALUE) {
                Some(Attr {
                    value: Value::Str(v),
                    value_pos,
                    ..
                }) => Some((v.as_str(), *value_pos)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let chosen = match dropdown.attr(grammar::symbol::VALUE) {
        Some(Attr {
            value: Value::Str(v),
            value_pos,
            ..
        }) => Some((v.as_str(), *value_pos)),
        _ => None,
    };
    check_dropdown(dropdown.pos, &options, chosen, errors);
}

#[cfg(test)]
mod tests {
    use crate::template::Template;

    /// Every mistake of `source`, one a line.
    fn report(source: &str) -> String {
        Template::parse(source).unwrap_err().to_string()
    }

    #[test]
    fn a_value_of_no_kind_is_reported_once_with_what_the_attribute_takes() {
        assert_eq!(
            report("<form><divider height=-1/><input key=foo/></form>"),
            "template:1:23: `height` takes a whole number or `{expr}`\n\
             template:1:38: `key` takes a string literal or `{expr}`"
        );
        assert_eq!(
            report(r#"<form><for each=x as="a"><text>"t"</text></for></form>"#),
            "template:1:17: `each` takes a path into the data: `each={items}`"
        );
    }

    #[test]
    fn a_number_too_big_for_its_attribute_is_a_mistake_of_the_template() {
        // `cui!` rejects these literals at compile time; a template rejected them only when
        // rendered, every time, at the tag rather than the number.
        assert_eq!(
            report("<form><divider height=4294967296/></form>"),
            "template:1:23: `height` takes a whole number up to 4294967295"
        );
        assert_eq!(
            report(r#"<image name="a" src="mxc://a/b" w=1 h=99999999999/>"#),
            "template:1:39: `h` takes a whole number up to 4294967295"
        );
        assert!(
            Template::parse(
                r#"<image name="a" src="mxc://a/b" size=99999999999 w=4294967295 h=1/>"#
            )
            .is_ok()
        );
    }
}
