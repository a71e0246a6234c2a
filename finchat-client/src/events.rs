//! The events FinChat pushes to an app (callback bodies and polled events), typed by their `type`:
//! messages, card submissions, room creation, webhooks, the management events, the test event, and
//! any other type kept whole. Every field that arrives is kept, so an event serialises back unchanged.

mod content;
mod search;

pub use content::{
    AppOperation, AppStatus, AppStatusChange, Application, ApplicationRequest, RoomCreated,
    SensitiveWord, VisibilityChange,
};
pub use search::{
    SearchEvent, SearchQuery, SearchRequest, SearchResponse, SearchResult, SearchResults,
};

use finchat_cui::{CuiForm, EventId, Fcid, FormErrors, MessageContent, RoomId, Submission};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Secret;

/// The body FinChat PUTs to the app's callback: the app, the verification token, and the event.
/// Older servers send no `app_id`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Callback {
    /// The app the event is for; absent from older servers.
    pub app_id: Option<String>,
    /// The token the app configured, to check the push comes from FinChat.
    pub token: Secret,
    /// The event.
    pub event: Event,
    extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for Callback {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        let token = take_string(&mut map, "token")
            .ok_or_else(|| D::Error::custom("a callback needs a string `token`"))?;
        let event = map
            .remove("event")
            .ok_or_else(|| D::Error::custom("a callback needs an `event`"))?;
        Ok(Callback {
            app_id: take_string(&mut map, "app_id"),
            token: Secret::new(token),
            event: Event::deserialize(event).map_err(D::Error::custom)?,
            extra: map,
        })
    }
}

impl Serialize for Callback {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_push(
            serializer,
            self.app_id.as_deref(),
            &self.token,
            &self.event,
            &self.extra,
        )
    }
}

/// A pushed body as it came: `app_id` (when there was one), `token`, `event`, then the fields this
/// library does not know. Callbacks and shortcut searches share it.
pub(crate) fn serialize_push<S: Serializer>(
    serializer: S,
    app_id: Option<&str>,
    token: &Secret,
    event: &impl Serialize,
    extra: &Map<String, Value>,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    if let Some(app_id) = app_id {
        map.serialize_entry("app_id", app_id)?;
    }
    map.serialize_entry("token", token.expose())?;
    map.serialize_entry("event", event)?;
    for (key, value) in extra {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// The kind of room an event happened in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomType {
    /// `direct_room`: the user and the app's bot.
    Direct,
    /// `multi_room`: a group room.
    Multi,
    /// Another value, kept as it came.
    Other(String),
}

impl Serialize for RoomType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Self::Direct => "direct_room",
            Self::Multi => "multi_room",
            Self::Other(other) => other,
        })
    }
}

impl<'de> Deserialize<'de> for RoomType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match String::deserialize(deserializer)?.as_str() {
            "direct_room" => Self::Direct,
            "multi_room" => Self::Multi,
            other => Self::Other(other.to_owned()),
        })
    }
}

/// An event: its envelope and its typed content.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event's id; the key to de-duplicate redeliveries by.
    pub event_id: String,
    /// When it happened, in milliseconds since the epoch.
    pub timestamp: i64,
    /// Who caused it (`""` for some system events).
    pub sender: String,
    /// The room it happened in (see [`Event::room`] for it as a `RoomId`).
    pub room_id: Option<String>,
    /// The kind of that room.
    pub room_type: Option<RoomType>,
    /// For the "all messages of all rooms" subscription: who received the message.
    pub receivers: Option<Vec<String>>,
    /// For a card submission: the card's event id (see [`Event::origin`]).
    pub origin_event: Option<String>,
    /// For a webhook event: the webhook's id.
    pub webhook_id: Option<String>,
    /// The user concerned (the direct room's user; `""` in group rooms).
    pub fcid: Option<String>,
    /// Extension data.
    pub unsigned: Option<Value>,
    /// The typed content.
    pub content: EventContent,
    /// Which envelope fields came, so an event is written back as it came.
    present: Present,
    extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Present {
    event_id: bool,
    timestamp: bool,
    sender: bool,
    content: bool,
}

/// The content of an event, by its `type`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventContent {
    /// `m.room.message`: a message in a room (text, @-mention, card, image, file, …).
    Message(MessageContent),
    /// `finstore.room.interactcui`: a user submitted a card.
    Submission(Submission),
    /// `finstore.room.create`: a user's direct room with the app's bot was created.
    RoomCreated(RoomCreated),
    /// `finstore.app.webhook`: what the website behind a webhook pushed, as it came.
    Webhook(Value),
    /// `finstore.app.application`: users asked to use an app (management app only).
    Application(ApplicationRequest),
    /// `finstore.app.status`: an app's publishing status changed (management app only).
    AppStatus(AppStatusChange),
    /// `finstore.app.visibility`: who may see an app changed (management app only).
    Visibility(VisibilityChange),
    /// `observe.message.sensitivity`: a message hit a sensitive word (management app only).
    Sensitivity(SensitiveWord),
    /// `finstore.test.event`: the test push from the admin console.
    Test(MessageContent),
    /// Any other type, or a known one whose content does not fit: its type and content as they came.
    Other {
        /// The event's `type`.
        event_type: String,
        /// The content as it came.
        content: Value,
    },
}

impl EventContent {
    /// The wire `type` of the event.
    pub fn event_type(&self) -> &str {
        match self {
            Self::Message(_) => "m.room.message",
            Self::Submission(_) => "finstore.room.interactcui",
            Self::RoomCreated(_) => "finstore.room.create",
            Self::Webhook(_) => "finstore.app.webhook",
            Self::Application(_) => "finstore.app.application",
            Self::AppStatus(_) => "finstore.app.status",
            Self::Visibility(_) => "finstore.app.visibility",
            Self::Sensitivity(_) => "observe.message.sensitivity",
            Self::Test(_) => "finstore.test.event",
            Self::Other { event_type, .. } => event_type,
        }
    }

    /// Reads `content` as the content of an event of type `event_type`.
    fn read(event_type: &str, content: Value) -> Self {
        fn typed<T: serde::de::DeserializeOwned>(
            content: &Value,
            wrap: fn(T) -> EventContent,
        ) -> Option<EventContent> {
            T::deserialize(content).ok().map(wrap)
        }
        let read = match event_type {
            "m.room.message" => typed(&content, Self::Message),
            "finstore.room.interactcui" => {
                return match Submission::from_value(content) {
                    Ok(submission) => Self::Submission(submission),
                    Err(content) => Self::Other {
                        event_type: event_type.to_owned(),
                        content,
                    },
                };
            }
            "finstore.room.create" => typed(&content, Self::RoomCreated),
            "finstore.app.webhook" => return Self::Webhook(content),
            "finstore.app.application" => typed(&content, Self::Application),
            "finstore.app.status" => typed(&content, Self::AppStatus),
            "finstore.app.visibility" => typed(&content, Self::Visibility),
            "observe.message.sensitivity" => typed(&content, Self::Sensitivity),
            "finstore.test.event" => typed(&content, Self::Test),
            _ => None,
        };
        read.unwrap_or(Self::Other {
            event_type: event_type.to_owned(),
            content,
        })
    }

    fn to_value(&self) -> Result<Value, serde_json::Error> {
        match self {
            Self::Message(c) | Self::Test(c) => serde_json::to_value(c),
            Self::Submission(c) => serde_json::to_value(c),
            Self::RoomCreated(c) => serde_json::to_value(c),
            Self::Webhook(c) | Self::Other { content: c, .. } => Ok(c.clone()),
            Self::Application(c) => serde_json::to_value(c),
            Self::AppStatus(c) => serde_json::to_value(c),
            Self::Visibility(c) => serde_json::to_value(c),
            Self::Sensitivity(c) => serde_json::to_value(c),
        }
    }
}

impl Event {
    /// The event's `type`.
    pub fn event_type(&self) -> &str {
        self.content.event_type()
    }

    /// The room, when the event names a valid one.
    pub fn room(&self) -> Option<RoomId> {
        self.room_id.as_deref().and_then(|r| r.parse().ok())
    }

    /// The card a submission answers, when the event names a valid event id.
    pub fn origin(&self) -> Option<EventId> {
        self.origin_event.as_deref().and_then(|e| e.parse().ok())
    }

    /// The sender as an fcid, when it is one.
    pub fn sender_fcid(&self) -> Option<Fcid> {
        self.sender.parse().ok()
    }

    /// The submission, read as the form `T`: `None` when this is not a card submission, `Err` with
    /// every bad field when it is one but does not fit `T`.
    pub fn form<T: CuiForm>(&self) -> Option<Result<T, FormErrors>> {
        match &self.content {
            EventContent::Submission(submission) => Some(T::from_submission(submission)),
            _ => None,
        }
    }

    /// Fields of the envelope this library does not know, kept as they came.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// Takes `key` from `map` if it holds a string; a value of another type (or `null`) stays in the map,
/// to be written back as it came.
fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::String(_)) => match map.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn take_i64(map: &mut Map<String, Value>, key: &str) -> Option<i64> {
    let n = map.get(key).and_then(Value::as_i64)?;
    map.remove(key);
    Some(n)
}

fn take_typed<T: serde::de::DeserializeOwned>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Option<T> {
    let typed = T::deserialize(map.get(key)?).ok()?;
    map.remove(key);
    Some(typed)
}

impl<'de> Deserialize<'de> for Event {
    /// Forgiving: a field of an unexpected type (or `null`) is kept as it came and written back; only
    /// a missing or non-string `type` is refused.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        let Some(event_type) = take_string(&mut map, "type") else {
            return Err(D::Error::custom("an event needs a string `type`"));
        };
        let event_id = take_string(&mut map, "event_id");
        let timestamp = take_i64(&mut map, "timestamp");
        let sender = take_string(&mut map, "sender");
        let present = Present {
            event_id: event_id.is_some(),
            timestamp: timestamp.is_some(),
            sender: sender.is_some(),
            content: map.contains_key("content"),
        };
        let content = map.remove("content").unwrap_or(Value::Null);
        Ok(Event {
            event_id: event_id.unwrap_or_default(),
            timestamp: timestamp.unwrap_or_default(),
            sender: sender.unwrap_or_default(),
            room_id: take_string(&mut map, "room_id"),
            room_type: take_typed(&mut map, "room_type"),
            receivers: take_typed(&mut map, "receivers"),
            origin_event: take_string(&mut map, "origin_event"),
            webhook_id: take_string(&mut map, "webhook_id"),
            fcid: take_string(&mut map, "fcid"),
            unsigned: take_typed::<Value>(&mut map, "unsigned").filter(|v| !v.is_null()),
            content: EventContent::read(&event_type, content),
            present,
            extra: map,
        })
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        if self.present.event_id {
            map.serialize_entry("event_id", &self.event_id)?;
        }
        map.serialize_entry("type", self.event_type())?;
        if self.present.timestamp {
            map.serialize_entry("timestamp", &self.timestamp)?;
        }
        if self.present.sender {
            map.serialize_entry("sender", &self.sender)?;
        }
        let optional: [(&str, Option<Value>); 7] = [
            ("room_id", self.room_id.clone().map(Value::String)),
            (
                "room_type",
                self.room_type
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok()),
            ),
            (
                "receivers",
                self.receivers
                    .clone()
                    .map(|r| r.into_iter().map(Value::String).collect()),
            ),
            ("origin_event", self.origin_event.clone().map(Value::String)),
            ("webhook_id", self.webhook_id.clone().map(Value::String)),
            ("fcid", self.fcid.clone().map(Value::String)),
            ("unsigned", self.unsigned.clone()),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        if self.present.content {
            let content = self.content.to_value().map_err(serde::ser::Error::custom)?;
            map.serialize_entry("content", &content)?;
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
