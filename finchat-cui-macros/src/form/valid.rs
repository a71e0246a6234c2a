//! The rules of `#[derive(CuiForm)]` that span several attributes or fields: what a skipped field
//! cannot have, and one field per key.

use super::ast::{Field, Form};
use super::symbol::SKIP;
use crate::errors::Errors;

pub fn check(form: &Form, errors: &mut Errors) {
    let mut keys: Vec<(String, &Field)> = Vec::new();
    for field in &form.fields {
        if field.attrs.skip.is_some() {
            skipped_field(field, errors);
            continue;
        }
        let key = field.key();
        if key.is_empty() {
            errors.add(
                field.key_span(),
                "empty key: a field needs the name its value is submitted under",
            );
        } else if let Some((_, first)) = keys.iter().find(|(used, _)| *used == key) {
            errors.add(
                field.key_span(),
                format!(
                    "duplicate key `{key}`: field `{}` is already submitted under it; \
                     give one of them `#[cui(key = \"…\")]`",
                    first.name()
                ),
            );
        } else {
            keys.push((key, field));
        }
    }
}

/// A skipped field is not in the card, so what only shapes its input is a mistake.
fn skipped_field(field: &Field, errors: &mut Errors) {
    let attrs = &field.attrs;
    let drawn = [&attrs.label, &attrs.placeholder, &attrs.key];
    for attr in drawn.into_iter().flatten() {
        let name = &attr.name;
        errors.add(
            name.span(),
            format!(
                "`{name}` has no effect on a field with `{SKIP}`, which is not in the card; \
                 remove one of them"
            ),
        );
    }
}
