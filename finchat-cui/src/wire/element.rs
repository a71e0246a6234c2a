//! Reading [`Element`]s: a known `type`/`subtype` whose fields fit becomes its variant, and anything
//! else becomes [`Element::Other`] with the JSON exactly as received.

use serde::de::{Deserialize, Deserializer, MapAccess};
use serde_json::{Map, Value};

use super::field_error::{FieldError, FieldErrors, all_checks};
use super::field_table::{Field, FieldTable, field_table};
use super::lenient::{LenientVisitor, ObjectOrRaw};
use super::options::{Options, dropdown_options};
use crate::element::{
    Divider, Dropdown, DropdownOption, Element, Image, OpenUrl, OtherElement, Reply, Submit, Text,
    TextInput,
};
use crate::problem::ProblemKind;
use crate::{Color, HttpUrl, MxcUri, Status};

field_table! {
    /// The fields of every known element; each variant uses some of them.
    ElementFields, ElementKey {
        element_type, ElementType: "type",
        subtype, Subtype: "subtype",
        value, Value: "value",
        key, Key: "key",
        placeholder, Placeholder: "placeholder",
        options, Options: "options",
        height, Height: "height",
        background, Background: "background",
        o_url, OUrl: "o_url",
        action, Action: "action",
        status, Status: "status",
    }
}

/// The `type`/`subtype` pairs of the published format.
pub(crate) const KNOWN_PAIRS: &[(&str, &str)] = &[
    ("context", "text"),
    ("divider", "divider"),
    ("image", "image"),
    ("input", "text-input"),
    ("input", "dropdown-input"),
    ("button", "submit"),
    ("button", "reply"),
    ("button", "openurl"),
];

/// Reads an element's fields as its typed variant. `Ok(None)`: the type/subtype pair is not a known
/// one. `Err`: it is known, but fields do not fit (all of them are reported); `fields` is then left
/// untouched.
fn typed(
    fields: &mut ElementFields,
    list: &mut Option<Vec<DropdownOption>>,
) -> Result<Option<Element>, FieldErrors> {
    let (Ok(Some(ty)), Ok(Some(subtype))) =
        (fields.element_type.opt_str(), fields.subtype.opt_str())
    else {
        return Ok(None);
    };
    let element = match (ty, subtype) {
        ("context", "text") => {
            all_checks! {
                _value = fields.value.req_str();
            }
            Element::Text(Text {
                value: fields.value.take_required_string(),
                extra: rest(fields),
            })
        }
        ("divider", "divider") => {
            all_checks! {
                height = fields.height.parse_opt_str(ProblemKind::InvalidHeight, parse_height);
                background = fields.background.parse_opt_str(ProblemKind::InvalidColor, |s| Color::parse(s));
            }
            fields.height.discard();
            fields.background.discard();
            Element::Divider(Divider {
                height,
                background,
                extra: rest(fields),
            })
        }
        ("image", "image") => {
            all_checks! {
                o_url = fields.o_url.parse_str(ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.o_url.discard();
            Element::Image(Image {
                o_url,
                extra: rest(fields),
            })
        }
        ("input", "text-input") => {
            all_checks! {
                _key = require_key(&fields.key);
                _placeholder = fields.placeholder.opt_str();
                _value = fields.value.opt_str();
            }
            Element::TextInput(TextInput {
                key: fields.key.take_required_string(),
                placeholder: fields.placeholder.take_string(),
                value: fields.value.take_string(),
                extra: rest(fields),
            })
        }
        ("input", "dropdown-input") => {
            all_checks! {
                _key = require_key(&fields.key);
                _placeholder = fields.placeholder.opt_str();
                _value = fields.value.req_str();
                options = match list {
                    Some(_) => Ok(None),
                    None => dropdown_options(&fields.options).map(Some),
                };
            }
            let options = options.or_else(|| list.take()).unwrap_or_default();
            fields.options.discard();
            Element::Dropdown(Dropdown {
                key: fields.key.take_required_string(),
                placeholder: fields.placeholder.take_string(),
                value: fields.value.take_required_string(),
                options,
                extra: rest(fields),
            })
        }
        ("button", "submit") => {
            all_checks! {
                _value = fields.value.req_str();
                _action = submit_action(&fields.action);
            }
            fields.action.discard();
            Element::Submit(Submit {
                value: fields.value.take_required_string(),
                extra: rest(fields),
            })
        }
        ("button", "reply") => {
            all_checks! {
                _key = require_key(&fields.key);
                _value = fields.value.req_str();
                status = fields.status.opt_str().map(|s| s.map(Status::from_wire));
            }
            fields.status.discard();
            Element::Reply(Reply {
                key: fields.key.take_required_string(),
                value: fields.value.take_required_string(),
                status,
                extra: rest(fields),
            })
        }
        ("button", "openurl") => {
            all_checks! {
                _value = fields.value.req_str();
                action = fields.action.parse_str(ProblemKind::InvalidUrl, |s| HttpUrl::parse(s));
            }
            fields.action.discard();
            Element::OpenUrl(OpenUrl {
                value: fields.value.take_required_string(),
                action,
                extra: rest(fields),
            })
        }
        _ => return Ok(None),
    };
    Ok(Some(element))
}

fn submit_action(action_field: &Field) -> Result<(), FieldError> {
    let action = action_field.req_str()?;
    if action == "submit" {
        Ok(())
    } else {
        Err(FieldError::at(
            action_field.name(),
            ProblemKind::WrongSubmitAction,
            format!("a submit button's action must be \"submit\", not {action:?}"),
        ))
    }
}

fn rest(fields: &mut ElementFields) -> Map<String, Value> {
    fields.element_type.discard();
    fields.subtype.discard();
    fields.take_rest()
}

fn require_key(key: &Field) -> Result<(), FieldError> {
    match key.get() {
        None => Err(FieldError::at(
            key.name(),
            ProblemKind::MissingKey,
            "missing `key`: inputs and reply buttons need the name their value is submitted under",
        )),
        Some(_) => key.req_str().map(drop),
    }
}

fn parse_height(s: &str) -> Result<u32, String> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    match s.parse::<u32>() {
        Ok(height) if canonical => Ok(height),
        _ => Err(format!(
            "height {s:?} is not a whole number of pixels written as a string, e.g. \"1\""
        )),
    }
}

fn is_dropdown(fields: &ElementFields) -> bool {
    fields.element_type.opt_str() == Ok(Some("input"))
        && fields.subtype.opt_str() == Ok(Some("dropdown-input"))
}

fn from_parts(fields: &mut ElementFields, options: Option<Options>) -> Element {
    let mut list = None;
    match options {
        Some(Options::List(options)) if is_dropdown(fields) => list = Some(options),
        Some(other) => fields.options.set(other.into_value()),
        None => {}
    }
    match typed(fields, &mut list) {
        Ok(Some(element)) => element,
        Ok(None) | Err(_) => {
            if let Some(list) = list {
                fields.options.set(Options::List(list).into_value());
            }
            Element::Other(OtherElement {
                raw: Value::Object(fields.take_rest()),
            })
        }
    }
}

/// Why a received element with a known `type`/`subtype` could not be read as its variant; empty when
/// the pair is not a known one (or the element is not an object).
pub(crate) fn why_not_typed(raw: &Value) -> FieldErrors {
    let Value::Object(map) = raw else {
        return Vec::new();
    };
    let mut fields = ElementFields::from_map(map.clone());
    typed(&mut fields, &mut None).err().unwrap_or_default()
}

impl ObjectOrRaw for Element {
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut fields = ElementFields::empty();
        let options = fields.read_with::<Options, _>(map, ElementKey::Options)?;
        Ok(from_parts(&mut fields, options))
    }

    fn from_raw(value: Value) -> Self {
        Element::Other(OtherElement { raw: value })
    }
}

impl<'de> Deserialize<'de> for Element {
    /// Never fails on well-formed JSON: what is not a known element becomes [`Element::Other`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Element {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_known_element_with_a_bad_field_is_kept_whole_as_other() {
        let raw = json!({"type": "image", "subtype": "image", "o_url": "https://x/y.png"});
        let element = read(raw.clone());
        assert!(matches!(element, Element::Other(_)));
        assert_eq!(serde_json::to_value(&element).unwrap(), raw);
        let why = why_not_typed(&raw);
        assert_eq!(why.len(), 1);
        assert_eq!(why[0].path.to_string(), "o_url");
        assert_eq!(why[0].kind, ProblemKind::InvalidMxcUri);
    }

    #[test]
    fn non_object_elements_are_kept() {
        for raw in [json!("text"), json!(3), json!(null), json!([1, {"a": 2}])] {
            let element = read(raw.clone());
            assert_eq!(serde_json::to_value(&element).unwrap(), raw);
        }
    }

    #[test]
    fn fields_unused_by_a_variant_are_kept_as_extra() {
        let raw = json!({"type": "button", "subtype": "reply", "key": "k", "value": "v", "action": "x", "new": 1});
        let Element::Reply(reply) = read(raw.clone()) else {
            panic!()
        };
        assert_eq!(reply.extra().len(), 2);
        assert_eq!(serde_json::to_value(&reply).unwrap(), raw);
    }

    #[test]
    fn divider_height_must_be_canonical_digits() {
        assert_eq!(parse_height("12"), Ok(12));
        assert_eq!(parse_height("0"), Ok(0));
        for bad in ["", "01", "+1", "-1", "1.5", "1px", "99999999999"] {
            assert!(parse_height(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn option_errors_point_inside_the_options_array() {
        let raw = json!({"type": "input", "subtype": "dropdown-input", "key": "k", "value": "",
            "options": [{"label": "a", "value": "1"}, {"label": "b"}]});
        let why = why_not_typed(&raw);
        assert_eq!(why.len(), 1);
        assert_eq!(why[0].path.to_string(), "options[1].value");
        assert_eq!(why[0].kind, ProblemKind::MissingField);
    }

    #[test]
    fn options_that_do_not_fit_keep_the_dropdown_whole_as_other() {
        for options in [
            json!([{"label": "a", "value": "1", "icon": "x"}, {"label": 2, "value": "2"}, {"label": "c", "value": "3"}]),
            json!([{"label": "a"}, "b"]),
            json!({"label": "a", "value": "1"}),
            json!("a,b"),
        ] {
            let raw = json!({"type": "input", "subtype": "dropdown-input", "key": "k", "value": "", "options": options});
            let element: Element = serde_json::from_str(&raw.to_string()).unwrap();
            assert!(matches!(element, Element::Other(_)), "{raw}");
            assert_eq!(serde_json::to_value(&element).unwrap(), raw);
        }
    }

    #[test]
    fn options_on_an_element_that_has_none_are_kept_as_extra() {
        let raw = json!({"type": "input", "subtype": "text-input", "key": "k", "options": [{"label": "a", "value": "1"}]});
        let element: Element = serde_json::from_str(&raw.to_string()).unwrap();
        assert!(matches!(element, Element::TextInput(_)));
        assert_eq!(serde_json::to_value(&element).unwrap(), raw);
    }

    #[test]
    fn every_field_that_does_not_fit_is_reported() {
        let raw = json!({"type": "input", "subtype": "dropdown-input", "placeholder": 3,
            "options": [{"label": 1, "value": "1"}, "x"]});
        let why: Vec<String> = why_not_typed(&raw)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            why,
            [
                "key: missing `key`: inputs and reply buttons need the name their value is submitted under",
                "placeholder: expected a string, found a number",
                "value: missing field `value`",
                "options[0].label: expected a string, found a number",
                "options[1]: expected an object {label, value}, found a string",
            ]
        );
    }
}
