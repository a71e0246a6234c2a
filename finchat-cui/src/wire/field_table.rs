//! A JSON object read into a table of named fields plus the fields nobody asked for (kept, never
//! dropped), checked without being consumed and taken out once every check has passed.
//!
//! Each object the crate reads has its own table, declared with [`field_table!`]: a struct with one
//! [`Field`] per wire name (`fields.status.req_str()`), and a key enum naming the fields a reader
//! treats specially while streaming (`CardKey::Elements`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, MapAccess, Visitor};
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

    /// Takes whatever the field holds.
    pub fn take(&mut self) -> Option<Value> {
        self.value.take()
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

    /// Every field, in table order.
    fn fields_mut(&mut self) -> impl Iterator<Item = &mut Field>;

    fn extra_mut(&mut self) -> &mut Map<String, Value>;

    fn extra(&self) -> &Map<String, Value>;

    /// Files `value` under its field, or in `extra` when it is not one.
    fn insert(&mut self, key: Key<Self::Key>, value: Value) {
        match key {
            Key::Field(key) => self.field_mut(key).set(value),
            Key::Extra(name) => {
                self.extra_mut().insert(name, value);
            }
        }
    }

    /// Reads the value of `key`, the next one in `map`, into its field or into `extra`. A repeated key
    /// keeps its last value, as serde_json's `Value` does.
    fn read_value<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<Self::Key>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.insert(key, map.next_value()?);
        Ok(())
    }

    /// Reads the rest of a JSON object into this (empty) table. Filled in place: tables are large
    /// enough that moving them shows in the parse benchmark.
    fn read<'de, A: MapAccess<'de>>(&mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed::<Self>::new())? {
            self.read_value(key, &mut map)?;
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
        while let Some(key) = map.next_key_seed(KeySeed::<Self>::new())? {
            match key {
                Key::Field(key) if key == special => value = Some(map.next_value()?),
                other => self.read_value(other, &mut map)?,
            }
        }
        Ok(value)
    }

    /// Splits an object that was read as a whole.
    fn from_map(map: Map<String, Value>) -> Self {
        let mut table = Self::empty();
        for (name, value) in map {
            let key = match Self::key(&name) {
                Some(key) => Key::Field(key),
                None => Key::Extra(name),
            };
            table.insert(key, value);
        }
        table
    }

    /// What was not taken: the unknown fields and the known ones this variant does not use.
    fn take_rest(&mut self) -> Map<String, Value> {
        let mut map = std::mem::take(self.extra_mut());
        for field in self.fields_mut() {
            if let Some(value) = field.take() {
                map.insert(field.name().to_owned(), value);
            }
        }
        map
    }

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

            fn fields_mut(&mut self) -> impl Iterator<Item = &mut $crate::wire::field_table::Field> {
                [$( &mut self.$field ),+].into_iter()
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

/// An object key as read: one of the table's fields, or an unknown one (kept in `extra`).
pub(crate) enum Key<K> {
    Field(K),
    Extra(String),
}

/// Reads an object key without allocating when it names a field of `T`.
pub(crate) struct KeySeed<T>(PhantomData<T>);

impl<T> KeySeed<T> {
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: FieldTable> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key<T::Key>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: FieldTable> Visitor<'de> for KeySeed<T> {
    type Value = Key<T::Key>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(match T::key(name) {
            Some(key) => Key::Field(key),
            None => Key::Extra(name.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(match T::key(&name) {
            Some(key) => Key::Field(key),
            None => Key::Extra(name),
        })
    }
}
