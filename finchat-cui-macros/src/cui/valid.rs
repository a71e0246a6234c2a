//! The rules of `cui!` that span several nodes, checked on literals with the grammar's
//! [`Keys`] and [`check_dropdown`]: keys, dropdown options and values, a card's elements, the body of
//! a text message. What involves a run-time value is left to the validator the expansion calls.

use proc_macro2::Span;

use super::ast::{Dropdown, Element, Form, Item, Message, OptionItem};
use crate::errors::Errors;
use finchat_cui_rules::grammar::{Keys, OptionValue, check_dropdown, message};

pub fn check(message: &Message, errors: &mut Errors) {
    match message {
        Message::Form(form) => check_form(form, errors),
        Message::Text(text) => {
            if text.literal().is_some_and(|body| body.is_empty()) {
                errors.add(text.span, message::empty_text_message());
            }
        }
        Message::TextCard(_) | Message::Image(_) | Message::File(_) => {}
    }
}

fn check_form(form: &Form, errors: &mut Errors) {
    if form.items.is_empty() && !form.had_children {
        errors.add(form.span, message::card_without_elements());
    }
    let mut keys = Keys::default();
    for item in &form.items {
        let Item::Element(element) = item else {
            continue;
        };
        let (key, is_reply) = match element {
            Element::Input { key, .. } => (key, false),
            Element::Dropdown(dropdown) => {
                dropdown_rules(dropdown, errors);
                (&dropdown.key, false)
            }
            Element::Reply { key, .. } => (key, true),
            _ => continue,
        };
        if let Some(text) = key.literal() {
            keys.see(&text, key.value_span(), is_reply, errors);
        }
    }
}

fn dropdown_rules(dropdown: &Dropdown, errors: &mut Errors) {
    let values: Vec<Option<(String, Span)>> = dropdown
        .options
        .iter()
        .map(|option| match option {
            OptionItem::Option { value, .. } => value.literal().map(|v| (v, value.value_span())),
            OptionItem::Splice(_) => None,
        })
        .collect();
    let options: Vec<OptionValue<'_, Span>> = values
        .iter()
        .map(|v| v.as_ref().map(|(text, span)| (text.as_str(), *span)))
        .collect();
    let chosen = dropdown
        .value
        .as_ref()
        .and_then(|attr| attr.literal().map(|v| (v, attr.value_span())));
    let chosen = chosen.as_ref().map(|(text, span)| (text.as_str(), *span));
    check_dropdown(dropdown.span, &options, chosen, errors);
}
