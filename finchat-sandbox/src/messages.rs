//! What happens in rooms: the bot's sends and card updates (one result per target, as FinChat
//! answers them), and what people do: submit a card, say something to the bot.

use std::collections::BTreeMap;

use finchat_cui::{Element, EventId, Fcid, MessageContent, RoomId, Status, Submission};
use serde_json::json;

use super::error::{Refusal, SandboxError};
use super::world::{Room, SandboxMessage, World};
use finchat_client::FcCode;

/// Where a send or an update goes: rooms, or the bot's direct rooms with users. FinChat ignores
/// `fcids` when `room_ids` is given.
pub(crate) enum Targets {
    Rooms(Vec<String>),
    Fcids(Vec<String>),
}

/// What a send or an update did for one target.
pub(crate) struct Outcome {
    pub target: String,
    pub result: Result<EventId, Refusal>,
}

impl World {
    /// The index of the room `room_id`, where the bot is.
    fn bot_room(&self, room_id: &str) -> Result<usize, Refusal> {
        let index = room_id
            .parse::<RoomId>()
            .ok()
            .and_then(|id| self.rooms.iter().position(|r| r.room_id == id))
            .ok_or_else(|| Refusal::new(FcCode::RoomNotFound, format!("no room `{room_id}`")))?;
        if !self.rooms[index].has_member(&self.bot.fcid) {
            return Err(Refusal::new(
                FcCode::FcidNotInRoom,
                format!("the bot `{}` is not in room `{room_id}`", self.bot.fcid),
            ));
        }
        Ok(index)
    }

    /// The index of the bot's direct room with `fcid`.
    fn direct_room_index(&self, fcid: &str) -> Result<usize, Refusal> {
        let Some(user) = fcid.parse::<Fcid>().ok().filter(|f| self.knows(f)) else {
            return Err(Refusal::new(
                FcCode::FcidNotFound,
                format!(
                    "no user `{fcid}`; the sandbox's people are {}",
                    self.people_list()
                ),
            ));
        };
        self.rooms
            .iter()
            .position(|r| r.direct_with.as_ref() == Some(&user))
            .ok_or_else(|| {
                Refusal::new(
                    FcCode::RoomNotFound,
                    format!(
                        "the bot has no direct room with `{fcid}`; a send to fcids needs the \
                         direct room to exist"
                    ),
                )
            })
    }

    fn resolve(&self, targets: &Targets) -> Vec<(String, Result<usize, Refusal>)> {
        match targets {
            Targets::Rooms(ids) => ids
                .iter()
                .map(|id| (id.clone(), self.bot_room(id)))
                .collect(),
            Targets::Fcids(ids) => ids
                .iter()
                .map(|id| (id.clone(), self.direct_room_index(id)))
                .collect(),
        }
    }

    /// The bot sends `content` (already validated) to each target.
    pub fn send(&mut self, targets: &Targets, content: &MessageContent, now: i64) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        for (target, room) in self.resolve(targets) {
            let result = room.and_then(|index| {
                let room = &self.rooms[index];
                if room.message_forbidden_except_owner && room.owner != self.bot.fcid {
                    return Err(Refusal::new(
                        FcCode::Forbidden,
                        format!(
                            "only the owner `{}` may speak in room `{target}`",
                            room.owner
                        ),
                    ));
                }
                let event_id = self.next_event_id();
                let message = SandboxMessage::new(
                    event_id.clone(),
                    self.bot.fcid.clone(),
                    now,
                    content.clone(),
                );
                self.rooms[index].messages.push(message);
                Ok(event_id)
            });
            outcomes.push(Outcome { target, result });
        }
        outcomes
    }

    /// The bot replaces its card `origin` with `content` (an `m.cui`, already validated) in each
    /// target room; each success gets the id of the update.
    pub fn update_cui(
        &mut self,
        targets: &Targets,
        origin: &EventId,
        content: &MessageContent,
    ) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        for (target, room) in self.resolve(targets) {
            let result = room.and_then(|index| {
                let room = &self.rooms[index];
                let Some(message) = room.message(origin) else {
                    return Err(Refusal::new(
                        FcCode::NotFound,
                        format!("no message `{origin}` in room `{}`", room.room_id),
                    ));
                };
                if message.sender != self.bot.fcid || message.content.card().is_none() {
                    return Err(Refusal::new(
                        FcCode::Forbidden,
                        format!(
                            "`{origin}` is not a card (m.cui) the bot sent in room `{}`",
                            room.room_id
                        ),
                    ));
                }
                let update_id = self.next_event_id();
                if let Some(message) = self.rooms[index].message_mut(origin) {
                    message.update_card(content.clone());
                }
                Ok(update_id)
            });
            outcomes.push(Outcome { target, result });
        }
        outcomes
    }

    /// The room `room_id`, when `user` is one of the people and a member of it.
    fn person_in_room(&self, user: &Fcid, room_id: &RoomId) -> Result<&Room, SandboxError> {
        if self.person(user).is_none() {
            return Err(SandboxError::UnknownUser {
                user: user.to_string(),
                people: self.people_list(),
            });
        }
        let room = self
            .room(room_id)
            .ok_or_else(|| SandboxError::UnknownRoom(room_id.to_string()))?;
        if !room.has_member(user) {
            return Err(SandboxError::NotInRoom {
                user: user.to_string(),
                room: room_id.to_string(),
            });
        }
        Ok(room)
    }

    /// `user` fills in the card `card` and presses a button: the `finstore.room.interactcui` event,
    /// whose `info` holds every input's current value (as a client sends them) under what `info`
    /// gives.
    pub fn submit(
        &mut self,
        user: &Fcid,
        room_id: &RoomId,
        card_id: &EventId,
        info: BTreeMap<String, String>,
        now: i64,
    ) -> Result<EventId, SandboxError> {
        let room = self.person_in_room(user, room_id)?;
        let message = room
            .message(card_id)
            .ok_or_else(|| SandboxError::UnknownMessage {
                room: room_id.to_string(),
                event: card_id.to_string(),
            })?;
        let card = message
            .content_for(user)
            .card()
            .ok_or_else(|| SandboxError::NotACard(card_id.to_string()))?;
        if card.status != Status::Input {
            return Err(SandboxError::CardClosed {
                event: card_id.to_string(),
                status: card.status.as_str().to_owned(),
            });
        }
        let keys: Vec<&str> = card.keys().collect();
        if let Some(key) = info.keys().find(|k| !keys.contains(&k.as_str())) {
            let mut known: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            known.dedup();
            return Err(SandboxError::UnknownKey {
                event: card_id.to_string(),
                key: key.clone(),
                keys: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            });
        }
        for element in &card.elements {
            if let Element::Reply(reply) = element {
                let closed = matches!(reply.status, Some(Status::Loading | Status::Disable));
                if closed && info.get(&reply.key) == Some(&reply.value) {
                    return Err(SandboxError::ButtonClosed {
                        key: reply.key.clone(),
                        value: reply.value.clone(),
                    });
                }
            }
        }
        let submission = info
            .into_iter()
            .fold(Submission::prefilled(card), |s, (key, value)| {
                s.with(key, value)
            });
        let room_type = room.room_type();
        // FinChat names the direct room's user in `fcid`, and leaves it empty in group rooms.
        let fcid = if room.is_direct() {
            user.to_string()
        } else {
            String::new()
        };
        let event_id = self.next_event_id();
        self.events.push(json!({
            "event_id": event_id, "type": "finstore.room.interactcui", "timestamp": now,
            "room_id": room_id, "room_type": room_type, "sender": user, "fcid": fcid,
            "origin_event": card_id, "content": submission,
        }));
        Ok(event_id)
    }

    /// `user` says `body` in a room. The bot hears everything in its direct rooms (`m.text`) and,
    /// in group rooms, what @-mentions it (`m.alert`), as the default subscription does.
    pub fn say(
        &mut self,
        user: &Fcid,
        room_id: &RoomId,
        body: &str,
        now: i64,
    ) -> Result<EventId, SandboxError> {
        if body.trim().is_empty() {
            return Err(SandboxError::EmptyMessage);
        }
        let room = self.person_in_room(user, room_id)?;
        if room.message_forbidden_except_owner && &room.owner != user {
            return Err(SandboxError::Muted(room_id.to_string()));
        }
        let direct = room.is_direct();
        let room_type = room.room_type();
        let heard = direct || self.mentions_bot(body);
        let event_id = self.next_event_id();
        let message = SandboxMessage::new(
            event_id.clone(),
            user.clone(),
            now,
            MessageContent::text(body),
        );
        if let Some(room) = self.room_mut(room_id) {
            room.messages.push(message);
        }
        if heard {
            let msgtype = if direct { "m.text" } else { "m.alert" };
            self.events.push(json!({
                "event_id": event_id, "type": "m.room.message", "timestamp": now,
                "room_id": room_id, "room_type": room_type, "sender": user,
                "content": {"msgtype": msgtype, "body": body},
            }));
        }
        Ok(event_id)
    }

    /// Whether `body` @-mentions the bot: by fcid, by `@localpart`, or by `@name`.
    pub fn mentions_bot(&self, body: &str) -> bool {
        let bot = &self.bot;
        body.contains(bot.fcid.as_str())
            || body.contains(&format!("@{}", bot.fcid.localpart()))
            || body.contains(&format!("@{}", bot.name))
    }
}
