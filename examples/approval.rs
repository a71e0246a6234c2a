//! An expense-approval bot on the card registry: the card, the form it reads back, and the
//! decision. The registry keeps the cards (which survive a restart with a durable store), the
//! lifecycle decides each card once, answers late or unauthorised clicks, and sends values that do
//! not fit back into the card as errors.

use std::time::Duration;

use finchat_client::cards::{CardError, CardRegistry, Decision, FieldError, Registered, Verdict};
use finchat_client::{Dispatcher, HandlerError};
use finchat_cui::{CuiChoice, CuiContent, CuiForm, Fcid, Problems, RoomId, cui};
use serde::{Deserialize, Serialize};

/// An expense claim waiting for approval, kept with its card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
pub enum Answer {
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
    pub decision: Answer,
    /// Why.
    pub comment: Option<String>,
}

/// The card asking to approve `claim`.
///
/// # Errors
///
/// The [`Problems`] of the card built from `claim`, should its run-time parts break a rule.
pub fn approval_card(claim: &Claim) -> Result<CuiContent, Problems> {
    cui! {
        <form body={format!("报销申请 #{} 待审批", claim.id)}>
            <text>"报销申请 #" {claim.id}</text>
            <text>"申请人：" {claim.applicant} " · 金额 ¥" {claim.amount}</text>
            <divider/>
            <input key="amount" placeholder="核定金额（元）" value={claim.amount.to_string()}/>
            <input key="comment" placeholder="审批意见"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
        </form>
    }
}

/// Asks `approvers` to approve `claim` in `room`, by `deadline`.
///
/// # Errors
///
/// A [`CardError`] when the card is invalid, could not be sent, or could not be registered.
pub async fn ask(
    registry: &CardRegistry,
    claim: &Claim,
    room: RoomId,
    approvers: impl IntoIterator<Item = Fcid>,
    deadline: Duration,
) -> Result<Registered, CardError> {
    let card = approval_card(claim).map_err(|problems| CardError::Invalid {
        id: format!("claim-{}", claim.id),
        problems,
    })?;
    registry
        .ask::<ApprovalForm>(card)
        .room(room)
        .approvers(approvers)
        .deadline(deadline)
        .label("claim", claim.id.to_string())
        .data(claim)
        .send()
        .await
}

/// The decision: an approved amount above the claim goes back to the approver; anything else
/// closes the card with the outcome.
///
/// # Errors
///
/// A [`HandlerError`] when the claim kept with the card cannot be read.
pub async fn decide(decision: Decision<ApprovalForm>) -> Result<Verdict, HandlerError> {
    let claim: Claim = serde_json::from_value(decision.card.data.clone())?;
    let form = &decision.form;
    if form.amount > claim.amount {
        return Ok(Verdict::rejected([FieldError::new(
            "amount",
            format!("不能超过申请金额 ¥{}", claim.amount),
        )]));
    }
    let verdict = match form.decision {
        Answer::Approve => "已同意",
        Answer::Reject => "已驳回",
    };
    Ok(Verdict::decided(format!(
        "{verdict}：{} ¥{}（{}）",
        decision.by,
        form.amount,
        form.comment.as_deref().unwrap_or("无意见")
    )))
}

/// The dispatcher that hands the decisions on approval cards to [`decide`].
pub fn dispatcher(registry: &CardRegistry) -> Dispatcher<()> {
    Dispatcher::new(()).on_decision::<ApprovalForm, _, _>(registry, |_, decision| decide(decision))
}
