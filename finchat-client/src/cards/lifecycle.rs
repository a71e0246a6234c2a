//! The submission lifecycle: a submission on a registered card is decided once, by an approver,
//! before the deadline; the card shows `loading` while the handler runs, then `disable` with the
//! outcome, or comes back to `input` with the person's values and errors. And the expiry sweep.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use finchat_cui::{CuiForm, EventId, Fcid, MessageContent, Status, Submission};
use tracing::Instrument;

use super::edit::{self, FieldError};
use super::notices::fill;
use super::registry::CardRegistry;
use super::{CardError, CardRecord, Phase};
use crate::events::{Event, EventContent};
use crate::millis::{duration_ms, now_ms};
use crate::{Delivery, HandlerError, HandlerResult};

/// A decision handed to a [`Dispatcher::on_decision`](crate::Dispatcher::on_decision) handler:
/// the submitted form, who submitted it and when, and the card as kept (its labels and data).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Decision<T> {
    /// What was submitted, as the form.
    pub form: T,
    /// Who submitted it.
    pub by: Fcid,
    /// When (the event's timestamp, milliseconds since the Unix epoch).
    pub at_ms: i64,
    /// The card, as kept when the submission was taken.
    pub card: CardRecord,
    /// The submission event.
    pub event: Event,
}

/// What a decision handler concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Decided: the card is closed (`disable`) for good, showing `outcome` at the bottom.
    Decided {
        /// The line the card shows.
        outcome: Option<String>,
    },
    /// Not accepted as submitted: the card comes back to `input` for the submitter, with their
    /// values kept, each message under its input and a summary at the top. Nothing is decided.
    Rejected(Vec<FieldError>),
}

impl Verdict {
    /// Decided, the card showing `outcome`.
    pub fn decided(outcome: impl Into<String>) -> Self {
        Self::Decided {
            outcome: Some(outcome.into()),
        }
    }

    /// Rejected for the bad fields `errors`.
    pub fn rejected(errors: impl IntoIterator<Item = FieldError>) -> Self {
        Self::Rejected(errors.into_iter().collect())
    }
}

/// What to do with a submission, judged from the card as kept.
enum Step<T> {
    /// Run the handler with the form.
    Run(T),
    /// This submission already decided the card: show the card (as read) again, since its update
    /// may not have reached every copy.
    Redo(Box<CardRecord>),
    /// Tell the submitter `text`; the card does not change.
    Notice(String),
    /// Another submission is being decided: refuse, so that FinChat delivers this one again later.
    Busy,
    /// The submission does not read as the form: the card came back with the errors.
    SentBack,
}

/// Handles `event`, a submission on the registered `card` of the form `T`, with `handler`.
pub(crate) async fn decide<S, T, F, Fut>(
    registry: &CardRegistry,
    state: Arc<S>,
    handler: Arc<F>,
    card: CardRecord,
    event: Event,
) -> HandlerResult
where
    S: Send + Sync + 'static,
    T: CuiForm + Send + 'static,
    F: Fn(Arc<S>, Decision<T>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Verdict, HandlerError>> + Send + 'static,
{
    let EventContent::Submission(submission) = &event.content else {
        return Ok(());
    };
    let Some(by) = event.sender_fcid() else {
        tracing::warn!(event_id = %event.event_id, card = %card.id, "a submission whose sender is not an fcid: acknowledged and dropped");
        return Ok(());
    };
    let event_id: EventId = event
        .event_id
        .parse()
        .map_err(|e| HandlerError::msg(format!("the submission's event id: {e}")))?;
    let now = now_ms();
    let at_ms = if event.timestamp > 0 {
        event.timestamp
    } else {
        now
    };
    let id = card.id.clone();
    let mut step = None;
    let notices = Arc::clone(&registry.notices);
    let lease = duration_ms(registry.lease);
    let loading = registry.loading;
    let changed = registry
        .change(&id, Some(card), |card| {
            step = None;
            match card.phase_of(&by).clone() {
                Phase::Decided { event, .. } if event == event_id => {
                    step = Some(Step::Redo(Box::new(card.clone())));
                    return Ok(None);
                }
                Phase::Decided { by: decider, .. } => {
                    step = Some(Step::Notice(fill(
                        &notices.already_decided,
                        "by",
                        decider.as_str(),
                    )));
                    return Ok(None);
                }
                Phase::Expiring { .. } | Phase::Expired { .. } => {
                    step = Some(Step::Notice(notices.expired.clone()));
                    return Ok(None);
                }
                // Another submission, or this one on another instance (a redelivery while the
                // first is still at it): wait. Once the lease lapses (its instance died), the
                // next delivery takes the card.
                Phase::Deciding { until_ms, .. } if until_ms > now => {
                    step = Some(Step::Busy);
                    return Ok(None);
                }
                _ => {}
            }
            if !card.may_decide(&by) {
                step = Some(Step::Notice(notices.not_an_approver.clone()));
                return Ok(None);
            }
            if card.deadline_ms.is_some_and(|deadline| at_ms > deadline) {
                step = Some(Step::Notice(notices.expired.clone()));
                return Ok(None);
            }
            match T::from_submission(submission) {
                Ok(form) => {
                    let deciding = Phase::Deciding {
                        by: by.clone(),
                        event: event_id.clone(),
                        until_ms: now.saturating_add(lease),
                    };
                    set_phase(card, &by, deciding);
                    if loading {
                        show(card, &by, edit::with_status(&card.content, Status::Loading));
                    }
                    step = Some(Step::Run(form));
                }
                Err(errors) => {
                    let errors: Vec<FieldError> = errors
                        .iter()
                        .map(|e| FieldError::from_submission_error(e, &notices))
                        .collect();
                    send_back(card, &by, submission, &errors, &notices.errors_summary);
                    step = Some(Step::SentBack);
                }
            }
            Ok(Some(()))
        })
        .await
        .map_err(HandlerError::from)?;
    match step {
        None => Ok(()),
        Some(Step::Busy) => Err(HandlerError::msg(format!(
            "card `{id}` is being decided by another submission; this one is left for FinChat to deliver again"
        ))),
        Some(Step::Notice(text)) => notify(registry, &by, &id, text).await,
        Some(Step::Redo(card)) => delivered(registry.push(*card).await),
        Some(Step::SentBack) => {
            let (card, ()) = changed.ok_or_else(|| HandlerError::msg("the card is gone"))?;
            delivered(registry.push(card).await)
        }
        Some(Step::Run(form)) => {
            let (card, ()) = changed.ok_or_else(|| HandlerError::msg("the card is gone"))?;
            if loading {
                registry.push(card.clone()).await;
            }
            let decision = Decision {
                form,
                by: by.clone(),
                at_ms,
                card,
                event: event.clone(),
            };
            let verdict = run("decision", registry.lease, handler(state, decision)).await;
            finish(registry, &id, &by, &event_id, submission, verdict).await
        }
    }
}

/// Runs a handler of the lifecycle (`what`: `decision`, `expiry`) as a task under `deadline`: an
/// error, a panic and a time-out are failures. A handler still running at the deadline is stopped,
/// so that it never runs beside the next try, once its lease lapses.
async fn run<T, Fut>(what: &str, deadline: Duration, handling: Fut) -> Result<T, HandlerError>
where
    T: Send + 'static,
    Fut: Future<Output = Result<T, HandlerError>> + Send + 'static,
{
    // In the caller's span (a spawned task would start outside every span): a decision handler
    // runs in the dispatch's `finchat.handler` span, with the event's context, and has no span of
    // its own that would count its failure twice.
    let task = tokio::spawn(handling.in_current_span());
    // Stops the handler at the deadline, and should the caller give up on it first (the
    // receiver's own deadline), with the caller rather than run on unseen.
    let _abort = AbortOnDrop(task.abort_handle());
    match tokio::time::timeout(deadline, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) if join.is_panic() => Err(HandlerError::msg(format!(
            "the {what} handler panicked: {}",
            crate::panic_message(&join.into_panic())
        ))),
        Ok(Err(_)) => Err(HandlerError::msg(format!(
            "the {what} handler was cancelled"
        ))),
        Err(_) => Err(HandlerError::msg(format!(
            "the {what} handler took longer than {deadline:?}"
        ))),
    }
}

/// Aborts the task when dropped.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Keeps the handler's verdict and shows it: closed with the outcome, back with errors, or back to
/// `input` after a failure (whose error is returned, so that the submission comes again).
async fn finish(
    registry: &CardRegistry,
    id: &super::CardId,
    by: &Fcid,
    event_id: &EventId,
    submission: &Submission,
    verdict: Result<Verdict, HandlerError>,
) -> HandlerResult {
    let notices = Arc::clone(&registry.notices);
    let at_ms = now_ms();
    let changed = registry
        .change(id, None, |card| {
            let ours =
                matches!(card.phase_of(by), Phase::Deciding { event, .. } if event == event_id);
            if !ours {
                return Ok(None);
            }
            // The content as it was before `loading`.
            let base = edit::with_status(&card.content, Status::Input);
            match &verdict {
                Ok(Verdict::Decided { outcome }) => {
                    let decided = Phase::Decided {
                        by: by.clone(),
                        event: event_id.clone(),
                        at_ms,
                        outcome: outcome.clone(),
                        submission: Some(submission.clone()),
                    };
                    // Closed as the decider filled it in: the values decided, then the outcome.
                    let filled = edit::with_values(&base, submission);
                    let closed = edit::closed(&filled, outcome.as_deref());
                    if card.is_exclusive() {
                        card.per_user.insert(by.clone(), closed);
                    } else {
                        card.content = closed;
                        card.per_user.clear();
                    }
                    set_phase(card, by, decided);
                }
                Ok(Verdict::Rejected(errors)) => {
                    if !card.is_exclusive() {
                        card.content = base;
                    }
                    set_phase(card, by, Phase::Open);
                    send_back(card, by, submission, errors, &notices.errors_summary);
                }
                Err(_) => {
                    if card.is_exclusive() {
                        card.per_user.remove(by);
                    } else {
                        card.content = base;
                    }
                    set_phase(card, by, Phase::Open);
                }
            }
            Ok(Some(()))
        })
        .await;
    let pushed = match changed {
        Ok(Some((card, ()))) => Some(registry.push(card).await),
        Ok(None) => {
            tracing::error!(card = %id, event_id = %event_id, "the card was taken from this submission while its handler ran (its lease ran out); its verdict is not kept");
            None
        }
        Err(error) => return Err(HandlerError::from(error)),
    };
    verdict?;
    match pushed {
        Some(updated) => delivered(updated),
        None => Ok(()),
    }
}

/// Sets `person`'s phase: the card's own for a shared card.
fn set_phase(card: &mut CardRecord, person: &Fcid, phase: Phase) {
    if card.is_exclusive() {
        if phase == Phase::Open {
            card.user_phases.remove(person);
        } else {
            card.user_phases.insert(person.clone(), phase);
        }
    } else {
        card.phase = phase;
    }
}

/// Shows `content` to whoever the change concerns: everyone for a shared card, `person` for an
/// exclusive one.
fn show(card: &mut CardRecord, person: &Fcid, content: finchat_cui::CuiContent) {
    if card.is_exclusive() {
        card.per_user.insert(person.clone(), content);
    } else {
        card.content = content;
    }
}

/// Gives `person` their own copy back, in `input`, with their values and `errors`. Only they see
/// it, also on a shared card in a group room (an exclusive copy, as the format's `shared: false`
/// with `fcids` describes); the others' card does not change.
fn send_back(
    card: &mut CardRecord,
    person: &Fcid,
    values: &Submission,
    errors: &[FieldError],
    summary: &str,
) {
    let summary = fill(summary, "n", &errors.len().to_string());
    let base = edit::with_status(&card.content, Status::Input);
    card.per_user.insert(
        person.clone(),
        edit::with_errors(&base, values, errors, &summary),
    );
}

/// Tells `person`, in their direct room with the app, why their submission was not used.
async fn notify(
    registry: &CardRegistry,
    person: &Fcid,
    id: &super::CardId,
    text: String,
) -> HandlerResult {
    tracing::info!(card = %id, person = %person, "submission not used: {text}");
    let report = registry
        .client
        .messages()
        .send(MessageContent::text(text))
        .fcid(person.clone())
        .send()
        .await?;
    match report.results.first().map(|r| &r.delivery) {
        Some(Delivery::Sent { .. }) => Ok(()),
        // Refused for good (no direct room with the bot, say): asking again changes nothing, and
        // the card itself is as it should be, so the submission is acknowledged.
        Some(Delivery::Failed { errcode, error }) => {
            tracing::warn!(card = %id, person = %person, %errcode, error, "the notice was refused; the submission is acknowledged without it");
            Ok(())
        }
        _ => Err(HandlerError::msg(format!(
            "the notice to {person} about card `{id}` may not have been delivered"
        ))),
    }
}

/// `Ok` when every copy shows the change; else an error, so that the submission comes again and
/// the update is tried again.
fn delivered(updated: super::Updated) -> HandlerResult {
    if updated.all_delivered() {
        return Ok(());
    }
    Err(HandlerError::msg(format!(
        "card `{}` is kept, but not every copy shows it: {}",
        updated.card.id,
        super::registry::undelivered(&updated.report)
    )))
}

impl CardRegistry {
    /// Closes the cards whose deadline passed: each is taken by one instance (a lease, so another
    /// takes over if it dies), shown closed with [`Notices::expired_line`](super::Notices), handed
    /// to `on_expired`, and then kept as [`Phase::Expired`]. A card whose `on_expired` fails, or
    /// runs past the [handler deadline](CardRegistry::handler_deadline) (it is stopped then), is
    /// tried again when the lease lapses. The number of cards expired.
    ///
    /// # Errors
    ///
    /// [`CardError::Store`] when the due cards cannot be read.
    pub async fn expire_due<F, Fut>(&self, on_expired: F) -> Result<usize, CardError>
    where
        F: Fn(CardRecord) -> Fut,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let now = now_ms();
        let lease = duration_ms(self.lease);
        let due = self.timed("due", self.store.due(now, 100)).await?;
        let mut expired = 0;
        for card in due {
            let id = card.id.clone();
            let expired_line = self.notices.expired_line.clone();
            let taken = self
                .change(&id, Some(card), |card| {
                    let deadline_passed = card.deadline_ms.is_some_and(|d| d <= now);
                    let close = match &card.phase {
                        Phase::Open => deadline_passed,
                        Phase::Deciding { until_ms, .. } => deadline_passed && *until_ms <= now,
                        Phase::Expiring { until_ms } if *until_ms <= now => {
                            card.phase = Phase::Expiring {
                                until_ms: now.saturating_add(lease),
                            };
                            return Ok(Some(()));
                        }
                        _ => false,
                    };
                    if !close {
                        return Ok(None);
                    }
                    card.phase = Phase::Expiring {
                        until_ms: now.saturating_add(lease),
                    };
                    card.content = edit::closed(&card.content, Some(&expired_line));
                    let decided: Vec<Fcid> = card
                        .user_phases
                        .iter()
                        .filter(|(_, p)| matches!(p, Phase::Decided { .. }))
                        .map(|(person, _)| person.clone())
                        .collect();
                    card.per_user.retain(|person, _| decided.contains(person));
                    card.user_phases
                        .retain(|person, _| decided.contains(person));
                    Ok(Some(()))
                })
                .await;
            let card = match taken {
                Ok(Some((card, ()))) => card,
                Ok(None) => continue,
                Err(error) => {
                    tracing::warn!(card = %id, %error, "could not take an expired card");
                    continue;
                }
            };
            let shown = self.push(card.clone()).await;
            if !shown.all_delivered() {
                tracing::warn!(card = %id, "an expired card's update did not reach every copy");
            }
            if let Err(error) = run("expiry", self.lease, on_expired(card)).await {
                tracing::warn!(card = %id, %error, "expiry handler failed; the card is tried again when its lease lapses");
                continue;
            }
            let at_ms = now_ms();
            let kept = self
                .change(&id, None, |card| match card.phase {
                    Phase::Expiring { .. } => {
                        card.phase = Phase::Expired { at_ms };
                        Ok(Some(()))
                    }
                    _ => Ok(None),
                })
                .await;
            match kept {
                Ok(Some(_)) => {
                    expired += 1;
                    self.changed.notify_waiters();
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(card = %id, %error, "could not keep an expired card as expired")
                }
            }
        }
        Ok(expired)
    }

    /// Runs [`CardRegistry::expire_due`] every `every` until the returned task is aborted.
    pub fn spawn_expiry<F, Fut>(
        &self,
        every: Duration,
        on_expired: F,
    ) -> tokio::task::JoinHandle<()>
    where
        F: Fn(CardRecord) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let registry = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = registry.expire_due(&on_expired).await {
                    tracing::warn!(%error, "expiry sweep failed; trying again");
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}
