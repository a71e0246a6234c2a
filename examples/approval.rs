//! An expense-approval bot: the card, the form it reads back, and the handler that closes the card.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use finchat_client::events::Event;
use finchat_client::{Client, Delivery, Dispatcher, HandlerError};
use finchat_cui::{CuiChoice, CuiContent, CuiForm, EventId, Problems, RoomId, cui};

/// An expense claim waiting for approval.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim's number.
    pub id: u32,
    /// Who asks to be paid back.
    pub applicant: String,
    /// In yuan.
    pub amount: u32,
}

/// An approver's answer: the reply buttons of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, CuiChoice)]
pub enum Decision {
    /// 同意.
    #[cui(label = "同意", value = "同意")]
    Approve,
    /// 驳回.
    #[cui(label = "驳回", value = "驳回")]
    Reject,
}

/// What an approver submits: the amount they approve, their decision (the reply button they
/// pressed) and a comment.
#[derive(Debug, Clone, PartialEq, CuiForm)]
pub struct ApprovalForm {
    /// The amount approved, in yuan.
    pub amount: u32,
    /// Approve or reject.
    pub decision: Decision,
    /// Why.
    pub comment: Option<String>,
}

/// The card asking to approve `claim`; once decided, `outcome` is shown and the card is read-only.
///
/// # Errors
///
/// The [`Problems`] of the card built from `claim`, should its run-time parts break a rule.
pub fn approval_card(claim: &Claim, outcome: Option<&str>) -> Result<CuiContent, Problems> {
    let status = if outcome.is_some() {
        finchat_cui::Status::Disable
    } else {
        finchat_cui::Status::Input
    };
    let outcome = outcome.map(finchat_cui::Element::text);
    cui! {
        <form status={status} body={format!("报销申请 #{} 待审批", claim.id)}>
            <text>"报销申请 #" {claim.id}</text>
            <text>"申请人：" {claim.applicant}</text>
            <divider/>
            <input key="amount" placeholder="核定金额（元）" value={claim.amount.to_string()}/>
            <input key="comment" placeholder="审批意见"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
            {outcome}
        </form>
    }
}

/// A decision the bot received, as the typed form.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    /// Who decided.
    pub approver: String,
    /// The claim.
    pub claim: Claim,
    /// What they submitted.
    pub form: ApprovalForm,
}

/// The bot's state: its client, the claims it sent (by card), and what it received.
pub struct ApprovalBot {
    client: Client,
    sent: Mutex<HashMap<String, (RoomId, Claim)>>,
    decided: Mutex<Vec<Decided>>,
    changed: tokio::sync::Notify,
}

impl ApprovalBot {
    /// A bot that talks to FinChat (or the sandbox) through `client`.
    pub fn new(client: Client) -> Arc<Self> {
        Arc::new(Self {
            client,
            sent: Mutex::default(),
            decided: Mutex::default(),
            changed: tokio::sync::Notify::new(),
        })
    }

    /// Sends the card for `claim` to `room`; the card's event id.
    ///
    /// # Errors
    ///
    /// A boxed error when the card is invalid ([`Problems`]), the send fails
    /// ([`finchat_client::Error`]), or the room's result is not `Sent`.
    pub async fn ask(
        &self,
        room: RoomId,
        claim: Claim,
    ) -> Result<EventId, Box<dyn std::error::Error + Send + Sync>> {
        let card = approval_card(&claim, None)?;
        let report = self
            .client
            .messages()
            .send(card)
            .room(room.clone())
            .send()
            .await?;
        let result = report
            .results
            .into_iter()
            .next()
            .ok_or("no result for the room")?;
        let Delivery::Sent { event_id } = result.delivery else {
            return Err(format!("the card was not sent: {:?}", result.delivery).into());
        };
        let Some(event_id) = event_id.into_valid() else {
            return Err("the card was sent, but its event id is not valid".into());
        };
        if let Ok(mut sent) = self.sent.lock() {
            sent.insert(event_id.to_string(), (room, claim));
        }
        Ok(event_id)
    }

    /// Handles a submission: records it and closes the card with the outcome.
    async fn decide(&self, event: Event, form: ApprovalForm) -> Result<(), HandlerError> {
        let Some(card) = event.origin() else {
            return Err(HandlerError::msg(
                "a submission without its card's event id",
            ));
        };
        let Some((room, claim)) = self
            .sent
            .lock()
            .ok()
            .and_then(|sent| sent.get(card.as_str()).cloned())
        else {
            // Not one of this bot's cards: nothing to do.
            return Ok(());
        };
        let verdict = match form.decision {
            Decision::Approve => "已同意",
            Decision::Reject => "已驳回",
        };
        let outcome = format!(
            "{verdict}：{} ¥{}（{}）",
            event.sender,
            form.amount,
            form.comment.as_deref().unwrap_or("无意见")
        );
        let closed =
            approval_card(&claim, Some(&outcome)).map_err(|p| HandlerError::msg(p.to_string()))?;
        let report = self
            .client
            .messages()
            .update_cui(card, closed)
            .room(room)
            .send()
            .await?;
        if !report.all_delivered() {
            return Err(HandlerError::msg(format!(
                "the card was not updated: {report:?}"
            )));
        }
        if let Ok(mut decided) = self.decided.lock() {
            decided.push(Decided {
                approver: event.sender.clone(),
                claim,
                form,
            });
        }
        self.changed.notify_waiters();
        Ok(())
    }

    /// The dispatcher that hands submissions of [`ApprovalForm`] to this bot.
    pub fn dispatcher(self: &Arc<Self>) -> Dispatcher<Arc<Self>> {
        Dispatcher::new(Arc::clone(self)).on_submission::<ApprovalForm, _, _>(
            |bot, event, form| async move { bot.decide(event, form).await },
        )
    }

    /// The decisions received so far.
    pub fn decided(&self) -> Vec<Decided> {
        self.decided.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Waits until at least `count` decisions have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Decided> {
        loop {
            let waiting = self.changed.notified();
            let decided = self.decided();
            if decided.len() >= count {
                return decided;
            }
            waiting.await;
        }
    }
}
