//! Users: a user's profile and their friends (direct rooms).

use finchat_cui::{Fcid, RoomId};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::received::MaybeId;
use super::segment;
use crate::client::Call;
use crate::{Client, Error};

const USERS: &str = "/api/v1/finchat/open-api/users";

/// The user calls: `client.users()`.
#[derive(Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl Client {
    /// Reading users' profiles and friends.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

impl Users<'_> {
    /// The profile of `fcid` (`GET …/open-api/users/{fcid}?app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let user = client.users().detail(&"@alice:example.org".parse().unwrap()).await?;
    /// println!("{:?} <{:?}>", user.name, user.email);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for an empty, `.` or `..` id (nothing is sent); else class
    /// `NotFound` (`FC_FCID_NOT_FOUND`) for an unknown user, another refusal of the API, or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn detail(&self, fcid: &Fcid) -> Result<UserDetail, Error> {
        let call = Call::new(Method::GET, format!("{USERS}/{}", segment(fcid.as_str())?))
            .query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }

    /// The friends of `fcid`, each with their direct room
    /// (`GET …/open-api/users/{fcid}/friendships?app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let alice = "@alice:example.org".parse().unwrap();
    /// for friend in client.users().friendships(&alice).await?.iter().filter(|f| !f.is_bot) {
    ///     println!("{} in {}", friend.to_fcid, friend.room_id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for an empty, `.` or `..` id (nothing is sent); else class
    /// `NotFound` (`FC_FCID_NOT_FOUND`) for an unknown user, another refusal of the API, or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn friendships(&self, fcid: &Fcid) -> Result<Vec<Friendship>, Error> {
        let call = Call::new(
            Method::GET,
            format!("{USERS}/{}/friendships", segment(fcid.as_str())?),
        )
        .query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }
}

/// A user's profile. Every field but `fcid` may be missing; an `fcid` that is not a valid one is
/// kept raw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDetail {
    /// The user's id.
    pub fcid: MaybeId<Fcid>,
    /// The account name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The gender, e.g. `male`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// The mobile phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// The landline number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landline: Option<String>,
    /// The position (rank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The employee number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_number: Option<String>,
    /// The ids of the user's roles.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The ids of the user's departments (older servers call the field `groups`).
    #[serde(default, alias = "groups")]
    pub departments: Vec<String>,
    /// The id of the user's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A friend of a user, and their direct room; an id that is not a valid one is kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Friendship {
    /// The friend.
    pub to_fcid: MaybeId<Fcid>,
    /// The direct room of the user and the friend.
    pub room_id: MaybeId<RoomId>,
    /// Whether the friend is a bot.
    #[serde(default)]
    pub is_bot: bool,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
