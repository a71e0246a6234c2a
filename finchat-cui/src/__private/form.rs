//! What the `#[derive(CuiForm)]` expansion calls: reading fields while keeping every error, the input
//! elements of a field, and the schema of the submitted values. Not part of the public API.

use std::fmt::Display;

use serde_json::Value;

use crate::element::{Dropdown, TextInput};
use crate::form::FormErrors;
use crate::{CuiChoice, Element, FromSubmitted, Submission, SubmissionError, SubmissionErrorKind};
#[cfg(feature = "schema")]
mod schema;
#[cfg(feature = "schema")]
pub use schema::{FormSchema, Presence, Schema, TextValue};

/// Reads the fields of a form, keeping the error of each bad one. The submitted values are picked
/// out in one pass over the submission (`slot` maps a key to its field's index, as a generated
/// `match`), so reading a form costs about what `serde` costs for the same struct.
pub struct Reader<'a, const N: usize> {
    values: [Option<&'a Value>; N],
    errors: Vec<SubmissionError>,
}

impl<'a, const N: usize> Reader<'a, N> {
    /// Starts reading `submission`; `slot(key)` is the index of the field submitted under `key`.
    pub fn new(submission: &'a Submission, slot: impl Fn(&str) -> Option<usize>) -> Self {
        let mut values = [None; N];
        for (key, value) in &submission.info {
            if let Some(index) = slot(key).filter(|index| *index < N) {
                values[index] = Some(value);
            }
        }
        Self {
            values,
            errors: Vec::new(),
        }
    }

    /// A text field (`String`, a number, or an `Option` of one); `None` if it is bad.
    pub fn text<T: FromSubmitted>(&mut self, index: usize, key: &str) -> Option<T> {
        let read = T::from_submitted(self.values[index]);
        self.keep(key, read)
    }

    /// A text field whose absent or empty value means `default()`.
    pub fn text_or<T: FromSubmitted>(
        &mut self,
        index: usize,
        key: &str,
        default: impl FnOnce() -> T,
    ) -> Option<T> {
        match self.entered(index) {
            None => Some(default()),
            value => {
                let read = T::from_submitted(value);
                self.keep(key, read)
            }
        }
    }

    /// A dropdown field.
    pub fn choice<T: CuiChoice>(&mut self, index: usize, key: &str) -> Option<T> {
        let read = match self.values[index] {
            None => Err(SubmissionErrorKind::Missing),
            Some(value) => choice(value),
        };
        self.keep(key, read)
    }

    /// A dropdown field whose absent or empty value means `default()`.
    pub fn choice_or<T: CuiChoice>(
        &mut self,
        index: usize,
        key: &str,
        default: impl FnOnce() -> T,
    ) -> Option<T> {
        match self.entered(index) {
            None => Some(default()),
            Some(value) => {
                let read = choice(value);
                self.keep(key, read)
            }
        }
    }

    /// An optional dropdown field: nothing chosen is `None`.
    pub fn optional_choice<T: CuiChoice>(&mut self, index: usize, key: &str) -> Option<Option<T>> {
        self.optional_choice_or(index, key, || None)
    }

    /// An optional dropdown field whose absent or empty value means `default()`.
    pub fn optional_choice_or<T: CuiChoice>(
        &mut self,
        index: usize,
        key: &str,
        default: impl FnOnce() -> Option<T>,
    ) -> Option<Option<T>> {
        match self.entered(index) {
            None => Some(default()),
            Some(value) => {
                let read = choice(value).map(Some);
                self.keep(key, read)
            }
        }
    }

    /// The form built from the fields read, if every one of them was good; else all their errors.
    /// `value` is `None` exactly when a field was bad.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, FormErrors> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors.into_iter().collect()),
        }
    }

    /// The value of field `index`, unless nothing was entered or chosen (absent, `null` or `""`).
    fn entered(&self, index: usize) -> Option<&'a Value> {
        self.values[index]
            .filter(|value| !matches!(value, Value::Null) && value.as_str() != Some(""))
    }

    fn keep<T>(&mut self, key: &str, read: Result<T, SubmissionErrorKind>) -> Option<T> {
        read.map_err(|kind| {
            self.errors.push(SubmissionError {
                key: key.to_owned(),
                kind,
            })
        })
        .ok()
    }
}

fn choice<T: CuiChoice>(value: &Value) -> Result<T, SubmissionErrorKind> {
    let chosen = match value {
        Value::String(s) => T::from_value(s),
        // Forgiving: a client that sends `true` or `1` instead of `"true"` or `"1"` still means it.
        Value::Bool(_) | Value::Number(_) => T::from_value(&value.to_string()),
        _ => None,
    };
    chosen.ok_or_else(|| SubmissionErrorKind::NotAnOption {
        found: value.to_string(),
        options: T::options().into_iter().map(|o| o.value).collect(),
    })
}

/// The wire value of a text field.
pub fn text_value<T: Display>(value: &T) -> Option<String> {
    Some(value.to_string())
}

/// The wire value of an optional text field: none when `None`.
pub fn optional_text_value<T: Display>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

/// The wire value of a dropdown field.
pub fn choice_value<T: CuiChoice>(value: &T) -> Option<String> {
    Some(value.value().to_owned())
}

/// The wire value of an optional dropdown field: none when `None`.
pub fn optional_choice_value<T: CuiChoice>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(|v| v.value().to_owned())
}

/// A field's text input, pre-filled with `value` if there is one.
pub fn text_input(key: &str, placeholder: &str, value: Option<String>) -> Element {
    let input = TextInput::new(key).placeholder(placeholder);
    match value {
        Some(value) => input.value(value),
        None => input,
    }
    .into()
}

/// A field's dropdown of `T`'s options, with `value` chosen (nothing when `None`).
pub fn dropdown<T: CuiChoice>(key: &str, placeholder: &str, value: Option<String>) -> Element {
    Dropdown::new(key)
        .placeholder(placeholder)
        .options(T::options())
        .value(value.unwrap_or_default())
        .into()
}
