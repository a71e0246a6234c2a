//! The shared shape of the string types that are checked when made (ids, URLs, colours): a `parse`
//! the type defines, and the conversions, serde and schema impls this macro writes around it.

/// Writes the impls of a `struct $name(Box<str>)` whose `parse` returns `Result<Self, $error>`:
/// `as_str`, `Display`, `Debug`, `AsRef<str>`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>`,
/// `PartialEq<str>`, serde as a plain string (checked when read) and a string JSON Schema.
macro_rules! checked_string {
    ($name:ident, error = $error:ty, schema = { $($schema:tt)* }) => {
        impl $name {
            /// A literal the `cui!` macro has checked with the same rules at compile time.
            #[allow(dead_code)] // only the types `cui!` takes literals of use it
            pub(crate) fn from_checked(literal: &'static str) -> Self {
                Self(literal.into())
            }

            /// The text as written on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $error;
            fn from_str(s: &str) -> Result<Self, $error> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $error;
            fn try_from(s: &str) -> Result<Self, $error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(s: String) -> Result<Self, $error> {
                Self::parse(s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0.into()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Self::parse(<String as ::serde::Deserialize>::deserialize(deserializer)?).map_err(::serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ $($schema)* })
            }
        }
    };
}

pub(crate) use checked_string;
