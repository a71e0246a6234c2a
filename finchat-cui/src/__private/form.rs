//! What the `#[derive(CuiForm)]` expansion calls: reading fields while keeping every error, the input
//! elements of a field, and the schema of the submitted values. Not part of the public API.

use std::fmt::Display;

use serde_json::{Map, Value, json};

use crate::element::{Dropdown, TextInput};
use crate::form::FormErrors;
use crate::{CuiChoice, Element, FromSubmitted, Submission, SubmissionError, SubmissionErrorKind};
/// The type of [`crate::CuiForm::schema`], for the generated signature.
pub use schemars::Schema;

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

/// A type a text field can hold, with the pattern of its submitted text.
pub trait TextValue: FromSubmitted + Display {
    /// What the trimmed text must match (unanchored), or `None` for any text.
    const PATTERN: Option<&'static str>;
}

const UNSIGNED: &str = r"\+?[0-9]+";
const SIGNED: &str = r"[+-]?[0-9]+";
const FLOAT: &str = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?";

macro_rules! text_values {
    ($($pattern:expr => $($ty:ty),*;)*) => {$($(
        impl TextValue for $ty {
            const PATTERN: Option<&'static str> = $pattern;
        }
    )*)*};
}

text_values! {
    None => String;
    Some(UNSIGNED) => u8, u16, u32, u64, u128, usize;
    Some(SIGNED) => i8, i16, i32, i64, i128, isize;
    Some(FLOAT) => f32, f64;
}

/// Whether a field must be submitted.
pub enum Presence {
    /// It must be there (an empty string may still be a valid `String`).
    Required,
    /// An `Option`: absent or `""` is `None`.
    Optional,
    /// Absent or `""` is its default, whose wire value this is (`None` when the default is `None`).
    Defaulted(Option<String>),
}

/// The schema of a form's submitted `info` object, built field by field.
pub struct FormSchema {
    root: Map<String, Value>,
    properties: Map<String, Value>,
    required: Vec<Value>,
}

impl FormSchema {
    /// A form titled `title` (the struct's `title`, else its name), described by its doc comment.
    pub fn new(title: &str, description: Option<&str>) -> Self {
        let mut root = Map::new();
        root.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert("title".into(), json!(title));
        if let Some(description) = description {
            root.insert("description".into(), json!(description));
        }
        root.insert("type".into(), json!("object"));
        Self {
            root,
            properties: Map::new(),
            required: Vec::new(),
        }
    }

    /// A text field of type `T`.
    pub fn text<T: TextValue>(
        self,
        key: &str,
        label: Option<&str>,
        description: Option<&str>,
        presence: Presence,
    ) -> Self {
        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        if let Some(pattern) = T::PATTERN {
            let blank = !matches!(presence, Presence::Required);
            let pattern = if blank {
                format!(r"^(\s*({pattern})\s*)?$")
            } else {
                format!(r"^\s*({pattern})\s*$")
            };
            property.insert("pattern".into(), json!(pattern));
        }
        self.field(key, label, description, presence, property)
    }

    /// A dropdown field of type `T`.
    pub fn choice<T: CuiChoice>(
        self,
        key: &str,
        label: Option<&str>,
        description: Option<&str>,
        presence: Presence,
    ) -> Self {
        let mut values: Vec<Value> = T::options().into_iter().map(|o| json!(o.value)).collect();
        if !matches!(presence, Presence::Required) {
            values.push(json!(""));
        }
        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        property.insert("enum".into(), Value::Array(values));
        self.field(key, label, description, presence, property)
    }

    fn field(
        mut self,
        key: &str,
        label: Option<&str>,
        description: Option<&str>,
        presence: Presence,
        mut property: Map<String, Value>,
    ) -> Self {
        if let Some(label) = label {
            property.insert("title".into(), json!(label));
        }
        if let Some(description) = description {
            property.insert("description".into(), json!(description));
        }
        match presence {
            Presence::Required => self.required.push(json!(key)),
            Presence::Optional | Presence::Defaulted(None) => {}
            Presence::Defaulted(Some(default)) => {
                property.insert("default".into(), json!(default));
            }
        }
        self.properties
            .insert(key.to_owned(), Value::Object(property));
        self
    }

    /// The finished schema.
    pub fn finish(mut self) -> Schema {
        self.root
            .insert("properties".into(), Value::Object(self.properties));
        self.root
            .insert("required".into(), Value::Array(self.required));
        Schema::from(self.root)
    }
}
