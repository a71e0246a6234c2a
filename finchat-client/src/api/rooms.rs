//! Group rooms: create, modify (split along the API's parameter priority so no change is lost),
//! detail, and the list of the app's rooms.

use finchat_cui::{Fcid, RoomId};
use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::received::{IdList, MaybeId};
use super::segment;
use crate::client::Call;
use crate::{Client, Error};

const ROOMS: &str = "/api/v1/finchat/open-api/rooms";

/// The only room type the API creates: a group room.
const MULTI_CHAT: &str = "multi_chat";

/// The group-room calls: `client.rooms()`.
#[derive(Clone, Copy)]
pub struct Rooms<'a> {
    client: &'a Client,
}

impl Client {
    /// Creating, changing and reading group rooms.
    pub fn rooms(&self) -> Rooms<'_> {
        Rooms { client: self }
    }
}

impl<'a> Rooms<'a> {
    /// A new group room (`POST …/open-api/rooms`); set what it should have, then `.send()`.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// use finchat_client::HistoryVisibility;
    ///
    /// let room = client
    ///     .rooms()
    ///     .create()
    ///     .name("报销审批")
    ///     .history_visibility(HistoryVisibility::Joined)
    ///     .owner("@alice:example.org".parse().unwrap())
    ///     .fcid("@bob:example.org".parse().unwrap())
    ///     .send()
    ///     .await?;
    /// println!("created {room}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self) -> CreateRoom<'a> {
        CreateRoom {
            client: self.client,
            body: CreateBody::default(),
        }
    }

    /// Changes to the room `room_id` (`PUT …/open-api/rooms/{room_id}`); set them, then `.send()`.
    ///
    /// The API applies only the highest-priority kind of change in one request and silently drops
    /// the others (`name` > `topic` > `history_visibility` > `owner` > the two
    /// `*_forbidden_except_owner` switches > `fcids_to_invite` and `fcids_to_kick`). So this
    /// sends one request per kind of change that was set, in that order, and nothing is dropped;
    /// see [`ModifyRoom::send`].
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let room = "!112321588723954859:example.org".parse().unwrap();
    /// let answer = client
    ///     .rooms()
    ///     .modify(room)
    ///     .topic("本周五发版")
    ///     .invite("@carol:example.org".parse().unwrap())
    ///     .kick("@dave:example.org".parse().unwrap())
    ///     .send()
    ///     .await?; // two requests: the topic, then the members
    /// for fcid in &answer.failed_fcids_to_invite {
    ///     eprintln!("could not invite {fcid}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn modify(&self, room_id: RoomId) -> ModifyRoom<'a> {
        ModifyRoom {
            client: self.client,
            room_id,
            changes: Changes::default(),
        }
    }

    /// What the room `room_id` is: its name, topic, owner and members
    /// (`GET …/open-api/rooms/{room_id}?app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let room = client.rooms().detail(&"!a:example.org".parse().unwrap()).await?;
    /// println!("{:?} has {} members", room.name, room.fcids.len());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for an empty, `.` or `..` id (nothing is sent); else class
    /// `NotFound` (`FC_ROOM_NOT_FOUND`) for an unknown room, `Forbidden` (`FC_FORBIDDEN`), or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn detail(&self, room_id: &RoomId) -> Result<RoomDetail, Error> {
        let call = Call::new(
            Method::GET,
            format!("{ROOMS}/{}", segment(room_id.as_str())?),
        )
        .query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }

    /// The group rooms of the app (`GET …/open-api/rooms?app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// for room in client.rooms().list().await? {
    ///     println!("{room}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// An id that is not a valid room id does not fail the call: it is left out of the list, kept
    /// in [`IdList::unparsed`] and logged at `warn`.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_APP_NOT_FOUND`, `FC_INVALID_ACCESS_TOKEN`, …) or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn list(&self) -> Result<IdList<RoomId>, Error> {
        let call = Call::new(Method::GET, ROOMS).query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }
}

/// Whether members see what was said before they joined.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HistoryVisibility {
    /// `shared`: members see the whole history (the API's default for a new room).
    Shared,
    /// `joined`: members see only what was said after they joined.
    Joined,
    /// A value this client does not know, kept as it was received.
    #[doc(hidden)]
    _Custom(private::Unknown),
}

mod private {
    /// A value only a received answer can hold, so that unknown values are never sent.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub struct Unknown(pub(super) String);
}

impl HistoryVisibility {
    /// The value as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Shared => "shared",
            Self::Joined => "joined",
            Self::_Custom(private::Unknown(value)) => value,
        }
    }
}

impl std::fmt::Display for HistoryVisibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HistoryVisibility {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HistoryVisibility {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(match value.as_str() {
            "shared" => Self::Shared,
            "joined" => Self::Joined,
            _ => Self::_Custom(private::Unknown(value)),
        })
    }
}

/// The body of a create.
#[derive(Default, Serialize)]
struct CreateBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_visibility: Option<HistoryVisibility>,
    #[serde(skip_serializing_if = "Option::is_none")]
    federate: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<Fcid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fcids: Vec<Fcid>,
}

/// A new group room; see [`Rooms::create`]. Whatever is not set is the API's default.
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateRoom<'a> {
    client: &'a Client,
    body: CreateBody,
}

impl CreateRoom<'_> {
    /// The room's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// The room's topic (its notice).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.body.topic = Some(topic.into());
        self
    }

    /// Whether members see the history from before they joined (default: shared).
    pub fn history_visibility(mut self, visibility: HistoryVisibility) -> Self {
        self.body.history_visibility = Some(visibility);
        self
    }

    /// Whether users of other servers may join (default: no).
    pub fn federate(mut self, federate: bool) -> Self {
        self.body.federate = Some(federate);
        self
    }

    /// The room's owner (default: the app's bot).
    pub fn owner(mut self, owner: Fcid) -> Self {
        self.body.owner = Some(owner);
        self
    }

    /// Adds a member.
    pub fn fcid(mut self, fcid: Fcid) -> Self {
        self.body.fcids.push(fcid);
        self
    }

    /// Adds members.
    pub fn fcids(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.body.fcids.extend(fcids);
        self
    }

    /// Creates the room; its id.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_FCID_NOT_FOUND` for an unknown owner or member,
    /// `FC_BAD_JSON`, …) or a transport, time-out or unreadable-answer failure; see
    /// [`Error::class`].
    pub async fn send(self) -> Result<RoomId, Error> {
        #[derive(Serialize)]
        struct Body<'b> {
            app_id: &'b str,
            #[serde(rename = "type")]
            room_type: &'static str,
            #[serde(flatten)]
            room: &'b CreateBody,
        }
        #[derive(Deserialize)]
        struct Answer {
            room_id: RoomId,
        }
        let body = to_json(&Body {
            app_id: self.client.app_id(),
            room_type: MULTI_CHAT,
            room: &self.body,
        })?;
        let answer: Answer = self
            .client
            .call_json(Call::new(Method::POST, ROOMS).json(body))
            .await?;
        Ok(answer.room_id)
    }
}

/// The changes of a modify, each `None` or empty when not asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct Changes {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_visibility: Option<HistoryVisibility>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<Fcid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_forbidden_except_owner: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invite_forbidden_except_owner: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fcids_to_invite: Vec<Fcid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fcids_to_kick: Vec<Fcid>,
}

impl Changes {
    /// One set of changes per priority level that has any, highest priority first. The API reads
    /// only the highest level of a request, so each level needs its own request.
    fn by_priority(self) -> Vec<Changes> {
        let Changes {
            name,
            topic,
            history_visibility,
            owner,
            message_forbidden_except_owner,
            invite_forbidden_except_owner,
            fcids_to_invite,
            fcids_to_kick,
        } = self;
        let none = Changes::default;
        let levels = [
            Changes { name, ..none() },
            Changes { topic, ..none() },
            Changes {
                history_visibility,
                ..none()
            },
            Changes { owner, ..none() },
            Changes {
                message_forbidden_except_owner,
                invite_forbidden_except_owner,
                ..none()
            },
            Changes {
                fcids_to_invite,
                fcids_to_kick,
                ..none()
            },
        ];
        levels
            .into_iter()
            .filter(|level| *level != none())
            .collect()
    }
}

/// Changes to a group room; see [`Rooms::modify`]. Only what is set is changed.
#[must_use = "nothing is sent until `.send().await`"]
pub struct ModifyRoom<'a> {
    client: &'a Client,
    room_id: RoomId,
    changes: Changes,
}

impl ModifyRoom<'_> {
    /// Renames the room.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.changes.name = Some(name.into());
        self
    }

    /// Sets the room's topic (its notice).
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.changes.topic = Some(topic.into());
        self
    }

    /// Sets whether members see the history from before they joined.
    pub fn history_visibility(mut self, visibility: HistoryVisibility) -> Self {
        self.changes.history_visibility = Some(visibility);
        self
    }

    /// Hands the room to a new owner.
    pub fn owner(mut self, owner: Fcid) -> Self {
        self.changes.owner = Some(owner);
        self
    }

    /// Whether only the owner may speak.
    pub fn message_forbidden_except_owner(mut self, forbidden: bool) -> Self {
        self.changes.message_forbidden_except_owner = Some(forbidden);
        self
    }

    /// Whether only the owner may add members.
    pub fn invite_forbidden_except_owner(mut self, forbidden: bool) -> Self {
        self.changes.invite_forbidden_except_owner = Some(forbidden);
        self
    }

    /// Adds a member (`fcids_to_invite`).
    pub fn invite(mut self, fcid: Fcid) -> Self {
        self.changes.fcids_to_invite.push(fcid);
        self
    }

    /// Adds members (`fcids_to_invite`).
    pub fn fcids_to_invite(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.changes.fcids_to_invite.extend(fcids);
        self
    }

    /// Removes a member (`fcids_to_kick`).
    pub fn kick(mut self, fcid: Fcid) -> Self {
        self.changes.fcids_to_kick.push(fcid);
        self
    }

    /// Removes members (`fcids_to_kick`).
    pub fn fcids_to_kick(mut self, fcids: impl IntoIterator<Item = Fcid>) -> Self {
        self.changes.fcids_to_kick.extend(fcids);
        self
    }

    /// Sends the changes: one request per priority level that has any, in the API's priority
    /// order (`name`, `topic`, `history_visibility`, `owner`, the two switches together, then
    /// invites and kicks together), each after the previous one succeeded. The answer merges the
    /// answers of all of them.
    ///
    /// On the first failed request this stops and returns its error: the levels before it are
    /// already applied (they are not undone), the ones after it are not sent. Sending the same
    /// changes again is harmless. Nothing set at all is refused without a request.
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` when nothing is set (nothing is sent); else the first failed
    /// request's error (`FC_ROOM_NOT_FOUND`, `FC_FORBIDDEN`, transport, …), the levels before it
    /// stay applied. Members not invited or kicked are data in the answer
    /// ([`ModifyRoomAnswer::all_succeeded`]), not errors.
    pub async fn send(self) -> Result<ModifyRoomAnswer, Error> {
        #[derive(Serialize)]
        struct Body<'b> {
            app_id: &'b str,
            #[serde(flatten)]
            changes: &'b Changes,
        }
        let levels = self.changes.by_priority();
        if levels.is_empty() {
            return Err(Error::refused(format!(
                "no change to room `{}`; set at least one of name, topic, history_visibility, owner, \
                 the *_forbidden_except_owner switches, fcids_to_invite or fcids_to_kick",
                self.room_id
            )));
        }
        let path = format!("{ROOMS}/{}", segment(self.room_id.as_str())?);
        let mut merged = ModifyRoomAnswer::default();
        for changes in &levels {
            let body = to_json(&Body {
                app_id: self.client.app_id(),
                changes,
            })?;
            let answer: ModifyRoomAnswer = self
                .client
                .call_json(Call::new(Method::PUT, path.as_str()).json(body))
                .await?;
            merged.merge(answer);
        }
        Ok(merged)
    }
}

/// What a modify did not manage to do. Both lists are empty when everything was done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ModifyRoomAnswer {
    /// The users who could not be added (an id that is not a valid fcid is kept raw).
    pub failed_fcids_to_invite: IdList<Fcid>,
    /// The users who could not be removed (an id that is not a valid fcid is kept raw).
    pub failed_fcids_to_kick: IdList<Fcid>,
    /// Other fields of the answer, kept as received; when several requests were sent, a later
    /// answer's field replaces an earlier one's.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ModifyRoomAnswer {
    /// Whether every member was added and removed as asked.
    pub fn all_succeeded(&self) -> bool {
        [&self.failed_fcids_to_invite, &self.failed_fcids_to_kick]
            .iter()
            .all(|list| list.is_empty() && list.all_valid())
    }

    fn merge(&mut self, other: ModifyRoomAnswer) {
        self.failed_fcids_to_invite
            .append(other.failed_fcids_to_invite);
        self.failed_fcids_to_kick.append(other.failed_fcids_to_kick);
        self.extra.extend(other.extra);
    }
}

/// A group room, as [`Rooms::detail`] reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomDetail {
    /// The room's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The room's type (`multi_chat` for a group room).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<String>,
    /// The room's topic (its notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Whether users of other servers may join.
    #[serde(default)]
    pub federate: bool,
    /// The room's owner (kept raw when it is not a valid fcid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<MaybeId<Fcid>>,
    /// The members (an id that is not a valid fcid is kept raw in [`IdList::unparsed`]).
    #[serde(default)]
    pub fcids: IdList<Fcid>,
    /// Whether members see the history from before they joined, when the server says (the
    /// documented answer does not hold it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_visibility: Option<HistoryVisibility>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn to_json(body: &impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(body)
        .map_err(|e| Error::refused(format!("the request cannot be written as JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fcid(name: &str) -> Fcid {
        format!("@{name}:example.org").parse().unwrap()
    }

    #[test]
    fn changes_split_into_one_set_per_priority_level_in_order() {
        let changes = Changes {
            fcids_to_kick: vec![fcid("dave")],
            invite_forbidden_except_owner: Some(true),
            message_forbidden_except_owner: Some(false),
            name: Some("n".into()),
            fcids_to_invite: vec![fcid("carol")],
            ..Changes::default()
        };
        let levels: Vec<Value> = changes
            .by_priority()
            .iter()
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert_eq!(
            levels,
            [
                serde_json::json!({"name": "n"}),
                serde_json::json!({"message_forbidden_except_owner": false, "invite_forbidden_except_owner": true}),
                serde_json::json!({"fcids_to_invite": ["@carol:example.org"], "fcids_to_kick": ["@dave:example.org"]}),
            ]
        );
        assert!(Changes::default().by_priority().is_empty());
    }

    #[test]
    fn an_unknown_history_visibility_is_kept_and_written_back() {
        let read: HistoryVisibility =
            serde_json::from_value(serde_json::json!("world_readable")).unwrap();
        assert_eq!(read.as_str(), "world_readable");
        assert_eq!(serde_json::to_value(&read).unwrap(), "world_readable");
        let shared: HistoryVisibility =
            serde_json::from_value(serde_json::json!("shared")).unwrap();
        assert_eq!(shared, HistoryVisibility::Shared);
        assert_eq!(
            serde_json::to_value(HistoryVisibility::Joined).unwrap(),
            "joined"
        );
    }
}
