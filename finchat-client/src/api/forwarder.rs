//! The forwarder: polling the events the server kept for the app, instead of receiving them at a
//! callback URL. Events are raw JSON here; typed events come later.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::segment;
use crate::client::Call;
use crate::{Client, Error};

const FORWARDER: &str = "/api/v1/finchat/privilege-api/forwarder";

/// The forwarder calls: `client.forwarder()`. They need the app's callback address set to
/// `/api/v1/finchat/privilege-api/forwarder/event`, so that the server keeps its events.
#[derive(Clone, Copy)]
pub struct Forwarder<'a> {
    client: &'a Client,
}

impl Client {
    /// Polling the events the server kept for the app.
    pub fn forwarder(&self) -> Forwarder<'_> {
        Forwarder { client: self }
    }
}

impl<'a> Forwarder<'a> {
    /// The next events after a position
    /// (`GET …/privilege-api/forwarder/{app_id}/events?since=&page_size=`); set the position and
    /// page size, then `.send()`.
    ///
    /// Poll by passing each page's [`EventPage::since`] to the next call. Repeating a call is
    /// harmless (the position is the client's), so a failed one is retried.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let mut since: Option<String> = None; // keep it across restarts
    /// loop {
    ///     let mut request = client.forwarder().events().page_size(50);
    ///     if let Some(since) = &since {
    ///         request = request.since(since.as_str());
    ///     }
    ///     let page = request.send().await?;
    ///     for event in &page.events {
    ///         println!("{}", event["type"]);
    ///     }
    ///     if page.events.is_empty() {
    ///         tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    ///     }
    ///     since = page.since.or(since);
    /// }
    /// # }
    /// ```
    pub fn events(&self) -> EventsRequest<'a> {
        EventsRequest {
            client: self.client,
            since: None,
            page_size: None,
        }
    }
}

/// A poll of the forwarder; see [`Forwarder::events`].
#[must_use = "nothing is sent until `.send().await`"]
pub struct EventsRequest<'a> {
    client: &'a Client,
    since: Option<String>,
    page_size: Option<u32>,
}

impl EventsRequest<'_> {
    /// The position to read after: the `since` of the previous page. Without it (or with an empty
    /// one), reading starts from the first kept event.
    pub fn since(mut self, since: impl Into<String>) -> Self {
        self.since = Some(since.into()).filter(|s| !s.is_empty());
        self
    }

    /// How many events at most (the server's default is 20).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Reads the page.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_APP_NOT_FOUND`, `FC_INVALID_ACCESS_TOKEN`, …) or a
    /// transport, time-out or unreadable-answer failure once the retries are used up; see
    /// [`Error::class`].
    pub async fn send(self) -> Result<EventPage, Error> {
        let path = format!("{FORWARDER}/{}/events", segment(self.client.app_id())?);
        let mut call = Call::new(Method::GET, path);
        if let Some(since) = self.since {
            call = call.query("since", since);
        }
        if let Some(page_size) = self.page_size {
            call = call.query("page_size", page_size.to_string());
        }
        self.client.call_json(call).await
    }
}

/// A page of kept events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventPage {
    /// The position after the last event of this page: pass it to the next poll. `None` when the
    /// server sent none or an empty one (nothing was ever read); keep the previous position then.
    #[serde(
        default,
        deserialize_with = "non_empty",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<String>,
    /// The events, ordered by `event_id`, each as the callback would have received it.
    #[serde(default)]
    pub events: Vec<Value>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An absent, `null` or empty `since` all mean "no position".
fn non_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|since| !since.is_empty()))
}
