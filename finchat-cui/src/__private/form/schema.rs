//! The JSON Schema of a form's submitted values, as `#[derive(CuiForm)]`'s `schema()` builds it (the
//! `schema` feature).

use std::fmt::Display;

use serde_json::{Map, Value, json};

use crate::{CuiChoice, FromSubmitted};

/// The type of [`crate::CuiForm::schema`], for the generated signature.
pub use schemars::Schema;

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
    /// A form titled `title` (the struct's `title`, else its name), described by its doc comment; its
    /// `$id` is named by the title (see [`crate::schema`]).
    pub fn new(title: &str, description: Option<&str>) -> Self {
        let mut root = Map::new();
        root.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert("$id".into(), json!(crate::schema::id::of_form(title)));
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
