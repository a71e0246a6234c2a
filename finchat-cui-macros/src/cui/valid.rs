//! The rules of `cui!` that span several nodes, checked on literals: keys, dropdown options and values,
//! a card's elements, the body of a text message. What involves a run-time value is left to the
//! validator the expansion calls.

use std::collections::HashMap;

use proc_macro2::Span;

use super::ast::{Dropdown, Element, Form, Item, Message, OptionItem, Value};
use crate::errors::Errors;

pub fn check(message: &Message, errors: &mut Errors) {
    match message {
        Message::Form(form) => check_form(form, errors),
        Message::Text(text) => {
            if text.literal().is_some_and(|body| body.is_empty()) {
                errors.add(
                    text.span,
                    "a text message needs text: `<text>\"hello\"</text>`",
                );
            }
        }
        Message::TextCard(_) | Message::Image(_) | Message::File(_) => {}
    }
}

fn check_form(form: &Form, errors: &mut Errors) {
    if form.items.is_empty() && !form.had_children {
        errors.add(
            form.span,
            "a card needs at least one element, e.g. `<text>\"…\"</text>`",
        );
    }
    // key -> (span of its first use, whether that use was a reply button)
    let mut keys: HashMap<String, (Span, bool)> = HashMap::new();
    for item in &form.items {
        let Item::Element(element) = item else {
            continue;
        };
        let (key, is_reply) = match element {
            Element::Input { key, .. } => (key, false),
            Element::Dropdown(dropdown) => {
                check_dropdown(dropdown, errors);
                (&dropdown.key, false)
            }
            Element::Reply { key, .. } => (key, true),
            _ => continue,
        };
        let Some(text) = key.literal() else { continue };
        match keys.get(&text) {
            None => {
                keys.insert(text, (key.value_span(), is_reply));
            }
            Some((_, true)) if is_reply => {}
            Some((first, _)) => {
                errors.add(
                    key.value_span(),
                    format!("duplicate key `{text}`: every input needs its own key (reply buttons may share one)"),
                );
                errors.add(*first, format!("note: `{text}` is first used here"));
            }
        }
    }
}

fn check_dropdown(dropdown: &Dropdown, errors: &mut Errors) {
    let spliced = dropdown
        .options
        .iter()
        .any(|o| matches!(o, OptionItem::Splice(_)));
    let mut values: Vec<(String, Span)> = Vec::new();
    let mut all_literal = !spliced;
    for option in &dropdown.options {
        let OptionItem::Option { value, .. } = option else {
            continue;
        };
        match &value.value {
            Value::Str(lit) => {
                let text = lit.value();
                if values.iter().any(|(v, _)| *v == text) {
                    errors.add(
                        lit.span(),
                        format!("duplicate option value `{text}` in this dropdown"),
                    );
                } else {
                    values.push((text, lit.span()));
                }
            }
            _ => all_literal = false,
        }
    }
    if dropdown.options.is_empty() {
        errors.add(
            dropdown.span,
            "a dropdown needs at least one `<option value=\"…\">label</option>` (or `{options}`)",
        );
    }
    let Some(chosen) = dropdown.value.as_ref() else {
        return;
    };
    let Some(text) = chosen.literal() else { return };
    if all_literal && !text.is_empty() && !values.iter().any(|(v, _)| *v == text) {
        let list = values
            .iter()
            .map(|(v, _)| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        errors.add(
            chosen.value_span(),
            format!("`{text}` is not the value of one of this dropdown's options ({list}); use \"\" for none"),
        );
    }
}
