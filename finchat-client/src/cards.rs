//! The card registry: every card a bot sends, kept with its copies, its last full content and where
//! its decision stands, so that the bot can change one element, close it once, and carry on after a
//! restart or on another instance.
//!
//! Two facts of FinChat make this the library's job: update-cui replaces the whole card and there is
//! no API to read a card back, so whoever changes one element must hold the full card; and a card
//! carries no hidden state (a submission is only `{action, info}`), so what a flow needs between
//! steps lives on the server, keyed by the card's `origin_event`.
//!
//! - [`CardRegistry`] sends and registers cards ([`CardRegistry::send`], [`CardRegistry::ask`]),
//!   changes them ([`CardRegistry::patch`], [`CardRegistry::refresh`]) by compare-and-set on their
//!   revision, and updates every copy;
//! - [`Dispatcher::on_decision`](crate::Dispatcher::on_decision) takes the submissions on its cards
//!   through their lifecycle: decided once, by an approver, before the deadline, with errors sent
//!   back into the submitter's copy; [`CardRegistry::spawn_expiry`] closes the cards whose deadline
//!   passed;
//! - [`CardRegistry::decision`] waits for a typed decision in process.
//!
//! Cards are kept in a [`CardStore`]: [`MemoryCardStore`] here, `SqliteCardStore` with the `sqlite`
//! feature, `RedisCardStore` with the `redis` feature. The workspace README's "From card to
//! decision" shows it end to end, and says what is guaranteed.

mod edit;
mod lifecycle;
mod memory;
mod notices;
mod record;
mod registry;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;

#[cfg(test)]
pub(crate) mod contract;

pub use edit::{CardEdit, FieldError};
pub(crate) use lifecycle::decide;
pub use lifecycle::{Decision, Verdict};
pub use memory::MemoryCardStore;
pub use notices::Notices;
pub use record::{CardCopy, CardId, CardRecord, Phase};
pub(crate) use registry::kind_of;
pub use registry::{
    CardError, CardRegistry, Decided, Refreshed, RegisterRequest, Registered, Updated,
};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteCardStore;
pub use store::{CardFilter, CardStore, StoreError, StoreResult};
