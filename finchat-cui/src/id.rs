//! Validated identifiers: user ids (`@local:server`), room ids, event ids and `mxc://` media URIs.

use finchat_cui_rules::{check_mxc, check_sigil_id};

use crate::checked_string::checked_string;

/// Why a string is not a valid identifier.
///
/// The message quotes the input and says what the identifier should look like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} `{input}` {problem}; expected {shape}")]
pub struct IdError {
    what: &'static str,
    input: String,
    problem: &'static str,
    shape: &'static str,
}

impl IdError {
    fn new(what: &'static str, shape: &'static str, input: &str, problem: &'static str) -> Self {
        Self {
            what,
            input: input.to_owned(),
            problem,
            shape,
        }
    }

    /// The rejected input.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong with it, e.g. ``"does not start with `@`"``.
    pub fn problem(&self) -> &'static str {
        self.problem
    }
}

macro_rules! string_id {
    (
        $(#[$meta:meta])*
        $name:ident, what = $what:literal, shape = $shape:literal, pattern = $pattern:literal,
        check = $check:expr
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Box<str>);

        impl $name {
            /// Parses and validates `input`.
            ///
            /// # Errors
            ///
            /// An [`IdError`] saying what is wrong ([`IdError::problem`], e.g. a missing sigil,
            /// `:server` part or media id) when `input` does not have this identifier's shape.
            pub fn parse(input: impl AsRef<str> + Into<String>) -> Result<Self, IdError> {
                let check: fn(&str) -> Result<(), &'static str> = $check;
                match check(input.as_ref()) {
                    Ok(()) => Ok(Self(input.into().into_boxed_str())),
                    Err(problem) => Err(IdError::new($what, $shape, input.as_ref(), problem)),
                }
            }
        }

        checked_string!($name, error = IdError, schema = {
            "type": "string",
            "description": concat!("The ", $what, ": ", $shape, "."),
            "pattern": $pattern,
        });
    };
}

string_id! {
    /// A FinChat user id (fcid), `@local:server`, e.g. `@alice:example.org`.
    ///
    /// ```
    /// let alice: finchat_cui::Fcid = "@alice:example.org".parse()?;
    /// assert_eq!(alice.server_name(), "example.org");
    /// assert!("alice".parse::<finchat_cui::Fcid>().is_err());
    /// # Ok::<(), finchat_cui::IdError>(())
    /// ```
    Fcid, what = "fcid", shape = "`@local:server`, e.g. `@alice:example.org`",
    pattern = "^@[^:]+:[^\\s/?#@]+$",
    check = |s| check_sigil_id(s, '@')
}

string_id! {
    /// A room id, `!opaque:server`, e.g. `!jEsUZKDJdhlrceRyVU:example.org`.
    ///
    /// ```
    /// let room: finchat_cui::RoomId = "!jEsUZKDJdhlrceRyVU:example.org".parse()?;
    /// assert_eq!(room.server_name(), "example.org");
    /// # Ok::<(), finchat_cui::IdError>(())
    /// ```
    RoomId, what = "room id", shape = "`!opaque:server`, e.g. `!abc123:example.org`",
    pattern = "^![^:]+:[^\\s/?#@]+$",
    check = |s| check_sigil_id(s, '!')
}

string_id! {
    /// An event id, `$opaque:server`, e.g. `$143273582443PhrSn:example.org`.
    ///
    /// ```
    /// let event: finchat_cui::EventId = "$143273582443PhrSn:example.org".parse()?;
    /// assert_eq!(event.server_name(), "example.org");
    /// # Ok::<(), finchat_cui::IdError>(())
    /// ```
    EventId, what = "event id", shape = "`$opaque:server`, e.g. `$abc123:example.org`",
    pattern = "^\\$[^:]+:[^\\s/?#@]+$",
    check = |s| check_sigil_id(s, '$')
}

string_id! {
    /// A media URI, `mxc://server/media-id`, as returned by the media upload API.
    ///
    /// ```
    /// let uri: finchat_cui::MxcUri = "mxc://example.org/AQwafuaFswefuhsfAFAgsw".parse()?;
    /// assert_eq!(uri.server_name(), "example.org");
    /// assert_eq!(uri.media_id(), "AQwafuaFswefuhsfAFAgsw");
    /// # Ok::<(), finchat_cui::IdError>(())
    /// ```
    MxcUri, what = "media URI", shape = "`mxc://server/media-id`",
    pattern = "^mxc://[^\\s/?#@]+/[A-Za-z0-9_-]+$",
    check = |s| check_mxc(s).map(|_| ())
}

macro_rules! server_name_after_colon {
    ($($name:ident),*) => {$(
        impl $name {
            /// The server part, after the first `:`.
            pub fn server_name(&self) -> &str {
                self.0.split_once(':').map_or("", |(_, server)| server)
            }

            /// The part between the sigil and the `:`.
            pub fn localpart(&self) -> &str {
                self.0[1..].split_once(':').map_or("", |(local, _)| local)
            }
        }
    )*};
}

server_name_after_colon!(Fcid, RoomId, EventId);

impl MxcUri {
    /// The server that stores the media.
    pub fn server_name(&self) -> &str {
        let end = check_mxc(&self.0).unwrap_or("mxc://".len());
        &self.0["mxc://".len()..end]
    }

    /// The media id, after the server name.
    pub fn media_id(&self) -> &str {
        let end = check_mxc(&self.0).unwrap_or(self.0.len());
        self.0.get(end + 1..).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_the_documented_samples() {
        assert!(Fcid::parse("@test001:dev.finogeeks.club").is_ok());
        assert!(RoomId::parse("!112321588723954859:example.org").is_ok());
        assert!(EventId::parse("$22222222:dev.finogeeks.club").is_ok());
        assert!(Fcid::parse("@alice:localhost:8008").is_ok());
    }

    #[test]
    fn id_errors_say_what_is_wrong() {
        let err = Fcid::parse("alice:example.org").unwrap_err();
        assert_eq!(
            err.to_string(),
            "fcid `alice:example.org` does not start with `@`; expected `@local:server`, e.g. `@alice:example.org`"
        );
        assert_eq!(
            RoomId::parse("!abc").unwrap_err().problem(),
            "has no `:server` part"
        );
        assert_eq!(
            EventId::parse("$:x").unwrap_err().problem(),
            "has an empty part before `:`"
        );
        assert_eq!(
            Fcid::parse("@a:").unwrap_err().problem(),
            "has an empty server name"
        );
        assert_eq!(
            Fcid::parse("@bb.example.com").unwrap_err().problem(),
            "has no `:server` part"
        );
    }

    #[test]
    fn mxc_uri_has_server_and_media_id() {
        let uri = MxcUri::parse(
            "mxc://dev.finogeeks.club/6465762e66696e6f6765656b732e636c75625e816df2881cef00012a43ed",
        )
        .unwrap();
        assert_eq!(uri.server_name(), "dev.finogeeks.club");
        assert_eq!(
            uri.media_id(),
            "6465762e66696e6f6765656b732e636c75625e816df2881cef00012a43ed"
        );
    }

    #[test]
    fn mxc_uri_errors_say_what_is_wrong() {
        let problem = |s: &str| MxcUri::parse(s).unwrap_err().problem();
        assert_eq!(problem("https://x/y"), "does not start with `mxc://`");
        assert_eq!(problem("mxc://example.org"), "has no `/media-id` part");
        assert_eq!(problem("mxc://example.org/"), "has an empty media id");
        assert_eq!(problem("mxc:///abc"), "has an empty server name");
        assert_eq!(
            problem("mxc://example.org/a/b"),
            "has a media id with characters other than `A-Z a-z 0-9 _ -`"
        );
    }

    #[test]
    fn ids_serialize_as_plain_strings_and_validate_on_deserialize() {
        let id = Fcid::parse("@a:b").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""@a:b""#);
        let err = serde_json::from_str::<Fcid>(r#""a:b""#).unwrap_err();
        assert!(err.to_string().contains("does not start with `@`"), "{err}");
    }
}
