//! Reading and writing [`Element`]s: a known `type`/`subtype` whose fields fit becomes its variant, and
//! anything else becomes [`Element::Other`] with the JSON exactly as received.

use serde::de::{Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::element::{
    Divider, Dropdown, DropdownOption, Element, Image, OpenUrl, OtherElement, Reply, Submit, Text,
    TextInput,
};
use crate::fields_serde::{
    FieldError, FieldErrors, Fields, LenientVisitor, MapWriter, ObjectOrRaw, SlotKey, SlotKeySeed,
    all_checks,
};
use crate::options_serde::{Options, dropdown_options};
use crate::problem::ProblemKind;
use crate::{Color, HttpUrl, MxcUri, Status};

const TYPE: usize = 0;
const SUBTYPE: usize = 1;
const VALUE: usize = 2;
const KEY: usize = 3;
const PLACEHOLDER: usize = 4;
const OPTIONS: usize = 5;
const HEIGHT: usize = 6;
const BACKGROUND: usize = 7;
const O_URL: usize = 8;
const ACTION: usize = 9;
const STATUS: usize = 10;

const NAMES: &[&str; 11] = &[
    "type",
    "subtype",
    "value",
    "key",
    "placeholder",
    "options",
    "height",
    "background",
    "o_url",
    "action",
    "status",
];

type ElementFields = Fields<11>;

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
    let (Ok(Some(ty)), Ok(Some(subtype))) = (fields.opt_str(TYPE), fields.opt_str(SUBTYPE)) else {
        return Ok(None);
    };
    let element = match (ty, subtype) {
        ("context", "text") => {
            all_checks! {
                _value = fields.req_str(VALUE);
            }
            Element::Text(Text {
                value: take(fields, VALUE),
                extra: rest(fields),
            })
        }
        ("divider", "divider") => {
            all_checks! {
                height = fields.parse_opt_str(HEIGHT, ProblemKind::InvalidHeight, parse_height);
                background = fields.parse_opt_str(BACKGROUND, ProblemKind::InvalidColor, |s| Color::parse(s));
            }
            fields.discard(HEIGHT);
            fields.discard(BACKGROUND);
            Element::Divider(Divider {
                height,
                background,
                extra: rest(fields),
            })
        }
        ("image", "image") => {
            all_checks! {
                o_url = fields.parse_str(O_URL, ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.discard(O_URL);
            Element::Image(Image {
                o_url,
                extra: rest(fields),
            })
        }
        ("input", "text-input") => {
            all_checks! {
                _key = require_key(fields);
                _placeholder = fields.opt_str(PLACEHOLDER);
                _value = fields.opt_str(VALUE);
            }
            Element::TextInput(TextInput {
                key: take(fields, KEY),
                placeholder: fields.take_string(PLACEHOLDER),
                value: fields.take_string(VALUE),
                extra: rest(fields),
            })
        }
        ("input", "dropdown-input") => {
            all_checks! {
                _key = require_key(fields);
                _placeholder = fields.opt_str(PLACEHOLDER);
                _value = fields.req_str(VALUE);
                options = match list {
                    Some(_) => Ok(None),
                    None => dropdown_options(fields.get(OPTIONS)).map(Some),
                };
            }
            let options = options.or_else(|| list.take()).unwrap_or_default();
            fields.discard(OPTIONS);
            Element::Dropdown(Dropdown {
                key: take(fields, KEY),
                placeholder: fields.take_string(PLACEHOLDER),
                value: take(fields, VALUE),
                options,
                extra: rest(fields),
            })
        }
        ("button", "submit") => {
            all_checks! {
                _value = fields.req_str(VALUE);
                _action = submit_action(fields);
            }
            fields.discard(ACTION);
            Element::Submit(Submit {
                value: take(fields, VALUE),
                extra: rest(fields),
            })
        }
        ("button", "reply") => {
            all_checks! {
                _key = require_key(fields);
                _value = fields.req_str(VALUE);
                status = fields.opt_str(STATUS).map(|s| s.map(Status::from_wire));
            }
            fields.discard(STATUS);
            Element::Reply(Reply {
                key: take(fields, KEY),
                value: take(fields, VALUE),
                status,
                extra: rest(fields),
            })
        }
        ("button", "openurl") => {
            all_checks! {
                _value = fields.req_str(VALUE);
                action = fields.parse_str(ACTION, ProblemKind::InvalidUrl, |s| HttpUrl::parse(s));
            }
            fields.discard(ACTION);
            Element::OpenUrl(OpenUrl {
                value: take(fields, VALUE),
                action,
                extra: rest(fields),
            })
        }
        _ => return Ok(None),
    };
    Ok(Some(element))
}

fn submit_action(fields: &ElementFields) -> Result<(), FieldError> {
    let action = fields.req_str(ACTION)?;
    if action == "submit" {
        Ok(())
    } else {
        Err(FieldError::at(
            "action",
            ProblemKind::WrongSubmitAction,
            format!("a submit button's action must be \"submit\", not {action:?}"),
        ))
    }
}

fn take(fields: &mut ElementFields, index: usize) -> String {
    fields.take_string(index).unwrap_or_default()
}

fn rest(fields: &mut ElementFields) -> Map<String, Value> {
    fields.discard(TYPE);
    fields.discard(SUBTYPE);
    fields.take_rest()
}

fn require_key(fields: &ElementFields) -> Result<(), FieldError> {
    match fields.get(KEY) {
        None => Err(FieldError::at(
            "key",
            ProblemKind::MissingKey,
            "missing `key`: inputs and reply buttons need the name their value is submitted under",
        )),
        Some(_) => fields.req_str(KEY).map(drop),
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
    fields.opt_str(TYPE) == Ok(Some("input"))
        && fields.opt_str(SUBTYPE) == Ok(Some("dropdown-input"))
}

fn from_parts(mut fields: ElementFields, options: Option<Options>) -> Element {
    let mut list = None;
    match options {
        Some(Options::List(options)) if is_dropdown(&fields) => list = Some(options),
        Some(other) => fields.set(OPTIONS, other.into_value()),
        None => {}
    }
    match typed(&mut fields, &mut list) {
        Ok(Some(element)) => element,
        Ok(None) | Err(_) => {
            if let Some(list) = list {
                fields.set(OPTIONS, Options::List(list).into_value());
            }
            Element::Other(OtherElement {
                raw: Value::Object(fields.into_map()),
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
    let mut fields = Fields::from_map(NAMES, map.clone());
    typed(&mut fields, &mut None).err().unwrap_or_default()
}

impl ObjectOrRaw for Element {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut fields = Fields::empty(NAMES);
        let mut options = None;
        while let Some(key) = map.next_key_seed(SlotKeySeed(NAMES))? {
            match key {
                SlotKey::Slot(OPTIONS) => options = Some(map.next_value::<Options>()?),
                SlotKey::Slot(index) => fields.set(index, map.next_value()?),
                SlotKey::Extra(name) => fields.insert_extra(name, map.next_value()?),
            }
        }
        Ok(from_parts(fields, options))
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

fn tagged<S: Serializer>(
    serializer: S,
    ty: &str,
    subtype: &str,
) -> Result<MapWriter<S::SerializeMap>, S::Error> {
    let mut map = MapWriter(serializer.serialize_map(None)?);
    map.field("type", ty)?;
    map.field("subtype", subtype)?;
    Ok(map)
}

macro_rules! serialize_as_element {
    ($($ty:ident),*) => {$(
        impl Serialize for $ty {
            /// Serialises the whole element, `type` and `subtype` included.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.write(serializer)
            }
        }
    )*};
}

serialize_as_element!(
    Text, Divider, Image, TextInput, Dropdown, Submit, Reply, OpenUrl
);

impl Text {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "context", "text")?;
        map.field("value", &self.value)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Divider {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "divider", "divider")?;
        if let Some(height) = self.height {
            map.field("height", &height.to_string())?;
        }
        map.opt("background", &self.background)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Image {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "image", "image")?;
        map.field("o_url", &self.o_url)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl TextInput {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "input", "text-input")?;
        map.field("key", &self.key)?;
        map.opt("placeholder", &self.placeholder)?;
        map.opt("value", &self.value)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Dropdown {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "input", "dropdown-input")?;
        map.field("key", &self.key)?;
        map.opt("placeholder", &self.placeholder)?;
        map.field("value", &self.value)?;
        map.field("options", &self.options)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Submit {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "submit")?;
        map.field("value", &self.value)?;
        map.field("action", "submit")?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Reply {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "reply")?;
        map.field("key", &self.key)?;
        map.field("value", &self.value)?;
        map.opt("status", &self.status)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl OpenUrl {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "openurl")?;
        map.field("value", &self.value)?;
        map.field("action", &self.action)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(e) => e.write(serializer),
            Self::Divider(e) => e.write(serializer),
            Self::Image(e) => e.write(serializer),
            Self::TextInput(e) => e.write(serializer),
            Self::Dropdown(e) => e.write(serializer),
            Self::Submit(e) => e.write(serializer),
            Self::Reply(e) => e.write(serializer),
            Self::OpenUrl(e) => e.write(serializer),
            Self::Other(e) => e.raw.serialize(serializer),
        }
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
