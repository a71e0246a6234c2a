//! `UserSession`: the client-side calls, made with a user's (or a customer's) Bearer token: the
//! groups under `/client/groups`, a store's supporters, the message history.

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::{Auth, Call};
use super::{Client, ClientGroups, Error, HistoryMessage, Supporter};
use crate::Secret;

/// The calls a user makes with their own token: `client.as_user(token)`.
///
/// The token comes from [`Users::grant`](super::Users::grant) or, for a customer,
/// [`CustomerService::token`](super::CustomerService::token).
#[derive(Clone)]
pub struct UserSession<'a> {
    pub(crate) client: &'a Client,
    pub(crate) token: Secret,
}

impl std::fmt::Debug for UserSession<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSession")
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The client-side calls, authenticated with `token` (`Authorization: Bearer …`).
    pub fn as_user(&self, token: impl Into<Secret>) -> UserSession<'_> {
        UserSession {
            client: self,
            token: token.into(),
        }
    }
}

impl UserSession<'_> {
    /// A call with this session's token.
    pub(crate) fn call(&self, method: Method, path: impl Into<String>) -> Call {
        Call::new(method, path).auth(Auth::User(self.token.clone()))
    }

    /// The user's groups (`/client/groups…`).
    pub fn groups(&self) -> ClientGroups<'_> {
        ClientGroups { session: self }
    }

    /// The supporters of service desk `store_id` (`GET /supporters?store_id=`). The document shows
    /// one object; a list is read too.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for a
    /// refused user token) or a transport, time-out or unreadable-answer failure.
    pub async fn supporters(&self, store_id: &str) -> Result<Vec<Supporter>, Error> {
        let call = self
            .call(Method::GET, "supporters")
            .query("store_id", store_id);
        one_or_many(self.client.data(call).await?, "GET /supporters")
    }

    /// The message history (`GET /messages`), of service desk `store` when given (`store=`).
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for a
    /// refused user token) or a transport, time-out or unreadable-answer failure.
    pub async fn history(&self, store: Option<&str>) -> Result<Vec<HistoryMessage>, Error> {
        let mut call = self.call(Method::GET, "messages");
        if let Some(store) = store {
            call = call.query("store", store);
        }
        self.client.data(call).await
    }
}

/// A list, or one object read as a list of one.
fn one_or_many<T: for<'de> Deserialize<'de>>(data: Value, call: &str) -> Result<Vec<T>, Error> {
    let items = match data {
        Value::Array(items) => items,
        one => vec![one],
    };
    items
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            Error::malformed(reqwest::StatusCode::OK, format!("`data`: {e}")).in_call(call)
        })
}
