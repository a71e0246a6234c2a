//! Reading the card envelope (`info` of an `m.cui` message). Elements are read straight into
//! [`Element`]s; a card whose envelope does not fit the format is kept as raw JSON by the content that
//! holds it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess};
use serde_json::Value;

use super::field_error::{FieldError, FieldErrors, all_checks, json_type};
use super::field_table::{Field, FieldTable, field_table};
use super::lenient::{LenientVisitor, ObjectOrRaw};
use crate::card::Card;
use crate::element::Element;
use crate::problem::{Path, ProblemKind};
use crate::{CardType, Fcid, Status};

field_table! {
    /// The fields of a card envelope.
    CardFields, CardKey {
        card_type, CardType: "type",
        status, Status: "status",
        shared, Shared: "shared",
        fcids, Fcids: "fcids",
        elements, Elements: "elements",
    }
}

/// The `elements` array read straight into elements, or whatever else arrived there.
enum Elements {
    List(Vec<Element>),
    Raw(Value),
}

impl ObjectOrRaw for Elements {
    fn from_raw(value: Value) -> Self {
        Elements::Raw(value)
    }

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(element) = seq.next_element::<Element>()? {
            list.push(element);
        }
        Ok(Elements::List(list))
    }
}

impl<'de> Deserialize<'de> for Elements {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

/// A received `info`: a card, or the JSON as it came when it is not one (with every reason).
pub(crate) enum CardOrRaw {
    Card(Card),
    Raw(Value, FieldErrors),
}

impl ObjectOrRaw for CardOrRaw {
    fn from_raw(value: Value) -> Self {
        let why = FieldError::new(
            Path::root(),
            ProblemKind::WrongType,
            format!("expected the card object, found {}", json_type(&value)),
        );
        CardOrRaw::Raw(value, vec![why])
    }

    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut fields = CardFields::empty();
        let elements = fields.read_with::<Elements, _>(map, CardKey::Elements)?;
        Ok(from_parts(&mut fields, elements))
    }
}

impl<'de> Deserialize<'de> for CardOrRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

fn from_parts(fields: &mut CardFields, elements: Option<Elements>) -> CardOrRaw {
    let list = match elements {
        Some(Elements::List(list)) => Some(list),
        Some(Elements::Raw(value)) => {
            fields.elements.set(value);
            None
        }
        None => None,
    };
    match envelope(fields, list.is_some()) {
        Ok((card_type, status, shared, fcids)) => {
            fields.card_type.discard();
            fields.status.discard();
            fields.shared.discard();
            fields.fcids.discard();
            CardOrRaw::Card(Card {
                card_type,
                status,
                shared,
                fcids,
                elements: list.unwrap_or_default(),
                extra: fields.take_rest(),
            })
        }
        Err(why) => {
            if let Some(list) = list {
                // Elements serialise to JSON objects with string keys: this cannot fail.
                fields
                    .elements
                    .set(serde_json::to_value(list).unwrap_or_default());
            }
            CardOrRaw::Raw(Value::Object(fields.take_rest()), why)
        }
    }
}

impl<'de> Deserialize<'de> for Card {
    /// Fails, with the field and the reason, when the envelope does not fit the format. Elements never
    /// make it fail: an element that does not fit is kept as [`Element::Other`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match CardOrRaw::deserialize(deserializer)? {
            CardOrRaw::Card(card) => Ok(card),
            CardOrRaw::Raw(_, why) => Err(de::Error::custom(
                why.iter()
                    .map(|e| format!("info.{e}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
        }
    }
}

type Envelope = (CardType, Status, bool, Option<Vec<Fcid>>);

/// Checks the envelope; `has_elements`: `elements` was read as an array.
fn envelope(fields: &CardFields, has_elements: bool) -> Result<Envelope, FieldErrors> {
    if fields.is_empty() && !has_elements {
        return Err(vec![FieldError::new(
            Path::root(),
            ProblemKind::MissingField,
            "empty card `{}`: the API samples show `{}` as a placeholder; a card needs `type`, `status`, \
             `shared` and `elements`",
        )]);
    }
    all_checks! {
        card_type = fields.card_type.req_str().map(CardType::from_wire);
        status = fields.status.req_str().map(Status::from_wire);
        shared = fields.shared.req_bool();
        fcids = fcids(&fields.fcids);
        _elements = elements_present(&fields.elements, has_elements);
    }
    Ok((card_type, status, shared, fcids))
}

fn elements_present(raw: &Field, has_elements: bool) -> Result<(), FieldError> {
    match raw.get() {
        _ if has_elements => Ok(()),
        Some(other) => Err(FieldError::at(
            raw.name(),
            ProblemKind::WrongType,
            format!("expected an array of elements, found {}", json_type(other)),
        )),
        None => Err(raw.missing()),
    }
}

fn fcids(raw: &Field) -> Result<Option<Vec<Fcid>>, FieldErrors> {
    let items = match raw.get() {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(vec![FieldError::at(
                raw.name(),
                ProblemKind::WrongType,
                format!("expected an array of fcids, found {}", json_type(other)),
            )]);
        }
    };
    let mut fcids = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = Path::root().field(raw.name()).index(index);
        match item {
            Value::String(s) => match Fcid::parse(s.as_str()) {
                Ok(fcid) => fcids.push(fcid),
                Err(e) => errors.push(FieldError::new(path, ProblemKind::InvalidId, e.to_string())),
            },
            other => errors.push(FieldError::new(
                path,
                ProblemKind::WrongType,
                format!("expected an fcid string, found {}", json_type(other)),
            )),
        }
    }
    if errors.is_empty() {
        Ok(Some(fcids))
    } else {
        Err(errors)
    }
}
