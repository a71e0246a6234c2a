//! The `errcode`s of the FinChat open API (every version of the documents), with a fallback that keeps
//! a code this library does not know.

use std::fmt;

macro_rules! fc_codes {
    ($( $(#[$meta:meta])* $variant:ident = $wire:literal, )+) => {
        /// An `errcode` of the FinChat open API.
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FcCode {
            $( $(#[$meta])* $variant, )+
            /// A code the documents do not list, kept as it came.
            Other(String),
        }

        impl FcCode {
            /// Every documented code.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// Reads an `errcode`.
            pub fn parse(code: &str) -> Self {
                match code {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The code as written on the wire, e.g. `FC_ROOM_NOT_FOUND`.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(code) => code,
                }
            }
        }
    };
}

fc_codes! {
    /// `FC_BAD_JSON`: the request's parameters are wrong.
    BadJson = "FC_BAD_JSON",
    /// `FC_APP_NOT_FOUND`: no such app.
    AppNotFound = "FC_APP_NOT_FOUND",
    /// `FC_APP_NOT_PUBLISHED`: the app is not published.
    AppNotPublished = "FC_APP_NOT_PUBLISHED",
    /// `FC_INVALID_SECRET`: wrong secret.
    InvalidSecret = "FC_INVALID_SECRET",
    /// `FC_INVALID_ACCESS_TOKEN`: wrong or expired app access token.
    InvalidAccessToken = "FC_INVALID_ACCESS_TOKEN",
    /// `FC_MESSAGE_FCID_LIMIT_EXCEEDED`: too many fcids in one send.
    MessageFcidLimitExceeded = "FC_MESSAGE_FCID_LIMIT_EXCEEDED",
    /// `FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED`: too many rooms in one send.
    MessageRoomIdLimitExceeded = "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED",
    /// `FC_ROOM_NOT_FOUND`: no such room.
    RoomNotFound = "FC_ROOM_NOT_FOUND",
    /// `FC_ROOM_IS_NOT_FEDERATE`: the room does not allow other servers.
    RoomIsNotFederate = "FC_ROOM_IS_NOT_FEDERATE",
    /// `FC_FCID_NOT_FOUND`: no such user.
    FcidNotFound = "FC_FCID_NOT_FOUND",
    /// `FC_FCID_ALREADY_IN_ROOM`: the user is in the room already.
    FcidAlreadyInRoom = "FC_FCID_ALREADY_IN_ROOM",
    /// `FC_FCID_NOT_IN_ROOM`: the user is not in the room.
    FcidNotInRoom = "FC_FCID_NOT_IN_ROOM",
    /// `FC_NOT_FOUND`: no such resource.
    NotFound = "FC_NOT_FOUND",
    /// `FC_FORBIDDEN`: the app may not do this.
    Forbidden = "FC_FORBIDDEN",
    /// `FC_INTERNAL_ERROR`: the server failed.
    InternalError = "FC_INTERNAL_ERROR",
    /// `FC_UNKNOWN`: unknown; the HTTP status says more.
    Unknown = "FC_UNKNOWN",
}

impl FcCode {
    /// Whether this is one of the "too many targets in one send" codes.
    pub fn is_limit_exceeded(&self) -> bool {
        matches!(
            self,
            Self::MessageFcidLimitExceeded | Self::MessageRoomIdLimitExceeded
        )
    }
}

impl fmt::Display for FcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for FcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for FcCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_reads_and_writes_back() {
        for code in FcCode::KNOWN {
            let parsed = FcCode::parse(code);
            assert!(!matches!(parsed, FcCode::Other(_)), "{code}");
            assert_eq!(parsed.as_str(), *code);
        }
        assert_eq!(FcCode::KNOWN.len(), 16);
        assert_eq!(
            FcCode::parse("FC_NEW_THING"),
            FcCode::Other("FC_NEW_THING".into())
        );
    }
}
