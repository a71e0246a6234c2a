//! TypeScript declarations of the content model and of a form's submitted values, written from the
//! JSON Schemas so that the two cannot drift apart.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde_json::{Value, json};

use super::declarations::Declarations;
use crate::type_name::short_type_name;
use crate::{CuiForm, MessageContent, Submission};

/// What the declarations file says of itself, before its first declaration.
const HEADER: &str = "\
TypeScript declarations of FinChat message content, CUI cards and submissions, written by
finchat-cui {version} from its JSON Schemas (`finchat schema --ts`). Generated: do not edit.

Each type is named as its Rust type. They describe what an app may SEND, as strictly as TypeScript
can: only the documented msgtypes, element types (`type` + `subtype`) and values of `status`,
`opentype` and `version`. What TypeScript cannot check (the patterns of `mxc://` URIs, http(s) URLs,
colours and fcids, non-empty strings and lists, a key used twice) is left to the JSON Schemas and to
finchat-cui's `validate`. An object literal with an undocumented field does not type-check either
(the schemas let such fields through, and finchat-cui keeps them). Content as received may be
anything else too: type it `ReceivedContent`.";

/// The TypeScript declarations (one `.d.ts` file) of message content, the `m.cui` message, the card
/// and its elements, and the submission, each named as its Rust type: `MessageContent`,
/// `TextContent`, `TextCardContent`, `ImageContent`, `FileContent`, `CuiContent`, `Card`, `Element`
/// (a union of `Text`, `Divider`, `Image`, `TextInput`, `Dropdown`, `Submit`, `Reply`, `OpenUrl`),
/// `Status`, `OpenType`, `Submission`, …
///
/// They are written from the JSON Schemas ([`content`](super::content),
/// [`submission`](super::submission)) and are as strict: every value of a type is valid content to
/// send, except for what TypeScript cannot check (patterns, non-empty strings and lists), which the
/// schemas and [`MessageContent::validate`] check. Content as received is typed `ReceivedContent`:
/// `MessageContent` or an `OtherContent` object with any `msgtype`, since receiving is forgiving.
///
/// ```
/// let declarations = finchat_cui::schema::typescript();
/// assert!(declarations.contains("export type MessageContent = TextContent | TextCardContent"));
/// assert!(declarations.contains("export interface CuiContent {\n"));
/// ```
pub fn typescript() -> String {
    let mut roots = Vec::new();
    let mut definitions = BTreeMap::new();
    for (name, schema) in [
        (MessageContent::schema_name(), super::content()),
        (Submission::schema_name(), super::submission()),
    ] {
        let mut schema = Value::from(schema);
        if let Some(Value::Object(defs)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
            definitions.extend(defs);
        }
        roots.push((name.into_owned(), schema));
    }
    roots.extend(received());
    let mut declarations = Declarations::new(&header());
    for (name, schema) in roots.iter().map(|(n, s)| (n, s)).chain(&definitions) {
        declarations.declare(name, schema);
    }
    declarations.finish()
}

/// The types of content as received: any object with a `msgtype`, since receiving keeps what the
/// format does not describe.
fn received() -> [(String, Value); 2] {
    [
        (
            "ReceivedContent".into(),
            json!({
                "description": "The content of a received message: content as an app sends it, or anything\n\
                    else (`OtherContent`). Narrowing on `msgtype` leaves `OtherContent` in the union: a\n\
                    received `m.cui` may be a placeholder without a card, so check its shape (or validate\n\
                    it against the JSON Schema) before using it as `CuiContent`.",
                "anyOf": [{"$ref": "#/$defs/MessageContent"}, {"$ref": "#/$defs/OtherContent"}],
            }),
        ),
        (
            "OtherContent".into(),
            json!({
                "description": "Received content this model does not describe: another msgtype (such as\n\
                    `m.alert`, the @-mention of a bot), or a known one whose fields do not fit. Kept as\n\
                    it came.",
                "type": "object",
                "properties": {"msgtype": {"type": "string"}},
                "required": ["msgtype"],
                "additionalProperties": true,
            }),
        ),
    ]
}

fn header() -> String {
    HEADER.replace("{version}", env!("CARGO_PKG_VERSION"))
}

/// The TypeScript declaration of the values a [`CuiForm`] submits (the `info` of its submission),
/// written from [`CuiForm::schema`]: an interface named as the Rust type, a `string` per text field
/// (optional when the field is an `Option` or has a default), and a union of the option values per
/// dropdown (with `""` when nothing need be chosen).
///
/// ```
/// use finchat_cui::{CuiChoice, CuiForm};
///
/// #[derive(CuiChoice)]
/// enum Dept {
///     #[cui(label = "财务部", value = "fin")]
///     Finance,
///     #[cui(label = "运营部", value = "ops")]
///     Operations,
/// }
///
/// #[derive(CuiForm)]
/// struct Expense {
///     #[cui(label = "金额")]
///     amount: u32,
///     #[cui(label = "部门")]
///     dept: Dept,
///     note: Option<String>,
/// }
///
/// let declaration = finchat_cui::schema::form_typescript::<Expense>();
/// assert!(declaration.contains("export interface Expense {\n"));
/// assert!(declaration.contains("  dept: \"fin\" | \"ops\";\n"));
/// assert!(declaration.contains("  note?: string;\n"));
/// ```
pub fn form_typescript<T: CuiForm>() -> String {
    let mut declarations = Declarations::new(&format!(
        "The values a `{name}` form submits (`info` of its submission), written by finchat-cui {} from\n\
         its JSON Schema. Generated: do not edit.",
        env!("CARGO_PKG_VERSION"),
        name = short_type_name::<T>(),
    ));
    declarations.declare(short_type_name::<T>(), &Value::from(T::schema()));
    declarations.finish()
}

/// Writes [`form_typescript`] to `dir/<Name>.d.ts` (creating `dir`), as ts-rs does, and returns the
/// file's path: call it from a test or a build script, once per form.
///
/// ```no_run
/// # use finchat_cui::CuiForm;
/// # #[derive(CuiForm)]
/// # struct Expense { amount: u32 }
/// let path = finchat_cui::schema::export_ts::<Expense>("web/src/forms")?;
/// assert!(path.ends_with("Expense.d.ts"));
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// When `dir` cannot be created or the file cannot be written; the error names the path.
pub fn export_ts<T: CuiForm>(dir: impl AsRef<Path>) -> io::Result<PathBuf> {
    let dir = dir.as_ref();
    let path = dir.join(format!("{}.d.ts", short_type_name::<T>()));
    let at = |place: &Path| {
        let place = place.display().to_string();
        move |e: io::Error| io::Error::new(e.kind(), format!("{place}: {e}"))
    };
    std::fs::create_dir_all(dir).map_err(at(dir))?;
    std::fs::write(&path, form_typescript::<T>()).map_err(at(&path))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` of every schema the declarations are written from, e.g. `Element`.
    fn references(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push(target.trim_start_matches("#/$defs/").to_owned());
                }
                map.values().for_each(|v| references(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| references(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_names_a_declared_type() {
        let text = typescript();
        let mut names = Vec::new();
        for schema in [super::super::content(), super::super::submission()] {
            references(&Value::from(schema), &mut names);
        }
        assert!(names.iter().any(|n| n == "Element"), "{names:?}");
        for name in names {
            let declared = text.contains(&format!("export interface {name} "))
                || text.contains(&format!("export type {name} = "));
            assert!(declared, "{name} is referred to but not declared");
        }
    }
}
