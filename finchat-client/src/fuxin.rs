//! FuXin meeting-system auth (feature `fuxin`): `getAccessToken`, `refreshToken`, and a
//! [`TokenSource`] that keeps a token fresh for the meeting API's calls.
//!
//! FuXin hands out access tokens for two hours against the enterprise id (`eid`) and a secret, with a
//! refresh token that trades for the next one. [`Client`] makes the two token calls;
//! [`TokenSource`] keeps the current token, refreshes it while 10–20 % of its life is left (the
//! document's advice, configurable), falls back to a fresh `getAccessToken` when refreshing fails,
//! and repeats a call once with a new token when the server answers 401.
//!
//! The document gives no default eid or secret a client could rely on (its values are examples), and
//! its two calls live on two different hosts, so both base URLs are configuration:
//! [`ClientBuilder::base_url`] and [`ClientBuilder::refresh_base_url`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), finchat_client::fuxin::Error> {
//! use finchat_client::fuxin;
//!
//! let client = fuxin::Client::builder()
//!     .base_url("https://fuxin.example.org")
//!     .eid(std::env::var("FUXIN_EID").unwrap_or_default())
//!     .secret(std::env::var("FUXIN_SECRET").unwrap_or_default())
//!     .build()?;
//! let tokens = client.token_source();
//! // The document does not say how the meeting API carries the token; a query parameter here.
//! let http = reqwest::Client::new();
//! let response = tokens
//!     .send(|token| {
//!         http.get("https://fuxin.example.org/gateway/meeting/list")
//!             .query(&[("accessToken", token)])
//!     })
//!     .await?;
//! println!("{}", response.status());
//! # Ok(())
//! # }
//! ```

mod client;
mod error;
mod token_source;
mod wire;

pub use client::{Client, ClientBuilder, GET_ACCESS_TOKEN, REFRESH_TOKEN, SCOPE};
pub use error::Error;
pub use token_source::{FetchFuture, TokenFetcher, TokenSource, TokenSourceBuilder};
pub use wire::TokenGrant;
