//! Group rooms: create, modify (only the highest-priority group of fields, as FinChat applies it),
//! detail and the list of the app's group rooms.

use finchat_cui::{Fcid, RoomId};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::error::Refusal;
use super::world::{Room, SERVER, World};
use finchat_client::FcCode;

/// The room type `create` accepts.
const MULTI_CHAT: &str = "multi_chat";

/// A create request's fields.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewRoom {
    #[serde(rename = "type")]
    pub room_type: Option<String>,
    pub name: Option<String>,
    pub topic: Option<String>,
    pub history_visibility: Option<String>,
    pub federate: Option<bool>,
    pub owner: Option<String>,
    #[serde(default)]
    pub fcids: Vec<String>,
}

/// A modify request's fields.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RoomChanges {
    pub name: Option<String>,
    pub topic: Option<String>,
    pub history_visibility: Option<String>,
    pub owner: Option<String>,
    pub message_forbidden_except_owner: Option<bool>,
    pub invite_forbidden_except_owner: Option<bool>,
    #[serde(default)]
    pub fcids_to_invite: Vec<String>,
    #[serde(default)]
    pub fcids_to_kick: Vec<String>,
}

/// The one group of changes FinChat applies.
enum Change {
    Name(String),
    Topic(String),
    HistoryVisibility(String),
    Owner(String),
    Switches {
        message: Option<bool>,
        invite: Option<bool>,
    },
    Members {
        invite: Vec<String>,
        kick: Vec<String>,
    },
}

impl RoomChanges {
    /// The highest-priority group given (the documented order: name > topic > history_visibility >
    /// owner > the two switches > invites and kicks), and the names of the groups it overrides.
    fn into_highest(self) -> Option<(Change, Vec<&'static str>)> {
        let RoomChanges {
            name,
            topic,
            history_visibility,
            owner,
            message_forbidden_except_owner: message,
            invite_forbidden_except_owner: invite_switch,
            fcids_to_invite,
            fcids_to_kick,
        } = self;
        let switches = (message.is_some() || invite_switch.is_some()).then_some(Change::Switches {
            message,
            invite: invite_switch,
        });
        let members =
            (!fcids_to_invite.is_empty() || !fcids_to_kick.is_empty()).then_some(Change::Members {
                invite: fcids_to_invite,
                kick: fcids_to_kick,
            });
        let groups = [
            ("name", name.map(Change::Name)),
            ("topic", topic.map(Change::Topic)),
            (
                "history_visibility",
                history_visibility.map(Change::HistoryVisibility),
            ),
            ("owner", owner.map(Change::Owner)),
            ("*_forbidden_except_owner", switches),
            ("fcids_to_invite/fcids_to_kick", members),
        ];
        let mut given = groups
            .into_iter()
            .filter_map(|(group, change)| Some((group, change?)));
        let (_, highest) = given.next()?;
        Some((highest, given.map(|(group, _)| group).collect()))
    }
}

fn check_visibility(value: &str) -> Result<(), Refusal> {
    if matches!(value, "shared" | "joined") {
        Ok(())
    } else {
        Err(Refusal::bad_json(format!(
            "history_visibility `{value}` is not `shared` or `joined`"
        )))
    }
}

impl World {
    /// A known account, or `FC_FCID_NOT_FOUND`.
    fn account(&self, fcid: &str) -> Result<Fcid, Refusal> {
        fcid.parse::<Fcid>()
            .ok()
            .filter(|f| self.knows(f))
            .ok_or_else(|| {
                Refusal::new(
                    FcCode::FcidNotFound,
                    format!(
                        "no user `{fcid}`; the sandbox's people are {}",
                        self.people_list()
                    ),
                )
            })
    }

    /// The group room `room_id`, where the bot is.
    fn group_room(&self, room_id: &str) -> Result<&Room, Refusal> {
        let room = room_id
            .parse::<RoomId>()
            .ok()
            .and_then(|id| self.room(&id))
            .ok_or_else(|| Refusal::new(FcCode::RoomNotFound, format!("no room `{room_id}`")))?;
        if room.is_direct() {
            return Err(Refusal::new(
                FcCode::Forbidden,
                format!("`{room_id}` is a direct room; this call is for group rooms"),
            ));
        }
        if !room.has_member(&self.bot.fcid) {
            return Err(Refusal::new(
                FcCode::FcidNotInRoom,
                format!("the bot `{}` is not in room `{room_id}`", self.bot.fcid),
            ));
        }
        Ok(room)
    }

    /// Creates a group room: the bot, the owner (default: the bot) and `fcids` are its members.
    pub fn create_room(&mut self, new: NewRoom) -> Result<RoomId, Refusal> {
        if new.room_type.as_deref() != Some(MULTI_CHAT) {
            return Err(Refusal::bad_json(format!(
                "`type` must be `{MULTI_CHAT}`, the only room type the API creates"
            )));
        }
        let history_visibility = new.history_visibility.unwrap_or_else(|| "shared".into());
        check_visibility(&history_visibility)?;
        let owner = match &new.owner {
            Some(owner) => self.account(owner)?,
            None => self.bot.fcid.clone(),
        };
        let mut members = vec![self.bot.fcid.clone()];
        for fcid in
            std::iter::once(Ok(owner.clone())).chain(new.fcids.iter().map(|f| self.account(f)))
        {
            let fcid = fcid?;
            if !members.contains(&fcid) {
                members.push(fcid);
            }
        }
        // Past any id a configured group room already has.
        let room_id: RoomId = loop {
            self.next_room += 1;
            let room_id: RoomId = format!("!room-{}:{SERVER}", self.next_room)
                .parse()
                .map_err(|e| Refusal::new(FcCode::InternalError, format!("{e}")))?;
            if self.room(&room_id).is_none() {
                break room_id;
            }
        };
        self.rooms.push(Room {
            room_id: room_id.clone(),
            direct_with: None,
            name: new.name,
            topic: new.topic,
            history_visibility,
            federate: new.federate.unwrap_or(false),
            owner,
            members,
            message_forbidden_except_owner: false,
            invite_forbidden_except_owner: false,
            messages: Vec::new(),
        });
        Ok(room_id)
    }

    /// Applies the highest-priority group of `changes` and ignores the rest, as FinChat does; the
    /// answer lists the members who could not be invited or kicked, when there are any.
    pub fn modify_room(&mut self, room_id: &str, changes: RoomChanges) -> Result<Value, Refusal> {
        let room = self.group_room(room_id)?;
        let key = room.room_id.clone();
        let bot_is_owner = room.owner == self.bot.fcid;
        let Some((change, ignored)) = changes.into_highest() else {
            return Err(Refusal::bad_json(
                "nothing to change; give name, topic, history_visibility, owner, \
                 message_forbidden_except_owner, invite_forbidden_except_owner, \
                 fcids_to_invite or fcids_to_kick",
            ));
        };
        if !ignored.is_empty() {
            tracing::info!(
                room = room_id,
                ?ignored,
                "room modify: only the highest-priority group of fields is applied, as FinChat does"
            );
        }
        let not_owner = || {
            Refusal::new(
                FcCode::Forbidden,
                format!("only the owner of `{room_id}` may change this, and the bot is not it"),
            )
        };
        let owner = match &change {
            Change::Owner(owner) => Some(self.account(owner)?),
            _ => None,
        };
        let invites: Vec<Result<Fcid, String>> = match &change {
            Change::Members { invite, .. } => invite
                .iter()
                .map(|f| self.account(f).map_err(|_| f.clone()))
                .collect(),
            _ => Vec::new(),
        };
        let room = self
            .room_mut(&key)
            .ok_or_else(|| Refusal::new(FcCode::RoomNotFound, format!("no room `{room_id}`")))?;
        match change {
            Change::Name(name) => room.name = Some(name),
            Change::Topic(topic) => room.topic = Some(topic),
            Change::HistoryVisibility(value) => {
                check_visibility(&value)?;
                room.history_visibility = value;
            }
            Change::Owner(_) => {
                let owner = owner.filter(|_| bot_is_owner).ok_or_else(not_owner)?;
                if !room.has_member(&owner) {
                    return Err(Refusal::new(
                        FcCode::FcidNotInRoom,
                        format!("`{owner}` is not in room `{room_id}`"),
                    ));
                }
                room.owner = owner;
            }
            Change::Switches { message, invite } => {
                if !bot_is_owner {
                    return Err(not_owner());
                }
                room.message_forbidden_except_owner =
                    message.unwrap_or(room.message_forbidden_except_owner);
                room.invite_forbidden_except_owner =
                    invite.unwrap_or(room.invite_forbidden_except_owner);
            }
            Change::Members { kick, .. } => {
                if !invites.is_empty() && room.invite_forbidden_except_owner && !bot_is_owner {
                    return Err(not_owner());
                }
                let (mut failed_invite, mut failed_kick) = (Vec::new(), Vec::new());
                for invite in invites {
                    match invite {
                        Ok(fcid) if !room.members.contains(&fcid) => room.members.push(fcid),
                        Ok(fcid) => failed_invite.push(fcid.to_string()),
                        Err(unknown) => failed_invite.push(unknown),
                    }
                }
                for fcid in kick {
                    match room.members.iter().position(|m| m.as_str() == fcid) {
                        Some(i) if room.members[i] != room.owner => {
                            room.members.remove(i);
                        }
                        _ => failed_kick.push(fcid),
                    }
                }
                if !failed_invite.is_empty() || !failed_kick.is_empty() {
                    return Ok(json!({
                        "failed_fcids_to_invite": failed_invite,
                        "failed_fcids_to_kick": failed_kick,
                    }));
                }
            }
        }
        Ok(json!({}))
    }

    /// A group room as the detail call answers it.
    pub fn room_detail(&self, room_id: &str) -> Result<Value, Refusal> {
        let room = self.group_room(room_id)?;
        let mut detail = Map::new();
        if let Some(name) = &room.name {
            detail.insert("name".into(), json!(name));
        }
        detail.insert("type".into(), json!(MULTI_CHAT));
        if let Some(topic) = &room.topic {
            detail.insert("topic".into(), json!(topic));
        }
        detail.insert("federate".into(), json!(room.federate));
        detail.insert("owner".into(), json!(room.owner));
        detail.insert("fcids".into(), json!(room.members));
        detail.insert("history_visibility".into(), json!(room.history_visibility));
        Ok(Value::Object(detail))
    }

    /// The group rooms the bot is in.
    pub fn group_rooms(&self) -> Vec<RoomId> {
        self.rooms
            .iter()
            .filter(|r| !r.is_direct() && r.has_member(&self.bot.fcid))
            .map(|r| r.room_id.clone())
            .collect()
    }
}
