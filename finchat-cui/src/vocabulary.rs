//! The closed word lists of the format (`status`, `opentype`, `version`, card `type`, submission `action`),
//! each an enum that also keeps a word it does not know, so received content round-trips.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A word this library does not know, kept as received. It cannot be built by hand, so content built
/// in Rust only ever holds the documented words.
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownWord(Box<str>);

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
            _Unknown(UnknownWord),
        }

        impl $name {
            /// Every documented value, in the order the format lists them.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::_Unknown(word) => &word.0,
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
                    other => Self::_Unknown(UnknownWord(other.into())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            type Err = UnknownWordError;

            /// Accepts only the documented values, so content built in Rust cannot hold another.
            fn from_str(s: &str) -> Result<Self, UnknownWordError> {
                match Self::from_wire(s) {
                    Self::_Unknown(_) => Err(UnknownWordError {
                        what: stringify!($name),
                        input: s.to_owned(),
                        known: Self::KNOWN,
                    }),
                    known => Ok(known),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = Cow::<str>::deserialize(deserializer)?;
                Ok(Self::from_wire(&s))
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let description = [$($doc),*].map(str::trim).join(" ");
                schemars::json_schema!({
                    "type": "string",
                    "description": description,
                    "enum": [$($wire),+],
                })
            }
        }
    };
}

word_list! {
    /// The state of a card (`info.status`) or of a reply button: whether the user can act on it.
    Status {
        /// `input`: the user can fill the card in and press its buttons.
        Input = "input",
        /// `loading`: the app is processing; the card is shown as busy.
        Loading = "loading",
        /// `disable`: read-only, for instance after it was handled.
        Disable = "disable",
    }
}

word_list! {
    /// How a text card's link opens (`info.opentype`).
    OpenType {
        /// `inapp`: inside FinChat.
        InApp = "inapp",
        /// `inbrowser`: in the system browser.
        InBrowser = "inbrowser",
    }
}

word_list! {
    /// The CUI protocol version (`version` of an `m.cui` message).
    Version {
        /// `0.1.0`, the only published version.
        V0_1_0 = "0.1.0",
    }
}

word_list! {
    /// The kind of a CUI card (`info.type`).
    CardType {
        /// `form`, the only published kind.
        Form = "form",
    }
}

word_list! {
    /// What a user did to a card (`content.action` of a `finstore.room.interactcui` event).
    Action {
        /// `submit`: a submit or reply button was pressed.
        Submit = "submit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
