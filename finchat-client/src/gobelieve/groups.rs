//! Groups, server side (`/groups…`, server auth): create, rename, dissolve, add and remove members,
//! a member leaving, upgrade to a super group, a member's settings. The request types are shared
//! with the client-side calls in [`client_groups`](super::ClientGroups).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::client::Call;
use super::de::u64_lenient;
use super::{Client, Error};

/// The server-side group calls: `client.groups()`.
#[derive(Clone, Copy)]
pub struct Groups<'a> {
    client: &'a Client,
}

impl Client {
    /// Managing groups with the server's credentials.
    pub fn groups(&self) -> Groups<'_> {
        Groups { client: self }
    }
}

/// A group member as requests name them: `{uid, name, avatar}`, name and avatar optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Member {
    /// `uid`.
    pub uid: u64,
    /// `name`: the member's name in the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `avatar`: the URL of the member's picture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

impl Member {
    /// User `uid`.
    pub fn new(uid: u64) -> Self {
        Self {
            uid,
            name: None,
            avatar: None,
        }
    }

    /// The member's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The member's picture.
    pub fn avatar(mut self, url: impl Into<String>) -> Self {
        self.avatar = Some(url.into());
        self
    }
}

impl From<u64> for Member {
    fn from(uid: u64) -> Self {
        Self::new(uid)
    }
}

/// A new group: the body of `POST /groups` and `POST /client/groups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewGroup {
    /// `master`: the group's administrator.
    pub master: u64,
    /// `name`: the group's subject.
    pub name: String,
    /// `super`: a super group (optional).
    #[serde(rename = "super", skip_serializing_if = "Option::is_none")]
    pub super_group: Option<bool>,
    /// `members`.
    pub members: Vec<Member>,
}

impl NewGroup {
    /// A group called `name`, administered by `master`, with no members yet.
    pub fn new(master: u64, name: impl Into<String>) -> Self {
        Self {
            master,
            name: name.into(),
            super_group: None,
            members: Vec::new(),
        }
    }

    /// Makes it a super group, or says it is not one.
    pub fn super_group(mut self, is_super: bool) -> Self {
        self.super_group = Some(is_super);
        self
    }

    /// Adds a member.
    pub fn member(mut self, member: impl Into<Member>) -> Self {
        self.members.push(member.into());
        self
    }

    /// Adds members.
    pub fn members(mut self, members: impl IntoIterator<Item = impl Into<Member>>) -> Self {
        self.members.extend(members.into_iter().map(Into::into));
        self
    }
}

/// Who invited the members being added: `inviter` of `POST /groups/{gid}/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Inviter {
    /// `uid`.
    pub uid: u64,
    /// `name`: the inviter's nickname.
    pub name: String,
}

impl Inviter {
    /// User `uid`, called `name`.
    pub fn new(uid: u64, name: impl Into<String>) -> Self {
        Self {
            uid,
            name: name.into(),
        }
    }
}

/// One setting of a member in a group: the body of `PATCH /groups/{gid}/members/{uid}`. The API
/// takes `do_not_disturb` and `nickname` one at a time, so each call sets one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberSetting {
    /// `do_not_disturb`: mute the group's notifications for the member.
    DoNotDisturb(bool),
    /// `nickname`: the member's name in the group.
    Nickname(String),
    /// `mute`: forbid the member to speak in the group (server side only).
    Mute(bool),
}

impl MemberSetting {
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Self::DoNotDisturb(on) => json!({"do_not_disturb": on}),
            Self::Nickname(name) => json!({"nickname": name}),
            Self::Mute(on) => json!({"mute": on}),
        }
    }
}

/// The body of a member list: `[{uid, name, avatar}, …]`.
pub(crate) fn members_json(members: impl IntoIterator<Item = impl Into<Member>>) -> Value {
    let members: Vec<Member> = members.into_iter().map(Into::into).collect();
    serde_json::to_value(members).unwrap_or_default()
}

/// `data` of a group creation.
#[derive(Deserialize)]
pub(crate) struct Created {
    #[serde(deserialize_with = "u64_lenient")]
    pub group_id: u64,
}

pub(crate) fn new_group_json(group: &NewGroup) -> Value {
    serde_json::to_value(group).unwrap_or_default()
}

impl Groups<'_> {
    /// Creates a group (`POST /groups`); its id.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::{Member, NewGroup};
    /// let gid = client
    ///     .groups()
    ///     .create(NewGroup::new(1001, "项目组").member(Member::new(1001).name("Alice")).member(1002))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for
    /// refused credentials) or a transport, time-out or unreadable-answer failure.
    pub async fn create(&self, group: NewGroup) -> Result<u64, Error> {
        let call = Call::new(Method::POST, "groups").json(new_group_json(&group));
        let created: Created = self.client.data(call).await?;
        Ok(created.group_id)
    }

    /// Renames group `gid` (`PATCH /groups/{gid}`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn rename(&self, gid: u64, name: impl Into<String>) -> Result<(), Error> {
        let call = Call::new(Method::PATCH, format!("groups/{gid}"));
        self.client
            .done(call.json(json!({"name": name.into()})))
            .await
    }

    /// Dissolves group `gid` (`DELETE /groups/{gid}`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn dissolve(&self, gid: u64) -> Result<(), Error> {
        self.client
            .done(Call::new(Method::DELETE, format!("groups/{gid}")))
            .await
    }

    /// Adds members to group `gid` (`POST /groups/{gid}/members`), with who invited them when
    /// `inviter` is given.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::{Inviter, Member};
    /// client.groups().add_members(42, [Member::new(1003).name("Carol")], Some(Inviter::new(1001, "Alice"))).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn add_members(
        &self,
        gid: u64,
        members: impl IntoIterator<Item = impl Into<Member>>,
        inviter: Option<Inviter>,
    ) -> Result<(), Error> {
        let mut body = Map::new();
        body.insert("members".into(), members_json(members));
        if let Some(inviter) = inviter {
            body.insert(
                "inviter".into(),
                json!({"uid": inviter.uid, "name": inviter.name}),
            );
        }
        let call = Call::new(Method::POST, format!("groups/{gid}/members"));
        self.client.done(call.json(Value::Object(body))).await
    }

    /// Removes members from group `gid` (`DELETE /groups/{gid}/members`). They are sent as
    /// `{uid, name, avatar}` objects, the form both the server and the client endpoint take.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn remove_members(
        &self,
        gid: u64,
        members: impl IntoIterator<Item = impl Into<Member>>,
    ) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, format!("groups/{gid}/members"));
        self.client.done(call.json(members_json(members))).await
    }

    /// Member `uid` leaves group `gid` (`DELETE /groups/{gid}/members/{uid}`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn leave(&self, gid: u64, uid: u64) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, format!("groups/{gid}/members/{uid}"));
        self.client.done(call).await
    }

    /// Turns group `gid` into a super group (`POST /groups/{gid}/upgrade`). The document gives no
    /// body but a JSON content type, so the body is `{}`.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn upgrade(&self, gid: u64) -> Result<(), Error> {
        let call = Call::new(Method::POST, format!("groups/{gid}/upgrade"));
        self.client.done(call.json(json!({}))).await
    }

    /// Sets one of member `uid`'s settings in group `gid` (`PATCH /groups/{gid}/members/{uid}`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::MemberSetting;
    /// client.groups().member_settings(42, 1002, MemberSetting::Nickname("Bob (ops)".into())).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn member_settings(
        &self,
        gid: u64,
        uid: u64,
        setting: MemberSetting,
    ) -> Result<(), Error> {
        let call = Call::new(Method::PATCH, format!("groups/{gid}/members/{uid}"));
        self.client.done(call.json(setting.to_json())).await
    }
}
