//! The typed contents of the room-creation and management events.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// `finstore.room.create`: who created the direct room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomCreated {
    /// The room's creator (the app's bot account).
    pub creator: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `finstore.app.application`: users who asked to use apps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApplicationRequest {
    /// One entry per request.
    pub info: Vec<Application>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// One user's request to use an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Application {
    /// The app.
    pub app_id: String,
    /// The app's name.
    pub app_name: String,
    /// The user.
    pub fcid: String,
    /// The user's name.
    pub username: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

macro_rules! open_words {
    ($(#[$meta:meta])* $name:ident { $($variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", stringify!($variant), "`")]
                $variant,
            )+
            /// A value the documents do not list, kept as it came.
            Other(String),
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => stringify!($variant), )+
                    Self::Other(other) => other,
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
                Ok(match String::deserialize(deserializer)?.as_str() {
                    $( stringify!($variant) => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                })
            }
        }
    };
}

open_words! {
    /// An app's publishing status.
    AppStatus {
        InDevelopment,
        Publishing,
        PublishWithdrawed,
        PublishApproved,
        PublishRejected,
        Published,
        Unpublishing,
        UnpublishApproved,
        UnpublishRejected,
        Unpublished,
    }
}

open_words! {
    /// What was done to an app's publishing status.
    AppOperation {
        SubmitPublishRequest,
        WithdrawPublishRequest,
        Publish,
        ApprovePublishRequest,
        RejectPublishRequest,
        SubmitUnpublishRequest,
        Unpublish,
        ApproveUnpublishRequest,
        RejectUnpublishRequest,
    }
}

/// `finstore.app.status`: an app's publishing status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppStatusChange {
    /// The app.
    pub app_id: String,
    /// The app's name.
    pub app_name: String,
    /// The status before.
    pub from_status: AppStatus,
    /// What was done.
    pub operation: AppOperation,
    /// The status after.
    pub to_status: AppStatus,
    /// The app's developer.
    pub developer_id: String,
    /// The developer's name.
    pub developer_name: String,
    /// Who did it.
    pub operator_id: String,
    /// Their name.
    pub operator_name: String,
    /// Their role: `developer` or `administrator`.
    pub operator_role: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `finstore.app.visibility`: who may see an app changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VisibilityChange {
    /// The app.
    pub app_id: String,
    /// The app's name.
    pub app_name: String,
    /// The administrator who changed it.
    pub administrator_id: String,
    /// Their name.
    pub administrator_name: String,
    /// Users who may now see the app.
    pub added_fcids: Vec<String>,
    /// Users who no longer may.
    pub removed_fcids: Vec<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `observe.message.sensitivity`: a message hit a sensitive word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SensitiveWord {
    /// Who sent the message.
    pub sender_id: String,
    /// Their name.
    pub sender_name: String,
    /// The room.
    pub room_id: String,
    /// The room's name.
    pub room_name: String,
    /// When it was sent, in milliseconds.
    pub timestamp: i64,
    /// The message's text.
    pub body: String,
    /// The word it hit.
    pub sensitive_word: String,
    /// What was done about it.
    pub disposal: String,
    /// Who is told.
    pub receivers: Vec<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}
