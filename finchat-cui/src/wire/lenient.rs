//! Reading a type that is normally a JSON object but keeps any other JSON it is given instead of
//! failing, so received content round-trips.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

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

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Self::from_raw(Value::Array(items)))
    }
}

/// Deserialises an [`ObjectOrRaw`] from any JSON value.
pub(crate) struct LenientVisitor<T>(PhantomData<T>);

impl<T> LenientVisitor<T> {
    pub fn new() -> Self {
        Self(PhantomData)
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

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
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
