//! `Color`: a divider's line colour, limited to forms that are safe to put in a style sheet.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a colour this library accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a colour; write `#rgb`, `#rrggbb` (with optional alpha) or a CSS colour name"
)]
pub struct ColorError(String);

/// A CSS colour: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, or a colour name such as `gray`.
///
/// ```
/// let line: finchat_cui::Color = "#666".parse()?;
/// assert_eq!(line.as_str(), "#666");
/// assert!("red; background: url(x)".parse::<finchat_cui::Color>().is_err());
/// # Ok::<(), finchat_cui::ColorError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Color(Box<str>);

impl Color {
    /// Parses and checks `input`.
    pub fn parse(input: impl AsRef<str> + Into<String>) -> Result<Self, ColorError> {
        let s = input.as_ref();
        let ok = match s.strip_prefix('#') {
            Some(hex) => {
                matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
            }
            None => !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphabetic()),
        };
        if ok {
            Ok(Self(input.into().into_boxed_str()))
        } else {
            Err(ColorError(s.to_owned()))
        }
    }

    /// The colour as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl FromStr for Color {
    type Err = ColorError;
    fn from_str(s: &str) -> Result<Self, ColorError> {
        Self::parse(s)
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::parse(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Color {
    fn schema_name() -> Cow<'static, str> {
        "Color".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A CSS colour: #rgb, #rgba, #rrggbb, #rrggbbaa or a colour name.",
            "pattern": "^(#([0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})|[A-Za-z]{1,32})$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_names_pass_and_anything_else_fails() {
        for ok in ["#666", "#e5e5e5", "#e5e5e580", "#fff8", "gray"] {
            assert!(Color::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "#12", "#ggg", "666", "red;", "rgb(1,2,3)", "#1234567"] {
            assert!(Color::parse(bad).is_err(), "{bad}");
        }
    }
}
