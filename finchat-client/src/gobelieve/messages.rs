//! Messages (server auth): to a peer, a group, a room; system messages, online notifications and
//! group notifications. Content is a string; FinChat content goes as its plain-text fallback.

use reqwest::Method;
use serde_json::{Value, json};

use super::client::Call;
use super::{Client, Content, Error};

/// The message calls: `client.messages()`.
///
/// Every call takes anything that is [`Content`]: text, or FinChat content such as a card, which is
/// sent as its plain-text fallback. Empty content is refused before anything is sent. A send is
/// repeated only when it provably never reached the server.
#[derive(Clone, Copy)]
pub struct Messages<'a> {
    client: &'a Client,
}

impl Client {
    /// Sending messages with the server's credentials.
    pub fn messages(&self) -> Messages<'_> {
        Messages { client: self }
    }
}

impl Messages<'_> {
    /// From user `sender` to user `receiver` (`POST /messages/peers`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::gobelieve::Client) -> Result<(), finchat_client::gobelieve::Error> {
    /// // The same card a bot sends to FinChat; GoBelieve gets its text.
    /// let card = finchat_cui::cui! { <form><text>"周报提醒"</text><submit>"已读"</submit></form> };
    /// client.messages().peer(1, 1001, card).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn peer(
        &self,
        sender: u64,
        receiver: u64,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        self.send(
            "messages/peers",
            json!({"sender": sender, "receiver": receiver}),
            content,
        )
        .await
    }

    /// From user `sender` to group `group_id` (`POST /messages/groups`).
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn group(
        &self,
        sender: u64,
        group_id: u64,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        self.send(
            "messages/groups",
            json!({"sender": sender, "receiver": group_id}),
            content,
        )
        .await
    }

    /// A system message to user `receiver` (`POST /messages/systems`).
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn system(&self, receiver: u64, content: impl Into<Content>) -> Result<(), Error> {
        self.send("messages/systems", json!({"receiver": receiver}), content)
            .await
    }

    /// A notification to user `receiver` while online (`POST /messages/notifications`).
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn notification(
        &self,
        receiver: u64,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        self.send(
            "messages/notifications",
            json!({"receiver": receiver}),
            content,
        )
        .await
    }

    /// A notification to group `group_id` (`POST /messages/groups/notifications`).
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn group_notification(
        &self,
        group_id: u64,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        self.send(
            "messages/groups/notifications",
            json!({"group_id": group_id}),
            content,
        )
        .await
    }

    /// From user `sender` to chat room `room_id` (`POST /messages/rooms`). The document calls the
    /// sender a group id, a slip: it is the sending user, as in the other sends.
    ///
    /// # Errors
    ///
    /// An [`Error`] that [`Error::is_refused`] for empty content (nothing is sent); else the
    /// server's refusal (status and `meta`) or a transport, time-out or unreadable-answer failure.
    pub async fn room(
        &self,
        sender: u64,
        room_id: u64,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        self.send(
            "messages/rooms",
            json!({"sender": sender, "receiver": room_id}),
            content,
        )
        .await
    }

    async fn send(
        &self,
        path: &str,
        mut body: Value,
        content: impl Into<Content>,
    ) -> Result<(), Error> {
        let content = content
            .into()
            .checked()
            .map_err(|e| e.in_call(format!("POST /{path}")))?;
        body["content"] = Value::String(content);
        self.client
            .done(Call::new(Method::POST, path).json(body))
            .await
    }
}
