//! The app itself: its direct rooms with users, and who in the company may see it.

use finchat_cui::{Fcid, RoomId};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::received::{IdList, MaybeId};
use super::segment;
use crate::client::Call;
use crate::{Client, Error};

const APPS: &str = "/api/v1/finchat/open-api/apps";

/// The app calls: `client.apps()`. They are about the client's own app.
#[derive(Clone, Copy)]
pub struct Apps<'a> {
    client: &'a Client,
}

impl Client {
    /// Reading what the app has joined and who may see it.
    pub fn apps(&self) -> Apps<'_> {
        Apps { client: self }
    }
}

impl Apps<'_> {
    /// The app's direct rooms with users (`GET …/open-api/apps/{app_id}/friendships`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// for direct in client.apps().friendships().await? {
    ///     println!("{} in {}", direct.to_fcid, direct.room_id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_APP_NOT_FOUND`, `FC_INVALID_ACCESS_TOKEN`, …) or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn friendships(&self) -> Result<Vec<DirectRoom>, Error> {
        let path = format!("{APPS}/{}/friendships", segment(self.client.app_id())?);
        self.client.call_json(Call::new(Method::GET, path)).await
    }

    /// Which of the company's members may see the app (`GET …/open-api/apps/{app_id}/visibility`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let visibility = client.apps().visibility().await?;
    /// if !visibility.unlimited {
    ///     println!("{} departments, {} members", visibility.departments.len(), visibility.fcids.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_APP_NOT_FOUND`, `FC_INVALID_ACCESS_TOKEN`, …) or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn visibility(&self) -> Result<Visibility, Error> {
        let path = format!("{APPS}/{}/visibility", segment(self.client.app_id())?);
        self.client.call_json(Call::new(Method::GET, path)).await
    }
}

/// A direct room of the app with a user; an id that is not a valid one is kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DirectRoom {
    /// The user.
    pub to_fcid: MaybeId<Fcid>,
    /// The direct room.
    pub room_id: MaybeId<RoomId>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who may see the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Visibility {
    /// Every member may; `departments` and `fcids` are then empty.
    #[serde(default)]
    pub unlimited: bool,
    /// The departments whose members may.
    #[serde(default)]
    pub departments: Vec<String>,
    /// The members who may (an id that is not a valid fcid is kept raw in [`IdList::unparsed`]).
    #[serde(default)]
    pub fcids: IdList<Fcid>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
