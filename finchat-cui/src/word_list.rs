//! [`word_list!`], which declares a closed word list of the format (`status`, `opentype`, `version`,
//! card `type`, submission `action`) as an enum that also keeps a word it does not know, so received
//! content round-trips. Each list is declared beside the type that owns it.

use std::fmt;

/// A word this library does not know, kept as received. It cannot be built by hand, so content built
/// in Rust only ever holds the documented words.
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownWord(Box<str>);

impl UnknownWord {
    pub(crate) fn new(word: &str) -> Self {
        Self(word.into())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// A word that is not one of the documented values of a list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{input}`; expected one of: {}", known.join(", "))]
pub struct UnknownWordError {
    what: &'static str,
    input: String,
    known: &'static [&'static str],
}

impl UnknownWordError {
    pub(crate) fn new(what: &'static str, input: &str, known: &'static [&'static str]) -> Self {
        Self {
            what,
            input: input.to_owned(),
            known,
        }
    }
}

macro_rules! word_list {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value the published format does not define, kept as received.
            #[doc(hidden)]
            _Unknown($crate::word_list::UnknownWord),
        }

        impl $name {
            /// Every documented value, in the order the format lists them.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::_Unknown(word) => word.as_str(),
                }
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::_Unknown(_))
            }

            /// Reads a received value; an undocumented one is kept as it is.
            pub(crate) fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::_Unknown($crate::word_list::UnknownWord::new(other)),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::_Unknown(word) => write!(f, "{}::Unknown({:?})", stringify!($name), word),
                    known => f.write_str(match known {
                        $( Self::$variant => stringify!($variant), )+
                        Self::_Unknown(_) => unreachable!(),
                    }),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::word_list::UnknownWordError;

            /// Accepts only the documented values, so content built in Rust cannot hold another.
            fn from_str(s: &str) -> Result<Self, $crate::word_list::UnknownWordError> {
                match Self::from_wire(s) {
                    Self::_Unknown(_) => Err($crate::word_list::UnknownWordError::new(
                        stringify!($name),
                        s,
                        Self::KNOWN,
                    )),
                    known => Ok(known),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&s))
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let description = [$($doc),*].map(str::trim).join(" ");
                ::schemars::json_schema!({
                    "type": "string",
                    "description": description,
                    "enum": [$($wire),+],
                })
            }
        }
    };
}

pub(crate) use word_list;

#[cfg(test)]
mod tests {
    use crate::{OpenType, Status, Version};

    #[test]
    fn unknown_words_are_kept_and_flagged() {
        let status: Status = serde_json::from_str(r#""xxx""#).unwrap();
        assert!(!status.is_known());
        assert_eq!(status.as_str(), "xxx");
        assert_eq!(serde_json::to_string(&status).unwrap(), r#""xxx""#);
        assert_eq!(format!("{status:?}"), r#"Status::Unknown("xxx")"#);
    }

    #[test]
    fn known_words_read_and_write_exactly() {
        for word in Status::KNOWN {
            let status = Status::from_wire(word);
            assert!(status.is_known());
            assert_eq!(status.as_str(), *word);
        }
        assert_eq!(OpenType::from_wire("inbrowser"), OpenType::InBrowser);
        assert_eq!(Version::V0_1_0.as_str(), "0.1.0");
    }

    #[test]
    fn the_macro_checks_the_same_words() {
        assert_eq!(Status::KNOWN, finchat_cui_rules::STATUSES);
        assert_eq!(OpenType::KNOWN, finchat_cui_rules::OPENTYPES);
    }

    #[test]
    fn parsing_accepts_only_documented_words() {
        assert_eq!("disable".parse::<Status>(), Ok(Status::Disable));
        let err = "xxx".parse::<Status>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown Status `xxx`; expected one of: input, loading, disable"
        );
    }

    #[test]
    #[cfg(feature = "schema")]
    fn schema_lists_the_documented_values_with_the_doc_comment() {
        let schema = schemars::schema_for!(Status);
        let value = serde_json::to_value(&schema).unwrap();
        assert_eq!(
            value["enum"],
            serde_json::json!(["input", "loading", "disable"])
        );
        assert!(
            value["description"]
                .as_str()
                .unwrap()
                .starts_with("The state of a card"),
            "{value}"
        );
    }
}
