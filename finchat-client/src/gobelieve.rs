//! The GoBelieve IM REST API (feature `gobelieve`): user tokens and settings, groups (server and
//! client side), messages, customer service.
//!
//! The app server authenticates with `Authorization: Basic base64(appid:hex(md5(appsecret)))`
//! ([`server_authorization`]); a user with `Authorization: Bearer {token}`, the token
//! [`Users::grant`] gives ([`Client::as_user`]). Every answer is `{meta: {code, message}, data}`
//! ([`Envelope`]): calls return `data` as a typed value, or the [`Error`] `meta` describes.
//!
//! A GoBelieve message is a string. FinChat content goes as its plain-text fallback
//! ([`Content`]), so one bot notifies both systems with one card:
//!
//! ```no_run
//! # async fn demo(finchat: finchat_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use finchat_client::gobelieve;
//! use finchat_cui::cui;
//!
//! let gobelieve = gobelieve::Client::builder()
//!     .base_url(gobelieve::PRODUCTION_BASE_URL)
//!     .appid(7)
//!     .secret(std::env::var("GOBELIEVE_SECRET")?)
//!     .build()?;
//! let card = cui! {
//!     <form>
//!         <text>"服务器告警：磁盘使用率 91%"</text>
//!         <submit>"已处理"</submit>
//!     </form>
//! };
//! finchat.messages().send(card.clone()).room("!ops:example.org".parse()?).send().await?;
//! gobelieve.messages().group(1, 42, card).await?; // "服务器告警：磁盘使用率 91%\n[ 已处理 ]"
//! # Ok(())
//! # }
//! ```

mod auth;
mod client;
mod client_groups;
mod content;
mod customer;
mod de;
mod envelope;
mod error;
mod groups;
mod messages;
mod session;
mod users;

pub use auth::server_authorization;
pub use client::{Client, ClientBuilder, PRODUCTION_BASE_URL};
pub use client_groups::{ClientGroups, GroupInfo, GroupMemberInfo};
pub use content::Content;
pub use customer::{
    CustomerRequest, CustomerService, CustomerToken, HistoryMessage, OfflineQuery, Supporter,
};
pub use envelope::{Envelope, Meta};
pub use error::Error;
pub use groups::{Groups, Inviter, Member, MemberSetting, NewGroup};
pub use messages::Messages;
pub use session::UserSession;
pub use users::{Grant, GrantRequest, Platform, UserSettings, Users};
