//! A JSON object read into a table of named fields plus the fields nobody asked for (kept, never
//! dropped), checked without being consumed and taken out once every check has passed.
//!
//! Each object the crate reads has its own table, declared with [`field_table!`]: a struct with one
//! [`Field`] per wire name (`fields.status.req_str()`), and a key enum naming the fields a reader
//! treats specially while streaming (`CardKey::Elements`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::field_error::{FieldError, json_type};
use crate::problem::ProblemKind;

/// One field of an object being read: its wire name and its value, if the object had one.
pub(crate) struct Field {
    name: &'static str,
    value: Option<Value>,
}

impl Field {
    /// An absent field called `name` on the wire.
    pub fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }

    /// The wire name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn get(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    pub fn set(&mut self, value: Value) {
        self.value = Some(value);
    }

    /// Reads the next value of `map` straight into the field. A repeated key keeps its last value,
    /// as serde_json's `Value` does.
    fn read_value<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        map.next_value_seed(ValueInto(&mut self.value))
    }

    /// Takes whatever the field holds.
    pub fn take(&mut self) -> Option<Value> {
        self.value.take()
    }

    /// Takes whatever the field holds, writing to it only when it holds something.
    pub fn take_left(&mut self) -> Option<Value> {
        if self.value.is_some() {
            self.value.take()
        } else {
            None
        }
    }

    /// Drops the value (one already converted by reference).
    pub fn discard(&mut self) {
        self.value = None;
    }

    /// "missing field `name`".
    pub fn missing(&self) -> FieldError {
        FieldError::at(
            self.name,
            ProblemKind::MissingField,
            format!("missing field `{}`", self.name),
        )
    }

    /// The string, if present; an error if the field holds something else.
    pub fn opt_str(&self) -> Result<Option<&str>, FieldError> {
        match self.get() {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(FieldError::at(
                self.name,
                ProblemKind::WrongType,
                format!("expected a string, found {}", json_type(other)),
            )),
        }
    }

    /// The string; an error if it is absent or not a string.
    pub fn req_str(&self) -> Result<&str, FieldError> {
        self.opt_str()?.ok_or_else(|| self.missing())
    }

    /// Parses the string with `parse`, mapping its error to `kind`.
    pub fn parse_str<T, E: fmt::Display>(
        &self,
        kind: ProblemKind,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, FieldError> {
        parse(self.req_str()?).map_err(|e| FieldError::at(self.name, kind, e.to_string()))
    }

    /// Like [`Self::parse_str`] for an optional field.
    pub fn parse_opt_str<T, E: fmt::Display>(
        &self,
        kind: ProblemKind,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, FieldError> {
        self.opt_str()?
            .map(|s| parse(s).map_err(|e| FieldError::at(self.name, kind, e.to_string())))
            .transpose()
    }

    /// Takes the string, which the caller has checked with `opt_str`/`req_str`.
    pub fn take_string(&mut self) -> Option<String> {
        match self.value.take() {
            Some(Value::String(s)) => Some(s),
            other => {
                self.value = other;
                None
            }
        }
    }

    /// Takes the string the caller has checked with `req_str`.
    pub fn take_required_string(&mut self) -> String {
        self.take_string().unwrap_or_default()
    }

    /// The unsigned integer, if present; an error if the field holds something else.
    pub fn opt_u64(&self) -> Result<Option<u64>, FieldError> {
        match self.get() {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(other) => Err(FieldError::at(
                self.name,
                ProblemKind::WrongType,
                format!("expected a whole number, found {}", json_type(other)),
            )),
        }
    }

    /// The boolean; an error if it is absent or not a boolean.
    pub fn req_bool(&self) -> Result<bool, FieldError> {
        match self.get() {
            Some(Value::Bool(b)) => Ok(*b),
            None => Err(self.missing()),
            Some(other) => Err(FieldError::at(
                self.name,
                ProblemKind::WrongType,
                format!("expected true or false, found {}", json_type(other)),
            )),
        }
    }
}

/// The named fields of one kind of object, and what was not one of them (`extra`). Implemented by
/// [`field_table!`].
pub(crate) trait FieldTable: Sized {
    /// Names each field, for readers that treat some specially.
    type Key: Copy + PartialEq;

    /// Every field absent.
    fn empty() -> Self;

    /// The field called `name` on the wire, if the table has one.
    fn key(name: &str) -> Option<Self::Key>;

    fn field_mut(&mut self, key: Self::Key) -> &mut Field;

    /// Every field, in table order.
    fn fields(&self) -> impl Iterator<Item = &Field>;

    fn extra_mut(&mut self) -> &mut Map<String, Value>;

    fn extra(&self) -> &Map<String, Value>;

    /// Reads the next key of `map`: a field of this table, or [`Key::Extra`] with its name put in
    /// `name`.
    fn next_key<'de, A: MapAccess<'de>>(
        map: &mut A,
        name: &mut String,
    ) -> Result<Option<Key<Self::Key>>, A::Error> {
        map.next_key_seed(KeySeed::<Self>::new(name))
    }

    /// Reads the value of `key`, the next one in `map`, into its field or, under `name`, into
    /// `extra`. A repeated key keeps its last value, as serde_json's `Value` does.
    fn read_value<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<Self::Key>,
        name: &mut String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            Key::Field(key) => self.field_mut(key).read_value(map),
            Key::Extra => {
                let value = map.next_value()?;
                self.extra_mut().insert(std::mem::take(name), value);
                Ok(())
            }
        }
    }

    /// Reads the rest of a JSON object into this (empty) table. Filled in place: tables are large
    /// enough that moving them shows in the parse benchmark.
    fn read<'de, A: MapAccess<'de>>(&mut self, mut map: A) -> Result<(), A::Error> {
        let mut name = String::new();
        while let Some(key) = Self::next_key(&mut map, &mut name)? {
            self.read_value(key, &mut name, &mut map)?;
        }
        Ok(())
    }

    /// Like [`Self::read`], but reads the value of field `special` as a `T` of its own instead of
    /// keeping it in the table.
    fn read_with<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
        &mut self,
        mut map: A,
        special: Self::Key,
    ) -> Result<Option<T>, A::Error> {
        let mut value = None;
        let mut name = String::new();
        while let Some(key) = Self::next_key(&mut map, &mut name)? {
            match key {
                Key::Field(key) if key == special => value = Some(map.next_value()?),
                other => self.read_value(other, &mut name, &mut map)?,
            }
        }
        Ok(value)
    }

    /// Splits an object that was read as a whole.
    fn from_map(map: Map<String, Value>) -> Self {
        let mut table = Self::empty();
        for (name, value) in map {
            match Self::key(&name) {
                Some(key) => table.field_mut(key).set(value),
                None => {
                    table.extra_mut().insert(name, value);
                }
            }
        }
        table
    }

    /// What was not taken: the unknown fields and the known ones this variant does not use.
    fn take_rest(&mut self) -> Map<String, Value>;

    /// Whether the object had no fields at all.
    fn is_empty(&self) -> bool {
        self.extra().is_empty() && self.fields().all(|field| field.get().is_none())
    }
}

/// Declares the field table of one kind of object: `Table, Key { field, Variant: "wire name", … }`
/// gives `struct Table { field: Field, …, extra }` and `enum Key { Variant, … }`.
macro_rules! field_table {
    (
        $(#[$meta:meta])*
        $table:ident, $key:ident { $( $field:ident, $variant:ident: $wire:literal, )+ }
    ) => {
        $(#[$meta])*
        pub(crate) struct $table {
            $( pub $field: $crate::wire::field_table::Field, )+
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        #[doc = concat!("Names a field of [`", stringify!($table), "`].")]
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub(crate) enum $key {
            $( $variant, )+
        }

        impl $crate::wire::field_table::FieldTable for $table {
            type Key = $key;

            fn empty() -> Self {
                Self {
                    $( $field: $crate::wire::field_table::Field::new($wire), )+
                    extra: ::serde_json::Map::new(),
                }
            }

            fn key(name: &str) -> Option<$key> {
                match name {
                    $( $wire => Some($key::$variant), )+
                    _ => None,
                }
            }

            fn field_mut(&mut self, key: $key) -> &mut $crate::wire::field_table::Field {
                match key {
                    $( $key::$variant => &mut self.$field, )+
                }
            }

            fn fields(&self) -> impl Iterator<Item = &$crate::wire::field_table::Field> {
                [$( &self.$field ),+].into_iter()
            }

            fn take_rest(&mut self) -> ::serde_json::Map<String, ::serde_json::Value> {
                // Field by field, unrolled: only a field still holding a value is written to.
                let mut map = ::std::mem::take(&mut self.extra);
                $(
                    if let Some(value) = self.$field.take_left() {
                        map.insert(self.$field.name().to_owned(), value);
                    }
                )+
                map
            }

            fn extra_mut(&mut self) -> &mut ::serde_json::Map<String, ::serde_json::Value> {
                &mut self.extra
            }

            fn extra(&self) -> &::serde_json::Map<String, ::serde_json::Value> {
                &self.extra
            }
        }
    };
}

pub(crate) use field_table;

/// An object key as read: one of the table's fields, or an unknown one (kept in `extra`; its name is
/// handed back separately, so a key fits in a register).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key<K> {
    Field(K),
    Extra,
}

/// Reads an object key without allocating when it names a field of `T`; an unknown name is put in
/// the borrowed string.
struct KeySeed<'a, T> {
    name: &'a mut String,
    table: PhantomData<T>,
}

impl<'a, T> KeySeed<'a, T> {
    fn new(name: &'a mut String) -> Self {
        Self {
            name,
            table: PhantomData,
        }
    }
}

impl<'de, T: FieldTable> DeserializeSeed<'de> for KeySeed<'_, T> {
    type Value = Key<T::Key>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: FieldTable> Visitor<'de> for KeySeed<'_, T> {
    type Value = Key<T::Key>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(match T::key(name) {
            Some(key) => Key::Field(key),
            None => {
                name.clone_into(self.name);
                Key::Extra
            }
        })
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(match T::key(&name) {
            Some(key) => Key::Field(key),
            None => {
                *self.name = name;
                Key::Extra
            }
        })
    }
}

/// Reads any JSON value straight into a field, as serde_json's `Value` reads it. Not going through
/// a returned `Value` saves a copy of every field value (which the CPU pays for in stalls).
struct ValueInto<'a>(&'a mut Option<Value>);

impl ValueInto<'_> {
    fn put<E>(self, value: Value) -> Result<(), E> {
        *self.0 = Some(value);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ValueInto<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.put(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.put(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.put(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.put(Value::deserialize(de::value::I128Deserializer::<E>::new(
            v,
        ))?)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.put(Value::deserialize(de::value::U128Deserializer::<E>::new(
            v,
        ))?)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.put(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.put(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.put(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.put(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.put(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.put(Value::deserialize(de::value::SeqAccessDeserializer::new(
            seq,
        ))?)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.put(Value::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserializer;
    use serde_json::json;

    field_table! {
        /// A table for the tests.
        TestFields, TestKey {
            a, A: "a",
        }
    }

    struct Read(TestFields);

    impl<'de> Deserialize<'de> for Read {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Read;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Read, A::Error> {
                    let mut fields = TestFields::empty();
                    fields.read(map)?;
                    Ok(Read(fields))
                }
            }
            deserializer.deserialize_map(V)
        }
    }

    #[test]
    fn field_values_are_read_as_serde_json_reads_them() {
        for value in [
            json!(null),
            json!(true),
            json!(-3),
            json!(18_446_744_073_709_551_615_u64),
            json!(1.5),
            json!("s\u{e9}\n"),
            json!([1, "x", {"y": null}]),
            json!({"b": [], "c": {"d": 2}}),
        ] {
            // A repeated key keeps its last value.
            let text = format!(r#"{{"a": 0, "z": {value}, "a": {value}}}"#);
            let object = json!({"z": value.clone(), "a": value.clone()});
            for Read(mut fields) in [
                serde_json::from_str(&text).unwrap(),
                serde_json::from_value(object).unwrap(),
            ] {
                assert_eq!(fields.a.get(), Some(&value));
                let rest = fields.take_rest();
                assert_eq!(rest.get("z"), Some(&value));
                assert_eq!(rest.get("a"), Some(&value));
                assert_eq!(rest.len(), 2);
            }
        }
    }
}
