//! What the registry keeps of a card: where each copy went, the last full content, its revision and
//! where its decision stands.

use std::collections::BTreeMap;
use std::fmt;

use finchat_cui::{CuiContent, EventId, Fcid, Submission};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Target;

/// The registry's own name for a card: one id for all of its copies (a card sent to three rooms has
/// three `origin_event`s and one `CardId`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(String);

impl CardId {
    /// A new random id (`card_` and 32 hex digits).
    pub fn random() -> Self {
        Self(format!(
            "card_{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        ))
    }

    /// An id the app chose, e.g. `claim-42`, so that the same request is not registered twice.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One copy of the card: the room or person it was sent to, and the `origin_event` FinChat gave it
/// there (what update-cui and submissions name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardCopy {
    /// Where the copy is.
    pub target: Target,
    /// The copy's event id.
    pub origin_event: EventId,
}

/// Where a card's decision stands (or, for an exclusive card, one person's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Waiting for a decision.
    Open,
    /// A submission is being handled, by whichever instance took it, until `until_ms` (a lease: an
    /// instance that dies leaves it to the redelivery of the same submission).
    Deciding {
        /// Who submitted.
        by: Fcid,
        /// The submission's event id.
        event: EventId,
        /// When the lease ends (milliseconds since the Unix epoch).
        until_ms: i64,
    },
    /// Decided, once and for all.
    Decided {
        /// Who decided.
        by: Fcid,
        /// The submission that decided it.
        event: EventId,
        /// When (milliseconds since the Unix epoch).
        at_ms: i64,
        /// The outcome line the card shows.
        outcome: Option<String>,
        /// What was submitted, to read it again as the form.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        submission: Option<Submission>,
    },
    /// The deadline passed and one instance is closing the card, until `until_ms` (a lease: another
    /// instance takes over when it lapses).
    Expiring {
        /// When the lease ends (milliseconds since the Unix epoch).
        until_ms: i64,
    },
    /// Closed because its deadline passed.
    Expired {
        /// When it was closed (milliseconds since the Unix epoch).
        at_ms: i64,
    },
}

impl Phase {
    /// Whether nothing more happens to it: decided or expired.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Decided { .. } | Self::Expired { .. })
    }
}

/// A card as the registry keeps it.
///
/// Every change goes through the store's compare-and-set: it is written only over the revision it
/// was read at, so two instances never interleave changes of one card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardRecord {
    /// The card's id.
    pub id: CardId,
    /// Counts the changes: 1 when registered, one more with each change.
    pub revision: u64,
    /// What kind of card it is; [`Dispatcher::on_decision`](crate::Dispatcher::on_decision) routes by
    /// it (the form type's name), and filters select by it.
    pub kind: String,
    /// The app's labels, for filters (e.g. `claim` = `42`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The app's own data for the card, kept between steps (the card itself carries no hidden state).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    /// The last full content sent to every copy.
    pub content: CuiContent,
    /// Each copy of the card. Set when it is registered; never changed.
    pub copies: Vec<CardCopy>,
    /// The content of a person's own copy, when it differs from [`CardRecord::content`] (an exclusive
    /// card's copy, or a copy that shows one person their errors).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_user: BTreeMap<Fcid, CuiContent>,
    /// Who may decide; empty: anyone who can see the card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<Fcid>,
    /// When the card expires (milliseconds since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<i64>,
    /// Where the card's decision stands: the whole card's for a shared card; for an exclusive card
    /// only `Open`, `Expiring` or `Expired` (each person's is in [`CardRecord::user_phases`]).
    pub phase: Phase,
    /// Each person's decision on an exclusive card.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_phases: BTreeMap<Fcid, Phase>,
    /// When it was registered (milliseconds since the Unix epoch).
    pub created_ms: i64,
}

impl CardRecord {
    /// A new record at revision 1, open, for `content` sent as `copies`.
    pub fn new(
        id: CardId,
        kind: impl Into<String>,
        content: CuiContent,
        copies: Vec<CardCopy>,
    ) -> Self {
        Self {
            id,
            revision: 1,
            kind: kind.into(),
            labels: BTreeMap::new(),
            data: Value::Null,
            content,
            copies,
            per_user: BTreeMap::new(),
            approvers: Vec::new(),
            deadline_ms: None,
            phase: Phase::Open,
            user_phases: BTreeMap::new(),
            created_ms: crate::millis::now_ms(),
        }
    }

    /// Whether each person decides for themselves (`info.shared` is `false`).
    pub fn is_exclusive(&self) -> bool {
        !self.content.info.shared
    }

    /// Where `person`'s decision stands: the card's own phase for a shared card.
    pub fn phase_of(&self, person: &Fcid) -> &Phase {
        if self.is_exclusive() && !self.phase.is_final() {
            self.user_phases.get(person).unwrap_or(&self.phase)
        } else {
            &self.phase
        }
    }

    /// Whether it still takes decisions: not decided (for a shared card) and not expired.
    pub fn is_live(&self) -> bool {
        !self.phase.is_final()
    }

    /// When the expiry sweep must look at it next (milliseconds since the Unix epoch): at the
    /// deadline of a live card, or when the lease of an interrupted expiry lapses. Stores index it.
    pub fn wakes_at(&self) -> Option<i64> {
        match &self.phase {
            Phase::Open => self.deadline_ms,
            Phase::Deciding { until_ms, .. } => self.deadline_ms.map(|d| d.max(*until_ms)),
            Phase::Expiring { until_ms } => Some(*until_ms),
            Phase::Decided { .. } | Phase::Expired { .. } => None,
        }
    }

    /// The copy whose event is `origin`.
    pub fn copy(&self, origin: &EventId) -> Option<&CardCopy> {
        self.copies.iter().find(|c| &c.origin_event == origin)
    }

    /// Whether `person` may decide: anyone when no approvers are named.
    pub fn may_decide(&self, person: &Fcid) -> bool {
        self.approvers.is_empty() || self.approvers.contains(person)
    }

    /// The labels match all of `labels`.
    pub(crate) fn has_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        labels.iter().all(|(k, v)| self.labels.get(k) == Some(v))
    }
}
