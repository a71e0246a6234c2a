//! What a send or an update-cui did for each target: sent with its event id, refused with the server's
//! code, or unknown when the request failed in a way that leaves delivery open.

use finchat_cui::{EventId, Fcid, RoomId};
use serde::{Deserialize, Serialize};

use super::received::MaybeId;
use crate::{Error, FcCode};

/// A room or a user a message goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A room (`room_ids`).
    Room(RoomId),
    /// A user's direct room with the app (`fcids`).
    User(Fcid),
}

impl Target {
    /// The id as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Room(room) => room.as_str(),
            Self::User(fcid) => fcid.as_str(),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Room(room) => room.fmt(f),
            Self::User(fcid) => fcid.fmt(f),
        }
    }
}

/// What happened for one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Delivery {
    /// Sent; the message's event id.
    Sent {
        /// The event id of the message in that room, kept raw when the server answered one that
        /// is not a valid event id (the message was sent all the same).
        event_id: MaybeId<EventId>,
    },
    /// The server refused this target, or the request for it certainly was not accepted: it failed
    /// before reaching the server, or the server refused it as a whole (a 4xx, or a documented code
    /// naming the refusal).
    Failed {
        /// The server's `errcode` (`FC_UNKNOWN` when the failure was not the server's answer).
        errcode: FcCode,
        /// The server's `error`, or what went wrong.
        error: String,
    },
    /// The request failed after it may have reached the server (a time-out, a reset connection, a
    /// 5xx such as a proxy's 502/503/504, `FC_UNKNOWN` or `FC_INTERNAL_ERROR` outside a 4xx, an
    /// unreadable answer): the message may or may not have been sent. It is not retried, so as not to send it twice.
    Unknown {
        /// What went wrong.
        error: String,
    },
}

/// One target and what happened for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetResult {
    /// The room or user.
    pub target: Target,
    /// What happened.
    #[serde(flatten)]
    pub delivery: Delivery,
}

impl TargetResult {
    /// The event id, if the message was sent and the server answered a valid one.
    pub fn event_id(&self) -> Option<&EventId> {
        match &self.delivery {
            Delivery::Sent { event_id } => event_id.valid(),
            _ => None,
        }
    }
}

/// What a send did, one result per target: the rooms first, then the users, each in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SendReport {
    /// Every target's result.
    pub results: Vec<TargetResult>,
}

impl SendReport {
    /// Whether every target got the message.
    pub fn all_delivered(&self) -> bool {
        self.results
            .iter()
            .all(|r| matches!(r.delivery, Delivery::Sent { .. }))
    }

    /// The targets that did not certainly get it.
    pub fn undelivered(&self) -> impl Iterator<Item = &TargetResult> {
        self.results
            .iter()
            .filter(|r| !matches!(r.delivery, Delivery::Sent { .. }))
    }

    /// The event id of the message in `target`, if it was sent there and the server answered a valid
    /// one.
    pub fn event_id(&self, target: &Target) -> Option<&EventId> {
        self.results
            .iter()
            .find(|r| &r.target == target)
            .and_then(TargetResult::event_id)
    }

    /// Every target of `targets` unknown, for `error`.
    pub(crate) fn unknown(targets: &[Target], error: &str) -> SendReport {
        SendReport {
            results: targets
                .iter()
                .map(|target| TargetResult {
                    target: target.clone(),
                    delivery: Delivery::Unknown {
                        error: error.to_owned(),
                    },
                })
                .collect(),
        }
    }

    pub(crate) fn extend(&mut self, other: SendReport) {
        self.results.extend(other.results);
    }
}

/// The API's answer to send and update-cui.
#[derive(Deserialize)]
pub(crate) struct SendAnswer {
    #[serde(default)]
    room_id_result: Vec<Entry>,
    #[serde(default)]
    fcid_result: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    fcid: String,
    #[serde(default)]
    errcode: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    event_id: String,
}

impl SendAnswer {
    /// The results for `targets`, in their order. A target the answer does not mention is unknown.
    pub fn report(self, targets: &[Target]) -> SendReport {
        let entries: std::collections::HashMap<&str, &Entry> = self
            .room_id_result
            .iter()
            .map(|e| (e.room_id.as_str(), e))
            .chain(self.fcid_result.iter().map(|e| (e.fcid.as_str(), e)))
            .collect();
        let results = targets
            .iter()
            .map(|target| TargetResult {
                target: target.clone(),
                delivery: match entries.get(target.as_str()) {
                    Some(entry) => entry.delivery(),
                    None => Delivery::Unknown {
                        error: "the server's answer does not mention this target".into(),
                    },
                },
            })
            .collect();
        SendReport { results }
    }
}

impl Entry {
    fn delivery(&self) -> Delivery {
        if !self.errcode.is_empty() {
            return Delivery::Failed {
                errcode: FcCode::parse(&self.errcode),
                error: self.error.clone(),
            };
        }
        if self.event_id.is_empty() {
            return Delivery::Unknown {
                error: "the server reported no error but no event id".into(),
            };
        }
        // No error and an event id: sent, even when the id is not a valid one (kept raw).
        let event_id = match EventId::parse(self.event_id.as_str()) {
            Ok(event_id) => MaybeId::Valid(event_id),
            Err(e) => {
                tracing::warn!(
                    event_id = %self.event_id,
                    problem = %e,
                    "a sent message's event id is not valid; reported sent with the id as received"
                );
                MaybeId::Unparsed(self.event_id.clone())
            }
        };
        Delivery::Sent { event_id }
    }
}

/// The same failure for every target of a request that failed as a whole: refused (`Failed`) only
/// when the server certainly did not accept it (see [`certainly_not_accepted`]), unknown otherwise.
pub(crate) fn whole_request_failed(targets: &[Target], error: &Error) -> SendReport {
    let delivery = if certainly_not_accepted(error) {
        Delivery::Failed {
            errcode: error.fc_code().cloned().unwrap_or(FcCode::Unknown),
            error: error.to_string(),
        }
    } else {
        Delivery::Unknown {
            error: error.to_string(),
        }
    };
    SendReport {
        results: targets
            .iter()
            .map(|target| TargetResult {
                target: target.clone(),
                delivery: delivery.clone(),
            })
            .collect(),
    }
}

/// Whether `error` certainly means the request was not accepted: it never reached the server, or
/// the server refused it with a 4xx (but 408, a time-out) or, on another status but a 5xx, with a
/// documented code that names the refusal (`FC_ROOM_NOT_FOUND`, …). A 5xx (a proxy's 502/503/504
/// included), `FC_UNKNOWN`, `FC_INTERNAL_ERROR` or an undocumented code outside a 4xx, a time-out, a
/// reset connection or an unreadable answer leave the delivery open: the message may have been
/// stored before the failure.
fn certainly_not_accepted(error: &Error) -> bool {
    if error.never_reached_server() {
        return true;
    }
    let (Some(code), Some(status)) = (error.fc_code(), error.status()) else {
        return false;
    };
    if status.is_client_error() {
        return status != reqwest::StatusCode::REQUEST_TIMEOUT;
    }
    !status.is_server_error()
        && !matches!(
            code,
            FcCode::Unknown | FcCode::InternalError | FcCode::Other(_)
        )
}
