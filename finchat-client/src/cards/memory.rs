//! [`MemoryCardStore`]: cards in this process's memory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use finchat_cui::EventId;

use super::store::{CardFilter, CardStore, StoreError, StoreResult};
use super::{CardId, CardRecord};
use crate::token::StoreFuture;

/// A [`CardStore`] in this process's memory: for tests, and for a bot whose pending cards may be
/// forgotten when it stops (a restart then answers their submissions as for unknown cards).
#[derive(Default)]
pub struct MemoryCardStore {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    cards: BTreeMap<CardId, CardRecord>,
    origins: HashMap<EventId, CardId>,
    /// (wakes_at, id) of every card that has one.
    wakes: BTreeSet<(i64, CardId)>,
}

impl MemoryCardStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> StoreResult<R>) -> StoreResult<R> {
        let mut inner = self
            .inner
            .lock()
            .map_err(|_| StoreError::unavailable("a thread panicked while changing the store"))?;
        f(&mut inner)
    }
}

impl Inner {
    fn index(&mut self, card: &CardRecord) {
        if let Some(at) = card.wakes_at() {
            self.wakes.insert((at, card.id.clone()));
        }
    }

    fn unindex(&mut self, card: &CardRecord) {
        if let Some(at) = card.wakes_at() {
            self.wakes.remove(&(at, card.id.clone()));
        }
    }
}

impl CardStore for MemoryCardStore {
    fn insert<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<()>> {
        let result = self.with(|inner| {
            let taken = inner.cards.contains_key(&card.id)
                || card
                    .copies
                    .iter()
                    .any(|c| inner.origins.contains_key(&c.origin_event));
            if taken {
                return Err(StoreError::Exists(card.id.clone()));
            }
            for copy in &card.copies {
                inner
                    .origins
                    .insert(copy.origin_event.clone(), card.id.clone());
            }
            inner.index(card);
            inner.cards.insert(card.id.clone(), card.clone());
            Ok(())
        });
        Box::pin(async move { result })
    }

    fn get<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        let result = self.with(|inner| Ok(inner.cards.get(id).cloned()));
        Box::pin(async move { result })
    }

    fn revision<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<u64>>> {
        let result = self.with(|inner| Ok(inner.cards.get(id).map(|card| card.revision)));
        Box::pin(async move { result })
    }

    fn by_origin<'a>(
        &'a self,
        origin: &'a EventId,
    ) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        let result = self.with(|inner| {
            Ok(inner
                .origins
                .get(origin)
                .and_then(|id| inner.cards.get(id))
                .cloned())
        });
        Box::pin(async move { result })
    }

    fn replace<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<bool>> {
        let result = self.with(|inner| {
            let Some(kept) = inner.cards.get(&card.id) else {
                return Ok(false);
            };
            if kept.revision.checked_add(1) != Some(card.revision) {
                return Ok(false);
            }
            if let Some(kept) = inner.cards.insert(card.id.clone(), card.clone()) {
                inner.unindex(&kept);
            }
            inner.index(card);
            Ok(true)
        });
        Box::pin(async move { result })
    }

    fn find<'a>(&'a self, filter: &'a CardFilter) -> StoreFuture<'a, StoreResult<Vec<CardRecord>>> {
        let result = self.with(|inner| {
            let mut found: Vec<CardRecord> = inner
                .cards
                .values()
                .filter(|card| filter.matches(card))
                .cloned()
                .collect();
            found.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
            Ok(found)
        });
        Box::pin(async move { result })
    }

    fn due(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, StoreResult<Vec<CardRecord>>> {
        let result = self.with(|inner| {
            Ok(inner
                .wakes
                .iter()
                .take_while(|(at, _)| *at <= now_ms)
                .take(limit)
                .filter_map(|(_, id)| inner.cards.get(id).cloned())
                .collect())
        });
        Box::pin(async move { result })
    }

    fn remove<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<()>> {
        let result = self.with(|inner| {
            if let Some(card) = inner.cards.remove(id) {
                inner.unindex(&card);
                for copy in &card.copies {
                    inner.origins.remove(&copy.origin_event);
                }
            }
            Ok(())
        });
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_store_keeps_the_card_store_contract() {
        super::super::contract::check(&MemoryCardStore::new()).await;
    }
}
