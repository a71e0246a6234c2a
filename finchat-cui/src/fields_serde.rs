//! The shared machinery of the hand-written serde code: reading a JSON object into named slots plus the
//! fields nobody asked for (kept, never dropped), checking them without consuming them, and writing
//! them back.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::problem::{Path, Problem, ProblemKind};

/// Why a JSON object could not be read as a typed value: the field (relative to the object), the kind
/// and a message. Turned into a [`Problem`] by prefixing the object's own path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub path: Path,
    pub kind: ProblemKind,
    pub message: String,
}

impl FieldError {
    pub fn new(path: Path, kind: ProblemKind, message: impl Into<String>) -> Self {
        Self {
            path,
            kind,
            message: message.into(),
        }
    }

    pub fn at(field: &'static str, kind: ProblemKind, message: impl Into<String>) -> Self {
        Self::new(Path::root().field(field), kind, message)
    }

    /// This error, moved under `prefix`.
    pub fn within(self, prefix: &Path) -> Self {
        Self::new(prefix.join(&self.path), self.kind, self.message)
    }

    pub fn into_problem(self, base: &Path) -> Problem {
        Problem::new(base.join(&self.path), self.kind, self.message)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every error found in one object, in field order.
pub(crate) type FieldErrors = Vec<FieldError>;

/// One error or several, so checks of either kind can be run together by [`all_checks!`].
pub(crate) trait IntoFieldErrors {
    fn into_field_errors(self) -> FieldErrors;
}

impl IntoFieldErrors for FieldError {
    fn into_field_errors(self) -> FieldErrors {
        vec![self]
    }
}

impl IntoFieldErrors for FieldErrors {
    fn into_field_errors(self) -> FieldErrors {
        self
    }
}

/// Runs every check, then returns all their errors at once, or binds each name to its checked value.
/// Names starting with `_` only check (their borrow ends at once).
macro_rules! all_checks {
    ($($name:ident = $check:expr;)+) => {
        $( let $name = $check; )+
        let mut errors: $crate::fields_serde::FieldErrors = Vec::new();
        $(
            if let Err(error) = &$name {
                errors.extend($crate::fields_serde::IntoFieldErrors::into_field_errors(error.clone()));
            }
        )+
        $(
            #[allow(unused_variables)]
            let $name = match $name {
                Ok(value) => value,
                Err(_) => return Err(errors),
            };
        )+
    };
}

pub(crate) use all_checks;

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Which slot an object key belongs to, or an unknown key (kept in `extra`).
pub(crate) enum SlotKey {
    Slot(usize),
    Extra(String),
}

/// Reads an object key without allocating when it is one of `names`.
pub(crate) struct SlotKeySeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for SlotKeySeed {
    type Value = SlotKey;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<SlotKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for SlotKeySeed {
    type Value = SlotKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<SlotKey, E> {
        Ok(match self.0.iter().position(|name| *name == key) {
            Some(index) => SlotKey::Slot(index),
            None => SlotKey::Extra(key.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<SlotKey, E> {
        Ok(match self.0.iter().position(|name| *name == key) {
            Some(index) => SlotKey::Slot(index),
            None => SlotKey::Extra(key),
        })
    }
}

/// A JSON object split into the slots named by `names` and everything else.
pub(crate) struct Fields<const N: usize> {
    names: &'static [&'static str; N],
    slots: [Option<Value>; N],
    extra: Map<String, Value>,
}

impl<const N: usize> Fields<N> {
    pub fn empty(names: &'static [&'static str; N]) -> Self {
        Self {
            names,
            slots: std::array::from_fn(|_| None),
            extra: Map::new(),
        }
    }

    /// Reads the rest of a JSON object. A repeated key keeps its last value, as serde_json's `Value` does.
    pub fn read<'de, A: MapAccess<'de>>(
        names: &'static [&'static str; N],
        mut map: A,
    ) -> Result<Self, A::Error> {
        let mut fields = Self::empty(names);
        while let Some(key) = map.next_key_seed(SlotKeySeed(names))? {
            match key {
                SlotKey::Slot(index) => fields.slots[index] = Some(map.next_value()?),
                SlotKey::Extra(name) => {
                    fields.extra.insert(name, map.next_value()?);
                }
            }
        }
        Ok(fields)
    }

    pub fn from_map(names: &'static [&'static str; N], map: Map<String, Value>) -> Self {
        let mut fields = Self::empty(names);
        for (key, value) in map {
            match names.iter().position(|name| *name == key) {
                Some(index) => fields.slots[index] = Some(value),
                None => {
                    fields.extra.insert(key, value);
                }
            }
        }
        fields
    }

    /// Everything, as the object it was read from.
    pub fn into_map(self) -> Map<String, Value> {
        let mut map = self.extra;
        for (name, slot) in self.names.iter().zip(self.slots) {
            if let Some(value) = slot {
                map.insert((*name).to_owned(), value);
            }
        }
        map
    }

    /// What was not taken: the unknown fields and the known ones this variant does not use.
    pub fn take_rest(&mut self) -> Map<String, Value> {
        let mut map = std::mem::take(&mut self.extra);
        for (name, slot) in self.names.iter().zip(self.slots.iter_mut()) {
            if let Some(value) = slot.take() {
                map.insert((*name).to_owned(), value);
            }
        }
        map
    }

    /// Whether the object had no fields at all.
    pub fn is_empty(&self) -> bool {
        self.extra.is_empty() && self.slots.iter().all(Option::is_none)
    }

    pub fn get(&self, index: usize) -> Option<&Value> {
        self.slots[index].as_ref()
    }

    pub fn set(&mut self, index: usize, value: Value) {
        self.slots[index] = Some(value);
    }

    pub fn insert_extra(&mut self, name: String, value: Value) {
        self.extra.insert(name, value);
    }

    fn name(&self, index: usize) -> &'static str {
        self.names[index]
    }

    /// The string in slot `index`, if present; an error if it holds something else.
    pub fn opt_str(&self, index: usize) -> Result<Option<&str>, FieldError> {
        match self.get(index) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(FieldError::at(
                self.name(index),
                ProblemKind::WrongType,
                format!("expected a string, found {}", json_type(other)),
            )),
        }
    }

    /// The string in slot `index`; an error if it is absent or not a string.
    pub fn req_str(&self, index: usize) -> Result<&str, FieldError> {
        self.opt_str(index)?.ok_or_else(|| {
            FieldError::at(
                self.name(index),
                ProblemKind::MissingField,
                format!("missing field `{}`", self.name(index)),
            )
        })
    }

    /// Parses the string in slot `index` with `parse`, mapping its error to `kind`.
    pub fn parse_str<T, E: fmt::Display>(
        &self,
        index: usize,
        kind: ProblemKind,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, FieldError> {
        parse(self.req_str(index)?)
            .map_err(|e| FieldError::at(self.name(index), kind, e.to_string()))
    }

    /// Like [`Self::parse_str`] for an optional field.
    pub fn parse_opt_str<T, E: fmt::Display>(
        &self,
        index: usize,
        kind: ProblemKind,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, FieldError> {
        self.opt_str(index)?
            .map(|s| parse(s).map_err(|e| FieldError::at(self.name(index), kind, e.to_string())))
            .transpose()
    }

    /// Takes the string in slot `index`, which the caller has checked with `opt_str`/`req_str`.
    pub fn take_string(&mut self, index: usize) -> Option<String> {
        match self.slots[index].take() {
            Some(Value::String(s)) => Some(s),
            other => {
                self.slots[index] = other;
                None
            }
        }
    }

    /// The unsigned integer in slot `index`, if present; an error if it holds something else.
    pub fn opt_u64(&self, index: usize) -> Result<Option<u64>, FieldError> {
        match self.get(index) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(other) => Err(FieldError::at(
                self.name(index),
                ProblemKind::WrongType,
                format!("expected a whole number, found {}", json_type(other)),
            )),
        }
    }

    /// The boolean in slot `index`; an error if it is absent or not a boolean.
    pub fn req_bool(&self, index: usize) -> Result<bool, FieldError> {
        match self.get(index) {
            Some(Value::Bool(b)) => Ok(*b),
            None => Err(FieldError::at(
                self.name(index),
                ProblemKind::MissingField,
                format!("missing field `{}`", self.name(index)),
            )),
            Some(other) => Err(FieldError::at(
                self.name(index),
                ProblemKind::WrongType,
                format!("expected true or false, found {}", json_type(other)),
            )),
        }
    }

    /// Takes whatever slot `index` holds.
    pub fn take_value(&mut self, index: usize) -> Option<Value> {
        self.slots[index].take()
    }

    /// Drops slot `index` (a value already converted by reference).
    pub fn discard(&mut self, index: usize) {
        self.slots[index] = None;
    }
}

/// Writes `"key": value` pairs and then the kept unknown fields.
pub(crate) struct MapWriter<M>(pub M);

impl<M: SerializeMap> MapWriter<M> {
    pub fn field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    pub fn opt<T: serde::Serialize>(
        &mut self,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    pub fn extra(&mut self, extra: &Map<String, Value>) -> Result<(), M::Error> {
        for (key, value) in extra {
            self.0.serialize_entry(key, value)?;
        }
        Ok(())
    }

    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

/// A type read from a JSON object that keeps any other JSON it is given instead of failing.
pub(crate) trait ObjectOrRaw: Sized {
    fn from_raw(value: Value) -> Self;

    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut object = Map::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Ok(Self::from_raw(Value::Object(object)))
    }

    fn from_seq<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Self::from_raw(Value::Array(items)))
    }
}

/// Deserialises an [`ObjectOrRaw`] from any JSON value.
pub(crate) struct LenientVisitor<T>(pub std::marker::PhantomData<T>);

impl<T> LenientVisitor<T> {
    pub fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<'de, T: ObjectOrRaw> Visitor<'de> for LenientVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(map)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_seq(seq)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::from_raw(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_raw(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from_raw(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::from_raw(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_raw(Value::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from_raw(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::from_raw(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::from_raw(Value::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}
