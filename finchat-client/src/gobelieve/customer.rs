//! Customer service: a customer's token (`POST /auth/customer`, no auth) and the offline-message
//! count (`GET /messages/offline`, server auth). The customer's own calls, the supporters of a
//! store and the history, are on [`UserSession`](super::UserSession).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::{Auth, Call};
use super::de::{opt_string_lenient, u64_lenient};
use super::{Client, Error, Platform};
use crate::Secret;

/// The customer-service calls of the app: `client.customer_service()`.
#[derive(Clone, Copy)]
pub struct CustomerService<'a> {
    client: &'a Client,
}

impl Client {
    /// Customer-service tokens and offline counts.
    pub fn customer_service(&self) -> CustomerService<'_> {
        CustomerService { client: self }
    }
}

/// Who asks for a customer token: the body of `POST /auth/customer` (the client adds `appid`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CustomerRequest {
    /// `customer_id`.
    pub customer_id: String,
    /// `name`.
    pub name: String,
    /// `avatar`: the URL of the customer's picture.
    pub avatar: String,
    /// `platform_id` (optional).
    #[serde(rename = "platform_id", skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// `device_id` (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

impl CustomerRequest {
    /// Customer `customer_id`, called `name`, with the picture at `avatar`.
    pub fn new(
        customer_id: impl Into<String>,
        name: impl Into<String>,
        avatar: impl Into<String>,
    ) -> Self {
        Self {
            customer_id: customer_id.into(),
            name: name.into(),
            avatar: avatar.into(),
            platform: None,
            device_id: None,
        }
    }

    /// The customer's platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The customer's device.
    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }
}

/// A customer's token and where they are served; `Debug` does not show the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomerToken {
    /// `token`: for the customer's own calls ([`Client::as_user`]).
    pub token: Secret,
    /// `store_id`: the service desk.
    pub store_id: Option<String>,
    /// `client_id`: the customer's id in GoBelieve.
    pub client_id: Option<String>,
}

/// Which customer's offline messages to count: the query of `GET /messages/offline`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OfflineQuery {
    /// `customer_id`.
    pub customer_id: String,
    /// `platform_id` (optional).
    pub platform: Option<Platform>,
    /// `device_id` (optional).
    pub device_id: Option<String>,
}

impl OfflineQuery {
    /// Customer `customer_id`, any platform and device.
    pub fn new(customer_id: impl Into<String>) -> Self {
        Self {
            customer_id: customer_id.into(),
            platform: None,
            device_id: None,
        }
    }

    /// Only this platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Only this device.
    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }
}

/// A supporter of a store: one of `GET /supporters`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Supporter {
    /// `seller_id`.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub seller_id: Option<String>,
    /// `name`.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub name: Option<String>,
    /// `avatar`.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub avatar: Option<String>,
    /// `status`: `online` or `offline`.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub status: Option<String>,
    /// Other fields, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A message of the history: one of `GET /messages`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HistoryMessage {
    /// `id`.
    #[serde(deserialize_with = "u64_lenient")]
    pub id: u64,
    /// `content`: the message's string.
    #[serde(default)]
    pub content: String,
    /// `timestamp`: when it was sent (Unix time, as the server gives it).
    #[serde(default, deserialize_with = "super::de::opt_u64_lenient")]
    pub timestamp: Option<u64>,
    /// Other fields, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomerService<'_> {
    /// A token for a customer of the app (`POST /auth/customer`, no authentication).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// use finchat_client::gobelieve::CustomerRequest;
    /// let request = CustomerRequest::new("c-42", "访客42", "https://example.org/a.png");
    /// let customer = client.customer_service().token(request).await?;
    /// let supporters = client.as_user(customer.token).supporters("1").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`) or a transport, time-out or
    /// unreadable-answer failure.
    pub async fn token(&self, request: CustomerRequest) -> Result<CustomerToken, Error> {
        #[derive(Deserialize)]
        struct Answer {
            token: String,
            #[serde(default, deserialize_with = "opt_string_lenient")]
            store_id: Option<String>,
            #[serde(default, deserialize_with = "opt_string_lenient")]
            client_id: Option<String>,
        }
        let mut body = serde_json::to_value(&request)
            .map_err(|e| Error::config(format!("cannot write the customer request: {e}")))?;
        body["appid"] = Value::from(self.client.appid());
        let call = Call::new(Method::POST, "auth/customer")
            .json(body)
            .auth(Auth::None);
        let answer: Answer = self.client.data(call).await?;
        Ok(CustomerToken {
            token: Secret::new(answer.token),
            store_id: answer.store_id,
            client_id: answer.client_id,
        })
    }

    /// How many offline messages the customer has (`GET /messages/offline`, server auth): the
    /// answer's `new`, which the document gives as 1 or 0.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's refusal (its status and `meta`; [`Error::is_unauthorized`] for
    /// refused credentials), a transport failure or time-out, or an unreadable answer
    /// ([`Error::is_malformed_response`]), also when `new` is not a count.
    pub async fn offline_count(&self, query: OfflineQuery) -> Result<u64, Error> {
        #[derive(Deserialize)]
        struct Answer {
            new: Value,
        }
        let mut call =
            Call::new(Method::GET, "messages/offline").query("customer_id", query.customer_id);
        if let Some(platform) = query.platform {
            call = call.query("platform_id", platform.id().to_string());
        }
        if let Some(device_id) = query.device_id {
            call = call.query("device_id", device_id);
        }
        let answer: Answer = self.client.data(call).await?;
        match &answer.new {
            Value::Bool(new) => Ok(u64::from(*new)),
            Value::Number(n) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
            Value::String(s) if s.trim().parse::<u64>().is_ok() => {
                Ok(s.trim().parse().unwrap_or_default())
            }
            other => Err(Error::malformed(
                reqwest::StatusCode::OK,
                format!("`new` is `{other}`, not a count"),
            )
            .in_call("GET /messages/offline")),
        }
    }
}
