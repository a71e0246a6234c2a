//! Groups, client side (`/client/groups…`, the user's Bearer token): create, list, rename, set the
//! notice, dissolve, add and remove members, leave, a member's settings.
//!
//! The document marks some of these "server auth" (create, remove members, member settings); under
//! `/client/` that reads as a slip, so every call here carries the user's token.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::de::{opt_bool_lenient, opt_string_lenient, opt_u64_lenient, u64_lenient};
use super::groups::{Created, members_json, new_group_json};
use super::{Error, Member, MemberSetting, NewGroup, UserSession};

/// The client-side group calls: `client.as_user(token).groups()`.
#[derive(Clone, Copy)]
pub struct ClientGroups<'a> {
    pub(crate) session: &'a UserSession<'a>,
}

/// A group as `GET /client/groups` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// `id`.
    #[serde(deserialize_with = "u64_lenient")]
    pub id: u64,
    /// `master`: the administrator.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub master: Option<u64>,
    /// `super`: a super group (`1`/`0` on the wire).
    #[serde(rename = "super", default, deserialize_with = "opt_bool_lenient")]
    pub super_group: Option<bool>,
    /// `name`.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub name: Option<String>,
    /// `notice`: the group's announcement.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub notice: Option<String>,
    /// `members` (asked for with `fields=members`).
    #[serde(default)]
    pub members: Vec<GroupMemberInfo>,
    /// `do_not_disturb`: the user's setting for the group (asked for with `fields=quiet`).
    #[serde(default, deserialize_with = "opt_bool_lenient")]
    pub do_not_disturb: Option<bool>,
    /// Other fields, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A member as `GET /client/groups` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GroupMemberInfo {
    /// `uid`.
    #[serde(deserialize_with = "u64_lenient")]
    pub uid: u64,
    /// `name`: the user's name.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub name: Option<String>,
    /// `nickname`: the user's name in this group.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub nickname: Option<String>,
    /// Other fields, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ClientGroups<'_> {
    /// Creates a group (`POST /client/groups`); its id.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for a
    /// refused user token) or a transport, time-out or unreadable-answer failure.
    pub async fn create(&self, group: NewGroup) -> Result<u64, Error> {
        let call = self
            .session
            .call(Method::POST, "client/groups")
            .json(new_group_json(&group));
        let created: Created = self.session.client.data(call).await?;
        Ok(created.group_id)
    }

    /// The user's groups with their members and the user's do-not-disturb setting
    /// (`GET /client/groups?fields=members,quiet`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client, token: String) -> Result<(), finchat_client::gobelieve::Error> {
    /// for group in client.as_user(token).groups().list().await? {
    ///     println!("{} {:?}: {} members", group.id, group.name, group.members.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for a
    /// refused user token) or a transport, time-out or unreadable-answer failure.
    pub async fn list(&self) -> Result<Vec<GroupInfo>, Error> {
        let call = self
            .session
            .call(Method::GET, "client/groups")
            .query("fields", "members,quiet");
        self.session.client.data(call).await
    }

    /// Renames group `gid` (`PATCH /client/groups/{gid}` with `name`; the API takes the name and
    /// the notice one at a time).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn rename(&self, gid: u64, name: impl Into<String>) -> Result<(), Error> {
        self.patch_group(gid, json!({"name": name.into()})).await
    }

    /// Sets group `gid`'s notice (`PATCH /client/groups/{gid}` with `notice`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn set_notice(&self, gid: u64, notice: impl Into<String>) -> Result<(), Error> {
        self.patch_group(gid, json!({"notice": notice.into()}))
            .await
    }

    /// Dissolves group `gid` (`DELETE /client/groups/{gid}`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn dissolve(&self, gid: u64) -> Result<(), Error> {
        let call = self
            .session
            .call(Method::DELETE, format!("client/groups/{gid}"));
        self.session.client.done(call).await
    }

    /// Adds members to group `gid` (`POST /client/groups/{gid}/members`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn add_members(
        &self,
        gid: u64,
        members: impl IntoIterator<Item = impl Into<Member>>,
    ) -> Result<(), Error> {
        let call = self
            .session
            .call(Method::POST, format!("client/groups/{gid}/members"))
            .json(json!({"members": members_json(members)}));
        self.session.client.done(call).await
    }

    /// Removes members from group `gid` (`DELETE /client/groups/{gid}/members`, a list of
    /// `{uid, name, avatar}`).
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
        let call = self
            .session
            .call(Method::DELETE, format!("client/groups/{gid}/members"))
            .json(members_json(members));
        self.session.client.done(call).await
    }

    /// Member `uid` leaves group `gid` (`DELETE /client/groups/{gid}/members/{uid}`): the user
    /// themselves, or a member the group's master removes.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (status and `meta`) or a transport failure, time-out or
    /// unreadable answer.
    pub async fn leave(&self, gid: u64, uid: u64) -> Result<(), Error> {
        let call = self
            .session
            .call(Method::DELETE, format!("client/groups/{gid}/members/{uid}"));
        self.session.client.done(call).await
    }

    /// Sets one of member `uid`'s settings in group `gid`
    /// (`PATCH /client/groups/{gid}/members/{uid}`). The client side has no `mute`: a
    /// [`MemberSetting::Mute`] is refused before anything is sent.
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for [`MemberSetting::Mute`] (nothing is sent); else
    /// the server's refusal (status and `meta`) or a transport, time-out or unreadable-answer
    /// failure.
    pub async fn member_settings(
        &self,
        gid: u64,
        uid: u64,
        setting: MemberSetting,
    ) -> Result<(), Error> {
        let path = format!("client/groups/{gid}/members/{uid}");
        if matches!(setting, MemberSetting::Mute(_)) {
            return Err(Error::refused(
                "the client-side member settings have no `mute`; use the server-side \
                 `client.groups().member_settings`",
            )
            .in_call(format!("PATCH /{path}")));
        }
        let call = self
            .session
            .call(Method::PATCH, path)
            .json(setting.to_json());
        self.session.client.done(call).await
    }

    async fn patch_group(&self, gid: u64, body: Value) -> Result<(), Error> {
        let call = self
            .session
            .call(Method::PATCH, format!("client/groups/{gid}"))
            .json(body);
        self.session.client.done(call).await
    }
}
