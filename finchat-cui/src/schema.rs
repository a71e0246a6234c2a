//! JSON Schemas (draft 2020-12) of what may be sent: message content, the `m.cui` message and its card,
//! and of a submission, with this crate's doc comments as descriptions.
//!
//! The schemas describe valid content to send: they list only the documented values of `status`,
//! `opentype` and the like, and only the documented element types. What only a program can check (a
//! key used twice, a dropdown value that is not an option) is left to [`crate::MessageContent::validate`].
//!
//! Every schema has a `title` and a versioned `$id`:
//! `https://finchat-cui.dev/schema/<version>/<name>.json`, where `<version>` is this crate's version
//! (the schemas change with the crate, not with the CUI protocol's `version`) and `<name>` is
//! `content`, `cui`, `card`, `submission`, or `form/<title>` for [`crate::CuiForm::schema`] (the
//! form's title, percent-encoded). An `$id` names a schema; it is not where to download it:
//! `finchat schema card > card.schema.json` writes the file an editor is pointed at.
//!
//! [`typescript`] writes the same model as TypeScript declarations, and [`export_ts`] a form's
//! submitted values.
//!
//! ```
//! let schema = serde_json::to_value(finchat_cui::schema::card())?;
//! assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
//! let id = format!("https://finchat-cui.dev/schema/{}/card.json", env!("CARGO_PKG_VERSION"));
//! assert_eq!(schema["$id"], id.as_str());
//! # Ok::<(), serde_json::Error>(())
//! ```

mod declarations;
pub(crate) mod id;
mod typescript;

pub use typescript::{export_ts, form_typescript, typescript};

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::element::{Divider, Dropdown, Image, OpenUrl, Reply, Submit, Text, TextInput};
use crate::{
    Card, CuiContent, Element, FileContent, ImageContent, MessageContent, Submission,
    TextCardContent, TextContent,
};

/// The schema of message content (`content` of a send or update-cui request).
pub fn content() -> Schema {
    root::<MessageContent>("content", "FinChat message content (what an app sends)")
}

/// The schema of an `m.cui` message: version, body and the card.
pub fn cui() -> Schema {
    root::<CuiContent>("cui", "FinChat m.cui message (an interactive card)")
}

/// The schema of a card alone (`content.info` of an `m.cui` message).
pub fn card() -> Schema {
    root::<Card>(
        "card",
        "FinChat CUI card (content.info of an m.cui message)",
    )
}

/// The schema of a submission (`content` of a `finstore.room.interactcui` event).
pub fn submission() -> Schema {
    root::<Submission>(
        "submission",
        "FinChat CUI submission (content of a finstore.room.interactcui event)",
    )
}

/// A draft 2020-12 root schema with its `$id` and `title`, in which an absent field is absent (never
/// `null`) and descriptions carry the prose of the doc comments without their Rust examples.
fn root<T: JsonSchema>(name: &str, title: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    if let Some(object) = schema.as_object_mut() {
        tidy(object);
        object.insert("$id".into(), json!(id::of(name)));
        object.insert("title".into(), json!(title));
    }
    schema
}

/// Optional fields are absent when unset, never `null`: removes the `null` alternatives schemars gives
/// `Option`s, and drops fenced code blocks and intra-doc link brackets from every `description`.
fn tidy(object: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(alternatives)) = object.get("anyOf") {
        let non_null: Vec<&Value> = alternatives
            .iter()
            .filter(|alternative| alternative.get("type") != Some(&json!("null")))
            .collect();
        if let [Value::Object(only)] = non_null[..] {
            let only = only.clone();
            object.remove("anyOf");
            object.extend(only);
        }
    }
    for (key, child) in object.iter_mut() {
        match child {
            Value::String(text) if key == "description" => *text = prose(text),
            Value::Object(inner) => tidy(inner),
            Value::Array(items) => items.iter_mut().for_each(|item| {
                if let Value::Object(inner) = item {
                    tidy(inner);
                }
            }),
            _ => {}
        }
    }
}

fn prose(doc: &str) -> String {
    let mut in_code = false;
    let mut lines = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            lines.push(line);
        }
    }
    lines
        .join("\n")
        .trim()
        .replace("[`", "`")
        .replace("`]", "`")
}

/// Adds constant tag properties (`msgtype`, or `type` and `subtype`) to a type's own schema, first in
/// `properties` and `required`.
fn add_tags(schema: &mut Schema, tags: &[(&str, &str)]) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let mut properties = serde_json::Map::new();
    for (name, value) in tags {
        properties.insert((*name).to_owned(), json!({ "const": value }));
    }
    if let Some(Value::Object(own)) = object.remove("properties") {
        properties.extend(own);
    }
    object.insert("properties".into(), Value::Object(properties));
    let mut required: Vec<Value> = tags.iter().map(|(name, _)| json!(name)).collect();
    if let Some(Value::Array(own)) = object.remove("required") {
        required.extend(own);
    }
    object.insert("required".into(), Value::Array(required));
}

macro_rules! tag_transforms {
    ($($name:ident => [$(($key:literal, $value:literal)),+],)*) => {$(
        pub(crate) fn $name(schema: &mut Schema) {
            add_tags(schema, &[$(($key, $value)),+]);
        }
    )*};
}

tag_transforms! {
    tag_text => [("type", "context"), ("subtype", "text")],
    tag_divider => [("type", "divider"), ("subtype", "divider")],
    tag_image => [("type", "image"), ("subtype", "image")],
    tag_text_input => [("type", "input"), ("subtype", "text-input")],
    tag_dropdown => [("type", "input"), ("subtype", "dropdown-input")],
    tag_submit => [("type", "button"), ("subtype", "submit"), ("action", "submit")],
    tag_reply => [("type", "button"), ("subtype", "reply")],
    tag_openurl => [("type", "button"), ("subtype", "openurl")],
    tag_m_text => [("msgtype", "m.text")],
    tag_m_textcard => [("msgtype", "m.textcard")],
    tag_m_image => [("msgtype", "m.image")],
    tag_m_file => [("msgtype", "m.file")],
    tag_m_cui => [("msgtype", "m.cui")],
}

impl JsonSchema for Element {
    fn schema_name() -> Cow<'static, str> {
        "Element".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variants = [
            generator.subschema_for::<Text>(),
            generator.subschema_for::<Divider>(),
            generator.subschema_for::<Image>(),
            generator.subschema_for::<TextInput>(),
            generator.subschema_for::<Dropdown>(),
            generator.subschema_for::<Submit>(),
            generator.subschema_for::<Reply>(),
            generator.subschema_for::<OpenUrl>(),
        ];
        json_schema!({
            "description": "One element of a card, tagged by its `type` and `subtype`.",
            "oneOf": variants,
        })
    }
}

impl JsonSchema for MessageContent {
    fn schema_name() -> Cow<'static, str> {
        "MessageContent".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variants = [
            generator.subschema_for::<TextContent>(),
            generator.subschema_for::<TextCardContent>(),
            generator.subschema_for::<ImageContent>(),
            generator.subschema_for::<FileContent>(),
            generator.subschema_for::<CuiContent>(),
        ];
        json_schema!({
            "description": "The content of a message that an app sends, tagged by `msgtype`.",
            "oneOf": variants,
        })
    }
}
