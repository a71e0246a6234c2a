//! The async client of the FinChat open API, for bots and apps: send messages and CUI cards to rooms
//! and people with one result per target, update cards, and receive what people do as typed events,
//! pushed to a webhook (`Receiver`) or polled ([`polling`]), routed by a [`Dispatcher`].
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `receiver` | on | `Receiver`, the webhook receiver: an axum router taking FinChat's pushes |
//! | `rustls` | on | HTTPS by rustls with the aws-lc-rs crypto provider and the platform's verifier |
//! | `rustls-ring` | off | HTTPS by rustls with the ring crypto provider, installed as the process default unless the app installed one |
//! | `native-tls` | off | HTTPS by the platform's TLS library (OpenSSL on Linux) |
//! | `fuxin` | off | `fuxin`: FuXin meeting-system tokens |
//! | `gobelieve` | off | `gobelieve`: the GoBelieve IM REST API |
//! | `metrics` | off | counters through the `metrics` facade (see [`telemetry`]) |
//! | `sqlite` | off | `cards::SqliteCardStore`: the card registry in an embedded SQLite file (bundled), kept across restarts |
//! | `redis` | off | `redis`: stores on Redis for many instances (cards, dedupe, the app token and the polling cursor, under leases) |
//!
//! A bot that only sends needs `default-features = false, features = ["rustls"]`: no server side.
//! Without a TLS feature the client speaks plain HTTP only.
//!
//! [`Client`] is cheap to clone and safe to share between tasks. It fetches the app access token on
//! first use, keeps it, replaces it before it expires, fetches only one at a time, and replaces it
//! once when the server refuses it. Content is validated before it is sent: an invalid card never
//! leaves the process.
//!
//! Every pushed or polled event, handler run, API call and token fetch has a `tracing` span, and
//! with the `metrics` feature the client counts events, redeliveries, failures and token fetches;
//! the [`telemetry`] module lists their names and fields. None holds a token or a secret.
//!
//! A local FinChat to develop and test bots against is the `finchat-sandbox` crate; the `finchat`
//! command-line tool is `finchat-cli`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use finchat_client::Client;
//! use finchat_cui::cui;
//!
//! let client = Client::from_env()?; // FINCHAT_BASE_URL, FINCHAT_APP_ID, FINCHAT_SECRET
//! let card = cui! {
//!     <form>
//!         <text>"报销申请 #42"</text>
//!         <reply key="decision">"同意"</reply>
//!         <reply key="decision">"驳回"</reply>
//!     </form>
//! };
//! let report = client.messages().send(card).room("!r:example.org".parse()?).send().await?;
//! println!("{}", serde_json::to_string(&report)?);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
pub mod cards;
mod client;
mod dispatcher;
mod error;
pub mod events;
mod fc_code;
#[cfg(feature = "fuxin")]
pub mod fuxin;
#[cfg(feature = "gobelieve")]
pub mod gobelieve;
mod http;
pub mod millis;
pub mod polling;
mod race;
#[cfg(feature = "receiver")]
pub mod receiver;
#[cfg(feature = "redis")]
pub mod redis;
mod retry;
mod secret;
pub mod telemetry;
pub mod token;

pub use api::media::{Download, Media};
pub use api::messages::{Messages, Progress, SendRequest, ToDeviceRequest};
pub use api::received::{IdList, MaybeId};
pub use api::report::{Delivery, SendReport, Target, TargetResult};
pub use client::{Client, ClientBuilder};
pub use dispatcher::{Dispatched, Dispatcher, HandlerError, HandlerResult};
pub use error::{Error, ErrorClass};
pub use fc_code::FcCode;
#[cfg(feature = "receiver")]
pub use receiver::Receiver;
pub use retry::RetryPolicy;
pub use secret::Secret;

/// The axum crate, whose `Router` [`Receiver::router`] returns.
#[cfg(feature = "receiver")]
pub use axum;
/// The reqwest crate, whose `Client` [`ClientBuilder::http_client`] takes.
pub use reqwest;
pub use reqwest::StatusCode;
pub use url::Url;

/// The workspace README's examples, compiled and run as doctests (here, where both crates are in
/// reach). They receive events and run several instances on Redis too, so they run with the
/// `receiver` and `redis` features (as `cargo test --workspace` builds this crate).
#[cfg(all(doctest, feature = "receiver", feature = "redis"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
pub use api::apps::{Apps, DirectRoom, Visibility};
pub use api::contacts::{Contacts, Department, DepartmentRequest, Organization};
pub use api::forwarder::{EventPage, EventsRequest, Forwarder};
pub use api::identity::{IamHost, Identity, OidcTokens, UserInfo};
pub use api::rooms::{
    CreateRoom, HistoryVisibility, ModifyRoom, ModifyRoomAnswer, RoomDetail, Rooms,
};
pub use api::users::{Friendship, UserDetail, Users};

/// This crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;

/// What a panic said, for a log line: its `&str` or `String` payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
