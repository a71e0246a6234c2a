//! Users: a user's permanent token (`POST /auth/grant`) and their settings (`POST /users/{uid}`).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::client::Call;
use super::{Client, Error};
use crate::Secret;

/// The user calls: `client.users()`.
#[derive(Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl Client {
    /// User tokens and settings.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

/// The platform a user connects from: `platform_id` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Platform {
    /// `1`.
    Ios,
    /// `2`.
    Android,
    /// `3`.
    Web,
}

impl Platform {
    /// The wire value.
    pub fn id(self) -> u8 {
        match self {
            Self::Ios => 1,
            Self::Android => 2,
            Self::Web => 3,
        }
    }
}

impl Serialize for Platform {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.id())
    }
}

/// Who a token is granted to: the body of `POST /auth/grant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GrantRequest {
    /// `uid`.
    pub uid: u64,
    /// `user_name`.
    pub user_name: String,
    /// `platform_id` (optional).
    #[serde(rename = "platform_id", skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// `device_id` (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

impl GrantRequest {
    /// A grant for user `uid` called `user_name`.
    pub fn new(uid: u64, user_name: impl Into<String>) -> Self {
        Self {
            uid,
            user_name: user_name.into(),
            platform: None,
            device_id: None,
        }
    }

    /// The user's platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The user's device.
    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }
}

/// A granted token; `Debug` does not show it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Grant {
    /// `token`: the user's permanent token, for the client-side calls
    /// ([`Client::as_user`](super::Client::as_user)) and for connecting to the IM server.
    pub token: Secret,
}

/// A user's settings: the body of `POST /users/{uid}`; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSettings {
    /// `name`.
    pub name: Option<String>,
    /// `do_not_disturb`: `{peer_uid, on}`.
    pub do_not_disturb: Option<(u64, bool)>,
    /// `mute`: silence the phone (while another device is online).
    pub mute: Option<bool>,
}

impl UserSettings {
    /// Nothing set yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The user's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Turns do-not-disturb for messages from `peer_uid` on or off.
    pub fn do_not_disturb(mut self, peer_uid: u64, on: bool) -> Self {
        self.do_not_disturb = Some((peer_uid, on));
        self
    }

    /// Mutes the phone, or not.
    pub fn mute(mut self, mute: bool) -> Self {
        self.mute = Some(mute);
        self
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        if let Some((peer_uid, on)) = self.do_not_disturb {
            body.insert(
                "do_not_disturb".into(),
                json!({"peer_uid": peer_uid, "on": on}),
            );
        }
        if let Some(mute) = self.mute {
            body.insert("mute".into(), json!(mute));
        }
        body
    }
}

impl Users<'_> {
    /// A permanent token for a user (`POST /auth/grant`, server auth).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::{GrantRequest, Platform};
    /// let grant = client.users().grant(GrantRequest::new(1001, "alice").platform(Platform::Web)).await?;
    /// let alice = client.as_user(grant.token);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for
    /// refused credentials) or a transport, time-out or unreadable-answer failure.
    pub async fn grant(&self, request: GrantRequest) -> Result<Grant, Error> {
        #[derive(Deserialize)]
        struct Answer {
            token: String,
        }
        let body = serde_json::to_value(&request)
            .map_err(|e| Error::config(format!("cannot write the grant request: {e}")))?;
        let answer: Answer = self
            .client
            .data(Call::new(Method::POST, "auth/grant").json(body))
            .await?;
        Ok(Grant {
            token: Secret::new(answer.token),
        })
    }

    /// Changes user `uid`'s settings (`POST /users/{uid}`, server auth). Settings with nothing set
    /// are refused before anything is sent.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::UserSettings;
    /// client.users().settings(1001, UserSettings::new().name("Alice").mute(true)).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] when no setting is given (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn settings(&self, uid: u64, settings: UserSettings) -> Result<(), Error> {
        let body = settings.to_json();
        let call = Call::new(Method::POST, format!("users/{uid}"));
        if body.is_empty() {
            return Err(Error::refused("no setting given").in_call(format!("POST /users/{uid}")));
        }
        self.client.done(call.json(Value::Object(body))).await
    }
}
