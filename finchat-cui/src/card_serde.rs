//! Reading and writing the card envelope. Elements are read straight into [`Element`]s; a card whose
//! envelope does not fit the format is kept as raw JSON by the content that holds it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::card::Card;
use crate::element::Element;
use crate::fields_serde::{
    FieldError, FieldErrors, Fields, LenientVisitor, MapWriter, ObjectOrRaw, SlotKey, SlotKeySeed,
    all_checks, json_type,
};
use crate::problem::{Path, ProblemKind};
use crate::{CardType, Fcid, Status};

const TYPE: usize = 0;
const STATUS: usize = 1;
const SHARED: usize = 2;
const FCIDS: usize = 3;
const ELEMENTS: usize = 4;
const NAMES: &[&str; 5] = &["type", "status", "shared", "fcids", "elements"];

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

    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut fields = Fields::empty(NAMES);
        let mut elements = None;
        while let Some(key) = map.next_key_seed(SlotKeySeed(NAMES))? {
            match key {
                SlotKey::Slot(ELEMENTS) => elements = Some(map.next_value::<Elements>()?),
                SlotKey::Slot(index) => fields.set(index, map.next_value()?),
                SlotKey::Extra(name) => fields.insert_extra(name, map.next_value()?),
            }
        }
        Ok(from_parts(fields, elements))
    }
}

impl<'de> Deserialize<'de> for CardOrRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor::new())
    }
}

fn from_parts(mut fields: Fields<5>, elements: Option<Elements>) -> CardOrRaw {
    let list = match elements {
        Some(Elements::List(list)) => Some(list),
        Some(Elements::Raw(value)) => {
            fields.set(ELEMENTS, value);
            None
        }
        None => None,
    };
    match envelope(&fields, list.is_some()) {
        Ok((card_type, status, shared, fcids)) => {
            for index in [TYPE, STATUS, SHARED, FCIDS] {
                fields.discard(index);
            }
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
                fields.set(ELEMENTS, serde_json::to_value(list).unwrap_or_default());
            }
            CardOrRaw::Raw(Value::Object(fields.into_map()), why)
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

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = MapWriter(serializer.serialize_map(None)?);
        map.field("type", &self.card_type)?;
        map.field("status", &self.status)?;
        map.field("shared", &self.shared)?;
        map.opt("fcids", &self.fcids)?;
        map.field("elements", &self.elements)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

type Envelope = (CardType, Status, bool, Option<Vec<Fcid>>);

/// Checks the envelope; `has_elements`: `elements` was read as an array.
fn envelope(fields: &Fields<5>, has_elements: bool) -> Result<Envelope, FieldErrors> {
    if fields.is_empty() && !has_elements {
        return Err(vec![FieldError::new(
            Path::root(),
            ProblemKind::MissingField,
            "empty card `{}`: the API samples show `{}` as a placeholder; a card needs `type`, `status`, \
             `shared` and `elements`",
        )]);
    }
    all_checks! {
        card_type = fields.req_str(TYPE).map(CardType::from_wire);
        status = fields.req_str(STATUS).map(Status::from_wire);
        shared = fields.req_bool(SHARED);
        fcids = fcids(fields.get(FCIDS));
        _elements = elements_present(fields.get(ELEMENTS), has_elements);
    }
    Ok((card_type, status, shared, fcids))
}

fn elements_present(raw: Option<&Value>, has_elements: bool) -> Result<(), FieldError> {
    match raw {
        _ if has_elements => Ok(()),
        Some(other) => Err(FieldError::at(
            "elements",
            ProblemKind::WrongType,
            format!("expected an array of elements, found {}", json_type(other)),
        )),
        None => Err(FieldError::at(
            "elements",
            ProblemKind::MissingField,
            "missing field `elements`",
        )),
    }
}

fn fcids(raw: Option<&Value>) -> Result<Option<Vec<Fcid>>, FieldErrors> {
    let items = match raw {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(vec![FieldError::at(
                "fcids",
                ProblemKind::WrongType,
                format!("expected an array of fcids, found {}", json_type(other)),
            )]);
        }
    };
    let mut fcids = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = Path::root().field("fcids").index(index);
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
