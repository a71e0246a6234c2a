//! Reading a dropdown's `options`: read straight into [`DropdownOption`]s when every one fits,
//! otherwise kept as the JSON that came, so the dropdown is kept whole as an `Other` element.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess};
use serde_json::Value;

use super::field_error::{FieldError, FieldErrors, all_checks, json_type};
use super::field_table::{Field, FieldTable, field_table};
use super::lenient::{LenientVisitor, ObjectOrRaw};
use crate::element::DropdownOption;
use crate::problem::{Path, ProblemKind};

field_table! {
    /// The fields of one dropdown option.
    OptionFields, OptionKey {
        label, Label: "label",
        value, Value: "value",
    }
}

impl OptionFields {
    /// The option, once `label` and `value` have been checked.
    fn take_option(&mut self) -> DropdownOption {
        DropdownOption {
            label: self.label.take_required_string(),
            value: self.value.take_required_string(),
            extra: self.take_rest(),
        }
    }
}

/// Checks and converts options that came as a JSON value (the path used when re-reading raw JSON).
pub(crate) fn dropdown_options(options: &Field) -> Result<Vec<DropdownOption>, FieldErrors> {
    let Some(value) = options.get() else {
        return Err(vec![options.missing()]);
    };
    let Value::Array(items) = value else {
        return Err(vec![FieldError::at(
            options.name(),
            ProblemKind::WrongType,
            format!(
                "expected an array of {{label, value}}, found {}",
                json_type(value)
            ),
        )]);
    };
    let mut list = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = Path::root().field(options.name()).index(index);
        match dropdown_option(item) {
            Ok(option) => list.push(option),
            Err(found) => errors.extend(found.into_iter().map(|e| e.within(&at))),
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

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
    let mut fields = OptionFields::from_map(map.clone());
    all_checks! {
        _label = fields.label.req_str();
        _value = fields.value.req_str();
    }
    Ok(fields.take_option())
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
        let mut fields = OptionFields::empty();
        fields.read(map)?;
        if fields.label.req_str().is_err() || fields.value.req_str().is_err() {
            return Ok(OptionOrRaw::Raw(Value::Object(fields.take_rest())));
        }
        Ok(OptionOrRaw::Option(fields.take_option()))
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
