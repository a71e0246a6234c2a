//! Forgiving readers for GoBelieve's answers, whose document writes every value as a string: ids
//! and counts come as numbers or numeric strings, flags as booleans, `0`/`1` or their strings.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A number or a numeric string, as `u64`.
pub(crate) fn u64_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    to_u64(&value)
        .ok_or_else(|| serde::de::Error::custom(format!("`{value}` is not a non-negative integer")))
}

/// As [`u64_lenient`], where the field may be missing or `null`.
pub(crate) fn opt_u64_lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(value) => to_u64(&value).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!("`{value}` is not a non-negative integer"))
        }),
    }
}

/// A string, or a number written in decimal; missing or `null` is `None`.
pub(crate) fn opt_string_lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// A flag: `true`/`false`, `1`/`0`, or those as strings; missing or `null` is `None`.
pub(crate) fn opt_bool_lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    let flag = match &value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => match to_u64(other) {
            Some(0) => Some(false),
            Some(_) => Some(true),
            None => match other.as_str() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
        },
    };
    flag.map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!("`{}` is not a flag", value.unwrap_or_default()))
    })
}

fn to_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "super::u64_lenient")]
        id: u64,
        #[serde(default, deserialize_with = "super::opt_bool_lenient")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::opt_string_lenient")]
        name: Option<String>,
    }

    #[test]
    fn numbers_and_flags_are_read_from_numbers_strings_and_booleans() {
        let read = |v| serde_json::from_value::<Sample>(v).unwrap();
        let a = read(json!({"id": "12", "flag": 1, "name": 7}));
        assert_eq!(
            (a.id, a.flag, a.name.as_deref()),
            (12, Some(true), Some("7"))
        );
        let b = read(json!({"id": 12, "flag": "0"}));
        assert_eq!((b.id, b.flag, b.name), (12, Some(false), None));
        assert!(serde_json::from_value::<Sample>(json!({"id": "x"})).is_err());
    }
}
