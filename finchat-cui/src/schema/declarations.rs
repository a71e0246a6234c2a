//! TypeScript declarations written from JSON Schemas, one `export` per named schema.
//!
//! An object schema becomes an interface (a property not in `required` is optional), `const` and
//! `enum` become literal types, `oneOf`/`anyOf` unions, `$ref: "#/$defs/X"` the type `X`, and each
//! `title` and `description` a doc comment. What TypeScript cannot express (`pattern`, `minLength`,
//! `minItems`) is left to the schema; a `pattern` and a `default` are named in the doc comment.

use serde_json::{Map, Value};

/// Declarations being written.
pub(crate) struct Declarations {
    text: String,
}

impl Declarations {
    /// Declarations that open with `header`, written as `//` comment lines.
    pub(crate) fn new(header: &str) -> Self {
        let mut text = String::new();
        for line in header.lines() {
            if line.is_empty() {
                text.push_str("//\n");
            } else {
                text.push_str(&format!("// {line}\n"));
            }
        }
        Self { text }
    }

    /// Declares `name` as the type `schema` describes: an interface for an object with properties,
    /// else a type alias.
    pub(crate) fn declare(&mut self, name: &str, schema: &Value) {
        self.text.push('\n');
        doc_comment(&mut self.text, "", &doc_lines(schema));
        match schema.as_object() {
            Some(object) if is_interface(object) => {
                self.text.push_str(&format!("export interface {name} {{\n"));
                members(&mut self.text, object, 1);
                self.text.push_str("}\n");
            }
            _ => {
                let ty = type_of(schema, 0);
                self.text.push_str(&format!("export type {name} = {ty};\n"));
            }
        }
    }

    /// The text of the declarations file.
    pub(crate) fn finish(self) -> String {
        self.text
    }
}

/// An object with its own properties, and nothing that makes it a union.
fn is_interface(object: &Map<String, Value>) -> bool {
    object.get("properties").is_some_and(Value::is_object)
        && !["oneOf", "anyOf", "allOf", "enum", "const", "$ref"]
            .iter()
            .any(|key| object.contains_key(*key))
}

/// The TypeScript type of `schema`, indented `depth` levels where it spans lines.
fn type_of(schema: &Value, depth: usize) -> String {
    let object = match schema {
        Value::Bool(true) => return "unknown".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(object) => object,
        _ => return "unknown".into(),
    };
    if let Some(Value::String(reference)) = object.get("$ref") {
        return reference
            .strip_prefix("#/$defs/")
            .unwrap_or("unknown")
            .to_owned();
    }
    if let Some(constant) = object.get("const") {
        return literal(constant);
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        return union(values.iter().map(literal));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(variants)) = object.get(key) {
            return union(variants.iter().map(|variant| type_of(variant, depth)));
        }
    }
    if let Some(Value::Array(parts)) = object.get("allOf") {
        let parts: Vec<String> = parts.iter().map(|part| type_of(part, depth)).collect();
        return parts.join(" & ");
    }
    match object.get("type") {
        Some(Value::String(name)) => type_named(name, object, depth),
        Some(Value::Array(names)) => union(
            names
                .iter()
                .filter_map(Value::as_str)
                .map(|name| type_named(name, object, depth)),
        ),
        _ if object.contains_key("properties") => object_type(object, depth),
        _ => "unknown".into(),
    }
}

/// The type of the JSON type `name`, with the rest of `object` for arrays and objects.
fn type_named(name: &str, object: &Map<String, Value>, depth: usize) -> String {
    match name {
        "string" => "string".into(),
        "integer" | "number" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => {
            let item = object
                .get("items")
                .map_or_else(|| "unknown".into(), |items| type_of(items, depth));
            if item.contains(' ') {
                format!("({item})[]")
            } else {
                format!("{item}[]")
            }
        }
        "object" => object_type(object, depth),
        _ => "unknown".into(),
    }
}

/// An inline object type: its members on lines of their own, or an index signature alone.
fn object_type(object: &Map<String, Value>, depth: usize) -> String {
    let has_properties = object
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|properties| !properties.is_empty());
    if !has_properties {
        return match object.get("additionalProperties") {
            Some(Value::Bool(false)) => "Record<string, never>".into(),
            Some(values) => format!("{{ [key: string]: {} }}", type_of(values, depth)),
            None => "{ [key: string]: unknown }".into(),
        };
    }
    let mut text = String::from("{\n");
    members(&mut text, object, depth + 1);
    text.push_str(&indent(depth));
    text.push('}');
    text
}

/// The members of an object: the required properties in `required` order (tags come first there),
/// then the optional ones, then an index signature when `additionalProperties` is a schema.
fn members(text: &mut String, object: &Map<String, Value>, depth: usize) {
    let pad = indent(depth);
    let empty = Map::new();
    let properties = object
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let in_order = required
        .iter()
        .filter_map(|name| properties.get_key_value(*name))
        .chain(
            properties
                .iter()
                .filter(|(name, _)| !required.contains(&name.as_str())),
        );
    for (name, property) in in_order {
        doc_comment(text, &pad, &doc_lines(property));
        let optional = if required.contains(&name.as_str()) {
            ""
        } else {
            "?"
        };
        let key = property_key(name);
        let ty = type_of(property, depth);
        text.push_str(&format!("{pad}{key}{optional}: {ty};\n"));
    }
    if let Some(values) = object.get("additionalProperties")
        && !matches!(values, Value::Bool(false))
    {
        // An index signature must admit every named property too.
        let ty = if properties.is_empty() {
            type_of(values, depth)
        } else {
            "unknown".into()
        };
        text.push_str(&format!("{pad}[key: string]: {ty};\n"));
    }
}

/// A property name as written in a type: bare when it is an identifier, else quoted.
fn property_key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        literal(&Value::String(name.to_owned()))
    }
}

/// A JSON value as a TypeScript literal type (JSON's string syntax is TypeScript's).
fn literal(value: &Value) -> String {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => value.to_string(),
        _ => "unknown".into(),
    }
}

/// The union of `members`, each once, in order.
fn union(members: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for member in members {
        if !seen.contains(&member) {
            seen.push(member);
        }
    }
    if seen.is_empty() {
        "never".into()
    } else {
        seen.join(" | ")
    }
}

/// What a schema's doc comment says: its title, description, pattern and default.
fn doc_lines(schema: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    if let Some(title) = text("title") {
        lines.push(title.to_owned());
    }
    if let Some(description) = text("description") {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(description.lines().map(str::to_owned));
    }
    if let Some(pattern) = text("pattern") {
        lines.push(format!("Matches `{pattern}`."));
    }
    if let Some(default) = schema.get("default") {
        lines.push(format!("@default {default}"));
    }
    lines
}

/// Writes `lines` as a `/** … */` comment at `pad`; nothing when there are none.
fn doc_comment(text: &mut String, pad: &str, lines: &[String]) {
    // `*/` inside the text would end the comment early.
    let escaped: Vec<String> = lines
        .iter()
        .map(|line| line.replace("*/", "*\\/"))
        .collect();
    match escaped.as_slice() {
        [] => {}
        [only] => text.push_str(&format!("{pad}/** {only} */\n")),
        lines => {
            text.push_str(&format!("{pad}/**\n"));
            for line in lines {
                if line.is_empty() {
                    text.push_str(&format!("{pad} *\n"));
                } else {
                    text.push_str(&format!("{pad} * {line}\n"));
                }
            }
            text.push_str(&format!("{pad} */\n"));
        }
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn declared(name: &str, schema: Value) -> String {
        let mut declarations = Declarations::new("");
        declarations.declare(name, &schema);
        declarations.finish()
    }

    #[test]
    fn an_object_is_an_interface_with_tags_first_and_optional_fields_marked() {
        let schema = json!({
            "description": "A thing.",
            "type": "object",
            "properties": {
                "a": {"type": "string", "description": "The a."},
                "kind": {"const": "x"},
                "n": {"type": "integer"},
                "my-key": {"type": "array", "items": {"$ref": "#/$defs/Other"}},
            },
            "required": ["kind", "a"],
        });
        assert_eq!(
            declared("Thing", schema),
            "\n/** A thing. */\nexport interface Thing {\n  kind: \"x\";\n  /** The a. */\n  a: string;\n  \
             \"my-key\"?: Other[];\n  n?: number;\n}\n"
        );
    }

    #[test]
    fn enums_and_one_of_are_unions_and_nested_objects_are_inline() {
        let status = json!({"type": "string", "enum": ["input", "loading"]});
        assert_eq!(
            declared("S", status),
            "\nexport type S = \"input\" | \"loading\";\n"
        );
        let either = json!({"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]});
        assert_eq!(declared("E", either), "\nexport type E = A | B;\n");
        let map = json!({"type": "object", "properties": {"info": {
            "type": "object", "additionalProperties": {"type": "string"}}}, "required": ["info"]});
        assert_eq!(
            declared("M", map),
            "\nexport interface M {\n  info: { [key: string]: string };\n}\n"
        );
        let list = json!({"type": "array", "items": {"enum": ["a", "b"]}});
        assert_eq!(
            declared("L", list),
            "\nexport type L = (\"a\" | \"b\")[];\n"
        );
    }

    #[test]
    fn doc_comments_carry_title_pattern_and_default_and_cannot_be_closed_early() {
        let schema = json!({"type": "string", "title": "金额", "description": "a */ b",
            "pattern": "^[0-9]+$", "default": "1"});
        assert_eq!(
            declared("A", schema),
            "\n/**\n * 金额\n *\n * a *\\/ b\n * Matches `^[0-9]+$`.\n * @default \"1\"\n */\nexport type A = string;\n"
        );
    }
}
