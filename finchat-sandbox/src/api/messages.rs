//! Sending and updating messages: `message/send` and `message/update-cui`, validated with finchat-cui
//! and answered per target.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::IntoResponse;
use finchat_cui::{EventId, MessageContent};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, Authorized, check_app, json_body};
use crate::error::Refusal;
use crate::messages::{Outcome, Targets};
use crate::shared::{Shared, now_ms};
use finchat_client::FcCode;

#[derive(Deserialize)]
struct SendRequest {
    app_id: Option<String>,
    room_ids: Option<Vec<String>>,
    fcids: Option<Vec<String>>,
    content: Option<Value>,
    origin_event: Option<String>,
}

/// `POST …/message/send`.
pub(super) async fn send(
    State(shared): State<Arc<Shared>>,
    _: Authorized,
    body: Bytes,
) -> ApiResult {
    let request: SendRequest = json_body(&body)?;
    check_app(&shared, request.app_id.as_deref())?;
    let content = content(request.content)?;
    let targets = targets(&shared, request.room_ids, request.fcids)?;
    let now = now_ms();
    let outcomes = shared.change(|state| Ok::<_, Refusal>(state.send(&targets, &content, now)))?;
    Ok(Json(answer(&targets, outcomes)).into_response())
}

/// `PUT …/message/update-cui`.
pub(super) async fn update_cui(
    State(shared): State<Arc<Shared>>,
    _: Authorized,
    body: Bytes,
) -> ApiResult {
    let request: SendRequest = json_body(&body)?;
    check_app(&shared, request.app_id.as_deref())?;
    let origin = request
        .origin_event
        .ok_or_else(|| Refusal::bad_json("origin_event is required: the card's event id"))?;
    let origin: EventId = origin
        .parse()
        .map_err(|e| Refusal::bad_json(format!("origin_event: {e}")))?;
    let content = content(request.content)?;
    if content.card().is_none() {
        return Err(Refusal::bad_json(format!(
            "update-cui replaces a card; the content is {}, not m.cui",
            content.msgtype()
        )));
    }
    let targets = targets(&shared, request.room_ids, request.fcids)?;
    let outcomes =
        shared.change(|state| Ok::<_, Refusal>(state.update_cui(&targets, &origin, &content)))?;
    Ok(Json(answer(&targets, outcomes)).into_response())
}

/// The content, read and validated as finchat-cui sends it; every problem is named.
fn content(content: Option<Value>) -> Result<MessageContent, Refusal> {
    let content = content.ok_or_else(|| Refusal::bad_json("content is required"))?;
    let content: MessageContent = serde_json::from_value(content)
        .map_err(|e| Refusal::bad_json(format!("content is not message content: {e}")))?;
    content.validate().map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("content.{p}")).collect();
        Refusal::bad_json(format!("invalid content: {}", lines.join("; ")))
            .with_data(json!({ "problems": problems }))
    })?;
    Ok(content)
}

/// The targets: `room_ids` when there are any (then `fcids` is ignored), else `fcids`; a list over
/// the batch limit refuses the whole request.
fn targets(
    shared: &Shared,
    room_ids: Option<Vec<String>>,
    fcids: Option<Vec<String>>,
) -> Result<Targets, Refusal> {
    let limit = shared.config.batch_limit;
    let room_ids = room_ids.unwrap_or_default();
    let fcids = fcids.unwrap_or_default();
    if !room_ids.is_empty() {
        if room_ids.len() > limit {
            return Err(Refusal::new(
                FcCode::MessageRoomIdLimitExceeded,
                format!("{} room_ids; at most {limit} per request", room_ids.len()),
            ));
        }
        return Ok(Targets::Rooms(room_ids));
    }
    if !fcids.is_empty() {
        if fcids.len() > limit {
            return Err(Refusal::new(
                FcCode::MessageFcidLimitExceeded,
                format!("{} fcids; at most {limit} per request", fcids.len()),
            ));
        }
        return Ok(Targets::Fcids(fcids));
    }
    Err(Refusal::bad_json("room_ids or fcids is required"))
}

/// `{"room_id_result": […]}` or `{"fcid_result": […]}`: the event id, or the error, per target.
fn answer(targets: &Targets, outcomes: Vec<Outcome>) -> Value {
    let (list, key) = match targets {
        Targets::Rooms(_) => ("room_id_result", "room_id"),
        Targets::Fcids(_) => ("fcid_result", "fcid"),
    };
    let entries: Vec<Value> = outcomes
        .into_iter()
        .map(|outcome| match outcome.result {
            Ok(event_id) => json!({ key: outcome.target, "event_id": event_id }),
            Err(refusal) => json!({
                key: outcome.target, "errcode": refusal.code.as_str(), "error": refusal.error,
            }),
        })
        .collect();
    json!({ list: entries })
}
