//! Reading and writing the card envelope. Elements are read straight into [`Element`]s; a card whose
//! envelope does not fit the format is kept as raw JSON by the content that holds it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::card::Card;
use crate::element::Element;
use crate::fields_serde::{
    FieldError, Fields, LenientVisitor, MapWriter, ObjectOrRaw, SlotKey, SlotKeySeed, json_type,
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

/// A received `info`: a card, or the JSON as it came when it is not one (with the reason).
pub(crate) enum CardOrRaw {
    Card(Card),
    Raw(Value, FieldError),
}

impl ObjectOrRaw for CardOrRaw {
    fn from_raw(value: Value) -> Self {
        let why = FieldError::new(
            Path::root(),
            ProblemKind::WrongType,
            format!("expected the card object, found {}", json_type(&value)),
        );
        CardOrRaw::Raw(value, why)
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
    let why = match envelope(&fields) {
        Ok((card_type, status, shared, fcids)) => match list {
            Some(elements) => {
                for index in [TYPE, STATUS, SHARED, FCIDS] {
                    fields.discard(index);
                }
                return CardOrRaw::Card(Card {
                    card_type,
                    status,
                    shared,
                    fcids,
                    elements,
                    extra: fields.take_rest(),
                });
            }
            None => match fields.get(ELEMENTS) {
                Some(other) => FieldError::at(
                    "elements",
                    ProblemKind::WrongType,
                    format!("expected an array of elements, found {}", json_type(other)),
                ),
                None => FieldError::at(
                    "elements",
                    ProblemKind::MissingField,
                    "missing field `elements`",
                ),
            },
        },
        Err(why) => {
            if let Some(list) = list {
                // Elements serialise to JSON objects with string keys: this cannot fail.
                fields.set(ELEMENTS, serde_json::to_value(list).unwrap_or_default());
            }
            why
        }
    };
    CardOrRaw::Raw(Value::Object(fields.into_map()), why)
}

impl<'de> Deserialize<'de> for Card {
    /// Fails, with the field and the reason, when the envelope does not fit the format. Elements never
    /// make it fail: an element that does not fit is kept as [`Element::Other`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match CardOrRaw::deserialize(deserializer)? {
            CardOrRaw::Card(card) => Ok(card),
            CardOrRaw::Raw(_, why) => Err(de::Error::custom(format_args!("info.{why}"))),
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

fn envelope(fields: &Fields<5>) -> Result<Envelope, FieldError> {
    let card_type = CardType::from_wire(fields.req_str(TYPE)?);
    let status = Status::from_wire(fields.req_str(STATUS)?);
    let shared = fields.req_bool(SHARED)?;
    let fcids = match fields.get(FCIDS) {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| fcid(item, index))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(FieldError::at(
                "fcids",
                ProblemKind::WrongType,
                format!("expected an array of fcids, found {}", json_type(other)),
            ));
        }
    };
    Ok((card_type, status, shared, fcids))
}

fn fcid(item: &Value, index: usize) -> Result<Fcid, FieldError> {
    let path = Path::root().field("fcids").index(index);
    match item {
        Value::String(s) => Fcid::parse(s.as_str())
            .map_err(|e| FieldError::new(path, ProblemKind::InvalidId, e.to_string())),
        other => Err(FieldError::new(
            path,
            ProblemKind::WrongType,
            format!("expected an fcid string, found {}", json_type(other)),
        )),
    }
}
