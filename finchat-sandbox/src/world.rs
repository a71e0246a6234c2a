//! The sandbox's world as data: its people, rooms and their messages, media, the event log and the
//! current token; seeded at first start, and kept in a JSON file when asked.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use base64::Engine as _;
use finchat_cui::{EventId, Fcid, MessageContent, RoomId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

use super::persist;
use super::world_spec::{Seed, direct_room_id};

/// The server name of every id the sandbox makes.
pub(crate) const SERVER: &str = "sandbox";
/// The version of the state file's layout: 2 keeps each upload as a file in the media directory;
/// 1 (still read, and migrated) had them inline in base64.
const FORMAT: u32 = 2;

/// Everything the sandbox holds.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct World {
    pub format: u32,
    pub bot: Person,
    pub people: Vec<Person>,
    pub rooms: Vec<Room>,
    pub media: BTreeMap<String, StoredMedia>,
    /// Every event emitted, in order, as its wire JSON (without the callback's `app_id`/`token`).
    pub events: Vec<Value>,
    /// How many of `events` the pusher is done with (delivered or dropped).
    pub pushed: usize,
    pub next_event: u64,
    pub next_room: u64,
    pub token: Option<TokenRecord>,
    /// Bumped on every change, so that the page knows when to redraw.
    #[serde(skip)]
    pub rev: u64,
}

/// A person (or the bot): their fcid and display name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Person {
    pub fcid: Fcid,
    pub name: String,
}

/// A room: a direct room of the bot with one person, or a group room.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Room {
    pub room_id: RoomId,
    /// For a direct room, the person the bot talks to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_with: Option<Fcid>,
    pub name: Option<String>,
    pub topic: Option<String>,
    pub history_visibility: String,
    pub federate: bool,
    pub owner: Fcid,
    pub members: Vec<Fcid>,
    pub message_forbidden_except_owner: bool,
    pub invite_forbidden_except_owner: bool,
    pub messages: Vec<SandboxMessage>,
}

/// A message in a sandbox room: who sent it, when, and what it shows now. A card shows its latest
/// update; an exclusive card may show each person their own copy ([`SandboxMessage::content_for`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SandboxMessage {
    /// The message's event id (for a card: the `origin_event` of its submissions and updates).
    pub event_id: EventId,
    /// Who sent it.
    pub sender: Fcid,
    /// When, in milliseconds since the epoch.
    pub timestamp: i64,
    /// What everyone sees (for an exclusive card: everyone without a copy of their own).
    pub content: MessageContent,
    /// The copies of an exclusive card that updates changed for single people.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    per_user: BTreeMap<Fcid, MessageContent>,
}

impl SandboxMessage {
    pub(crate) fn new(
        event_id: EventId,
        sender: Fcid,
        timestamp: i64,
        content: MessageContent,
    ) -> Self {
        Self {
            event_id,
            sender,
            timestamp,
            content,
            per_user: BTreeMap::new(),
        }
    }

    /// What `fcid` sees: their own copy of an exclusive card when an update made one, else
    /// [`SandboxMessage::content`].
    pub fn content_for(&self, fcid: &Fcid) -> &MessageContent {
        self.per_user.get(fcid).unwrap_or(&self.content)
    }

    /// Replaces the card as update-cui does: a shared card (or an exclusive one that names nobody)
    /// for everyone, an exclusive one only for the people its `fcids` name.
    pub(crate) fn update_card(&mut self, content: MessageContent) {
        let exclusive_to = content
            .card()
            .filter(|card| !card.shared)
            .and_then(|card| card.fcids.clone())
            .filter(|fcids| !fcids.is_empty());
        match exclusive_to {
            Some(fcids) => {
                for fcid in fcids {
                    self.per_user.insert(fcid, content.clone());
                }
            }
            None => {
                self.content = content;
                self.per_user.clear();
            }
        }
    }
}

/// An uploaded file. The state file keeps its type; its bytes are in memory and in the media
/// directory (inline in base64 only in a format-1 state file, which is migrated when read).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredMedia {
    pub content_type: String,
    #[serde(default, skip_serializing, deserialize_with = "base64_in")]
    pub bytes: axum::body::Bytes,
}

fn base64_in<'de, D: Deserializer<'de>>(deserializer: D) -> Result<axum::body::Bytes, D::Error> {
    let text = String::deserialize(deserializer)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(axum::body::Bytes::from)
        .map_err(serde::de::Error::custom)
}

/// The app's current token; a new one replaces it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TokenRecord {
    pub token: String,
    pub expires_at_ms: i64,
}

impl Room {
    pub fn is_direct(&self) -> bool {
        self.direct_with.is_some()
    }

    /// The event's `room_type`.
    pub fn room_type(&self) -> &'static str {
        if self.is_direct() {
            "direct_room"
        } else {
            "multi_room"
        }
    }

    pub fn has_member(&self, fcid: &Fcid) -> bool {
        self.members.contains(fcid)
    }

    pub fn message(&self, event_id: &EventId) -> Option<&SandboxMessage> {
        self.messages.iter().find(|m| &m.event_id == event_id)
    }

    pub fn message_mut(&mut self, event_id: &EventId) -> Option<&mut SandboxMessage> {
        self.messages.iter_mut().find(|m| &m.event_id == event_id)
    }
}

/// One of the sandbox's own ids, valid as written.
pub(crate) fn own_id<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse()
        .unwrap_or_else(|e| panic!("the sandbox's own id `{text}` is invalid: {e:?}"))
}

impl World {
    /// The world at first start: the seed's bot, people and group rooms, a direct room of the bot
    /// with each person; one `finstore.room.create` event per direct room.
    pub fn seeded(seed: &Seed, now_ms: i64) -> Self {
        let mut state = Self::unannounced(seed);
        state.announce_direct_rooms(now_ms);
        state
    }

    /// The world of `seed` again, as [`World::seeded`] makes it, but keeping what must outlive a
    /// reset: the token (a running bot keeps working), the counters of event and room ids (an id is
    /// never used twice, so a polling bot's cursor skips nothing) and the page's revision.
    pub fn reset(&mut self, seed: &Seed, now_ms: i64) {
        let mut fresh = Self::unannounced(seed);
        fresh.token = self.token.take();
        fresh.next_event = self.next_event;
        fresh.next_room = self.next_room;
        fresh.rev = self.rev;
        fresh.announce_direct_rooms(now_ms);
        *self = fresh;
    }

    /// The seed's accounts and rooms, without events.
    fn unannounced(seed: &Seed) -> Self {
        let bot = seed.bot.clone();
        let room =
            |room_id: RoomId, direct_with: Option<Fcid>, name: Option<String>, members| Room {
                room_id,
                direct_with,
                name,
                topic: None,
                history_visibility: "shared".into(),
                federate: false,
                owner: bot.fcid.clone(),
                members,
                message_forbidden_except_owner: false,
                invite_forbidden_except_owner: false,
                messages: Vec::new(),
            };
        let mut rooms: Vec<Room> = seed
            .people
            .iter()
            .map(|p| {
                let members = vec![bot.fcid.clone(), p.fcid.clone()];
                room(direct_room_id(&p.fcid), Some(p.fcid.clone()), None, members)
            })
            .collect();
        rooms.extend(seed.groups.iter().map(|g| {
            room(
                g.room_id.clone(),
                None,
                Some(g.name.clone()),
                g.members.clone(),
            )
        }));
        World {
            format: FORMAT,
            bot: seed.bot.clone(),
            people: seed.people.clone(),
            rooms,
            media: BTreeMap::new(),
            events: Vec::new(),
            pushed: 0,
            next_event: 0,
            next_room: 0,
            token: None,
            rev: 0,
        }
    }

    /// Emits a `finstore.room.create` event for each direct room, as FinChat does when it makes one.
    fn announce_direct_rooms(&mut self, now_ms: i64) {
        let direct: Vec<(RoomId, Fcid)> = self
            .rooms
            .iter()
            .filter_map(|r| Some((r.room_id.clone(), r.direct_with.clone()?)))
            .collect();
        for (room_id, fcid) in direct {
            let event_id = self.next_event_id();
            let creator = self.bot.fcid.to_string();
            self.events.push(json!({
                "event_id": event_id, "type": "finstore.room.create", "timestamp": now_ms,
                "room_id": room_id, "room_type": "direct_room", "sender": "", "fcid": fcid,
                "content": {"creator": creator},
            }));
        }
    }

    /// A new event id, `$<n>:sandbox` with `n` zero-padded so that ids sort in order.
    pub fn next_event_id(&mut self) -> EventId {
        self.next_event += 1;
        own_id(&format!("${:08}:{SERVER}", self.next_event))
    }

    pub fn person(&self, fcid: &Fcid) -> Option<&Person> {
        self.people.iter().find(|p| &p.fcid == fcid)
    }

    /// The name shown for `fcid`.
    pub fn name_of(&self, fcid: &Fcid) -> String {
        if fcid == &self.bot.fcid {
            return self.bot.name.clone();
        }
        self.person(fcid)
            .map_or_else(|| fcid.to_string(), |p| p.name.clone())
    }

    /// Whether `fcid` is a known account (a person or the bot).
    pub fn knows(&self, fcid: &Fcid) -> bool {
        fcid == &self.bot.fcid || self.person(fcid).is_some()
    }

    /// The people, as a list for messages.
    pub fn people_list(&self) -> String {
        let names: Vec<String> = self
            .people
            .iter()
            .map(|p| format!("`{}`", p.fcid))
            .collect();
        names.join(", ")
    }

    pub fn room(&self, room_id: &RoomId) -> Option<&Room> {
        self.rooms.iter().find(|r| &r.room_id == room_id)
    }

    pub fn room_mut(&mut self, room_id: &RoomId) -> Option<&mut Room> {
        self.rooms.iter_mut().find(|r| &r.room_id == room_id)
    }

    /// The bot's direct room with `fcid`.
    pub fn direct_room(&self, fcid: &Fcid) -> Option<&Room> {
        self.rooms
            .iter()
            .find(|r| r.direct_with.as_ref() == Some(fcid))
    }

    /// Reads the state file and the media it names; `None` when there is none yet. A format-1
    /// file's inline media is written to the media directory, and the world comes back in the
    /// current format with `true`: it is to be written back.
    pub fn load(path: &Path) -> io::Result<Option<(World, bool)>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let invalid = |why: String| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the sandbox state file {} {why}", path.display()),
            )
        };
        let mut state: World =
            serde_json::from_str(&text).map_err(|e| invalid(format!("cannot be read: {e}")))?;
        if state.format != FORMAT && state.format != 1 {
            return Err(invalid(format!(
                "has format {}, this sandbox reads 1 and {FORMAT}; move it away to start afresh",
                state.format
            )));
        }
        if let Some(bad) = state.media.keys().find(|id| !persist::is_media_id(id)) {
            return Err(invalid(format!("names media `{bad}`, not a media id")));
        }
        let media_dir = persist::media_dir(path);
        let migrate = state.format == 1;
        if migrate {
            for (id, media) in &state.media {
                persist::write_durably(&media_dir.join(id), &media.bytes)?;
            }
            state.format = FORMAT;
        } else {
            let mut missing = Vec::new();
            for (id, media) in &mut state.media {
                match std::fs::read(media_dir.join(id)) {
                    Ok(bytes) => media.bytes = bytes.into(),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(id.clone()),
                    Err(e) => {
                        return Err(io::Error::new(
                            e.kind(),
                            format!("cannot read {}: {e}", media_dir.join(id).display()),
                        ));
                    }
                }
            }
            for id in missing {
                tracing::warn!(media = %id, dir = %media_dir.display(), "an upload's file is missing; it is forgotten");
                state.media.remove(&id);
            }
        }
        Ok(Some((state, migrate)))
    }
}
