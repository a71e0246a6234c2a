//! Reading and writing a dropdown's `options`: read straight into [`DropdownOption`]s when every one
//! fits, otherwise kept as the JSON that came, so the dropdown is kept whole as an `Other` element.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::element::DropdownOption;
use crate::fields_serde::{
    FieldError, FieldErrors, Fields, LenientVisitor, MapWriter, ObjectOrRaw, all_checks, json_type,
};
use crate::problem::{Path, ProblemKind};

/// Checks and converts options that came as a JSON value (the path used when re-reading raw JSON).
pub(crate) fn dropdown_options(value: Option<&Value>) -> Result<Vec<DropdownOption>, FieldErrors> {
    let Some(value) = value else {
        return Err(vec![FieldError::at(
            "options",
            ProblemKind::MissingField,
            "missing field `options`",
        )]);
    };
    let Value::Array(items) = value else {
        return Err(vec![FieldError::at(
            "options",
            ProblemKind::WrongType,
            format!(
                "expected an array of {{label, value}}, found {}",
                json_type(value)
            ),
        )]);
    };
    let mut options = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = Path::root().field("options").index(index);
        match dropdown_option(item) {
            Ok(option) => options.push(option),
            Err(found) => errors.extend(found.into_iter().map(|e| e.within(&at))),
        }
    }
    if errors.is_empty() {
        Ok(options)
    } else {
        Err(errors)
    }
}

const OPTION_NAMES: &[&str; 2] = &["label", "value"];

fn dropdown_option(item: &Value) -> Result<DropdownOption, FieldErrors> {
    let Value::Object(map) = item else {
        return Err(vec![FieldError::new(
            Path::root(),
            ProblemKind::WrongType,
            format!(
                "expected an object {{label, value}}, found {}",
                json_type(item)
            ),
        )]);
    };
    let mut fields = Fields::from_map(OPTION_NAMES, map.clone());
    all_checks! {
        _label = fields.req_str(0);
        _value = fields.req_str(1);
    }
    Ok(DropdownOption {
        label: fields.take_string(0).unwrap_or_default(),
        value: fields.take_string(1).unwrap_or_default(),
        extra: fields.take_rest(),
    })
}

/// The `options` of a dropdown read straight into options, or whatever else arrived there.
pub(crate) enum Options {
    List(Vec<DropdownOption>),
    Raw(Value),
}

impl Options {
    pub(crate) fn into_value(self) -> Value {
        match self {
            // Options serialise to JSON objects with string keys: this cannot fail.
            Options::List(list) => serde_json::to_value(list).unwrap_or_default(),
            Options::Raw(value) => value,
        }
    }
}

/// One option as read: typed when `label` and `value` are strings, otherwise the object as it came.
enum OptionOrRaw {
    Option(DropdownOption),
    Raw(Value),
}

impl ObjectOrRaw for OptionOrRaw {
    fn from_raw(value: Value) -> Self {
        OptionOrRaw::Raw(value)
    }

    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut fields = Fields::read(OPTION_NAMES, map)?;
        if fields.req_str(0).is_err() || fields.req_str(1).is_err() {
            return Ok(OptionOrRaw::Raw(Value::Object(fields.into_map())));
        }
        Ok(OptionOrRaw::Option(DropdownOption {
            label: fields.take_string(0).unwrap_or_default(),
            value: fields.take_string(1).unwrap_or_default(),
            extra: fields.take_rest(),
        }))
    }
}

impl<'de> Deserialize<'de> for OptionOrRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

impl ObjectOrRaw for Options {
    fn from_raw(value: Value) -> Self {
        Options::Raw(value)
    }

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut list = Vec::new();
        let mut raw: Option<Vec<Value>> = None;
        while let Some(item) = seq.next_element::<OptionOrRaw>()? {
            match (item, &mut raw) {
                (OptionOrRaw::Option(option), None) => list.push(option),
                (OptionOrRaw::Raw(value), None) => {
                    let mut items = Options::List(std::mem::take(&mut list)).into_value();
                    if let Value::Array(items) = &mut items {
                        items.push(value);
                        raw = Some(std::mem::take(items));
                    }
                }
                (item, Some(items)) => items.push(match item {
                    OptionOrRaw::Option(option) => serde_json::to_value(option).unwrap_or_default(),
                    OptionOrRaw::Raw(value) => value,
                }),
            }
        }
        Ok(match raw {
            None => Options::List(list),
            Some(items) => Options::Raw(Value::Array(items)),
        })
    }
}

impl<'de> Deserialize<'de> for Options {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

impl Serialize for DropdownOption {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = MapWriter(serializer.serialize_map(None)?);
        map.field("label", &self.label)?;
        map.field("value", &self.value)?;
        map.extra(&self.extra)?;
        map.end()
    }
}
