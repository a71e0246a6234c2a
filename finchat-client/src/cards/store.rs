//! Where cards are kept: the [`CardStore`] trait, what it selects by, and its errors.

use std::collections::BTreeMap;
use std::time::Duration;

use finchat_cui::EventId;

use super::{CardId, CardRecord};
use crate::token::StoreFuture;

/// What a store call answers.
pub type StoreResult<T> = Result<T, StoreError>;

/// Where the registry keeps its cards: [`MemoryCardStore`](super::MemoryCardStore) for tests and one
/// process that may forget, `SqliteCardStore` (feature `sqlite`) for one process that must survive
/// restarts, `RedisCardStore` (feature `redis`) for many instances.
///
/// Every call may fail (a store that is down answers [`StoreError::Unavailable`]) and the registry
/// puts each under its deadline ([`CardRegistry::store_deadline`](super::CardRegistry::store_deadline)),
/// so a store that hangs is a [`StoreError::TimedOut`], not a hung handler.
///
/// A store indexes each card by each copy's `origin_event`, by its `kind` and labels, and by
/// [`CardRecord::wakes_at`]; [`CardStore::replace`] must keep the indexes in step with the record in
/// one atomic step.
pub trait CardStore: Send + Sync {
    /// Adds a new card.
    ///
    /// # Errors
    ///
    /// [`StoreError::Exists`] when a card with its id (or one of its `origin_event`s) is already
    /// kept; else why it could not be kept.
    fn insert<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<()>>;

    /// The card with id `id`.
    ///
    /// # Errors
    ///
    /// Why it could not be read; [`StoreError::Corrupt`] when what is kept is not a card.
    fn get<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>>;

    /// The revision of the card `id`, without reading the whole card (by default it does). The
    /// registry asks after each update, to make sure no newer change was kept meanwhile.
    ///
    /// # Errors
    ///
    /// As [`CardStore::get`].
    fn revision<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<u64>>> {
        Box::pin(async move { Ok(self.get(id).await?.map(|card| card.revision)) })
    }

    /// The card one of whose copies is the event `origin`.
    ///
    /// # Errors
    ///
    /// As [`CardStore::get`].
    fn by_origin<'a>(
        &'a self,
        origin: &'a EventId,
    ) -> StoreFuture<'a, StoreResult<Option<CardRecord>>>;

    /// Compare-and-set: writes `card` over the kept one only if the kept one's revision is
    /// `card.revision - 1`. `Ok(false)`: another change came first (or the card is gone); read it
    /// again and retry on the new revision.
    ///
    /// # Errors
    ///
    /// Why it could not be written; nothing is written then.
    fn replace<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<bool>>;

    /// The cards `filter` selects, oldest first.
    ///
    /// # Errors
    ///
    /// As [`CardStore::get`].
    fn find<'a>(&'a self, filter: &'a CardFilter) -> StoreFuture<'a, StoreResult<Vec<CardRecord>>>;

    /// Up to `limit` cards whose [`CardRecord::wakes_at`] is at or before `now_ms`, soonest first.
    ///
    /// # Errors
    ///
    /// As [`CardStore::get`].
    fn due(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, StoreResult<Vec<CardRecord>>>;

    /// Forgets the card `id` and its indexes; nothing when it is not kept.
    ///
    /// # Errors
    ///
    /// Why it could not be removed.
    fn remove<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<()>>;
}

/// Which cards a [`CardStore::find`] (and a bulk refresh) selects: all that match every part given.
///
/// ```
/// use finchat_client::cards::CardFilter;
///
/// let open_approvals_of_claim_42 = CardFilter::kind("ApprovalForm").label("claim", "42").live();
/// # let _ = open_approvals_of_claim_42;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    /// Only cards of this kind.
    pub kind: Option<String>,
    /// Only cards with all of these labels.
    pub labels: BTreeMap<String, String>,
    /// Only cards that still take decisions ([`CardRecord::is_live`]).
    pub live_only: bool,
}

impl CardFilter {
    /// Every card.
    pub fn all() -> Self {
        Self::default()
    }

    /// The cards of `kind`.
    pub fn kind(kind: impl Into<String>) -> Self {
        Self {
            kind: Some(kind.into()),
            ..Self::default()
        }
    }

    /// Also: labelled `key` = `value`.
    #[must_use]
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Also: still live (neither decided nor expired).
    #[must_use]
    pub fn live(mut self) -> Self {
        self.live_only = true;
        self
    }

    /// Whether `card` is one of those it selects.
    pub fn matches(&self, card: &CardRecord) -> bool {
        self.kind.as_ref().is_none_or(|kind| &card.kind == kind)
            && card.has_labels(&self.labels)
            && (!self.live_only || card.is_live())
    }
}

/// Why a card store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store could not be reached or refused the call (a server down, a disk full, …).
    #[error("card store unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The call took longer than its deadline; it may or may not have taken effect.
    #[error("card store did not answer {call} within {after:?}")]
    TimedOut {
        /// The call, e.g. `replace`.
        call: &'static str,
        /// The deadline.
        after: Duration,
    },
    /// A card with this id, or one of its copies' events, is already kept.
    #[error("card `{0}` (or one of its copies) is already registered")]
    Exists(CardId),
    /// What is kept under `id` is not a card this version can read.
    #[error("card `{id}` in the store cannot be read: {reason}")]
    Corrupt {
        /// The card's id (or the key it was kept under).
        id: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl StoreError {
    /// [`StoreError::Unavailable`] from any error.
    pub fn unavailable(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Unavailable(error.into())
    }

    /// A record read back from a store, from its JSON.
    #[cfg(any(feature = "sqlite", feature = "redis"))]
    pub(crate) fn decode(id: &str, json: &[u8]) -> StoreResult<CardRecord> {
        serde_json::from_slice(json).map_err(|e| Self::Corrupt {
            id: id.to_owned(),
            reason: e.to_string(),
        })
    }
}
