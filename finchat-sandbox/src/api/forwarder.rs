//! The forwarder (polling) API: every event the sandbox emitted, sorted by event id, after `since`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::{ApiResult, Authorized, check_app, query};
use crate::error::Refusal;
use crate::shared::Shared;

/// The page size when none is asked for, as documented.
const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest page served.
const MAX_PAGE_SIZE: usize = 1000;

/// `GET …/privilege-api/forwarder/{app_id}/events?since=&page_size=`.
pub(super) async fn events(
    State(shared): State<Arc<Shared>>,
    Path(app_id): Path<String>,
    RawQuery(raw): RawQuery,
    _: Authorized,
) -> ApiResult {
    check_app(&shared, Some(&app_id))?;
    let params = query(raw.as_deref());
    let since = params.get("since").cloned().unwrap_or_default();
    let page_size = match params.get("page_size").map(String::as_str) {
        None | Some("") => DEFAULT_PAGE_SIZE,
        Some(size) => size
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                Refusal::bad_json(format!("page_size `{size}` is not a positive number"))
            })?
            .min(MAX_PAGE_SIZE),
    };
    let app_id = shared.config.app_id.clone();
    let mut events: Vec<Value> = shared.read(|state| {
        state
            .events
            .iter()
            .filter(|e| e["event_id"].as_str().unwrap_or_default() > since.as_str())
            .cloned()
            .collect()
    });
    events.sort_by(|a, b| a["event_id"].as_str().cmp(&b["event_id"].as_str()));
    events.truncate(page_size);
    for event in &mut events {
        // The documented answer carries the app's id in each event.
        event["app_id"] = json!(app_id);
    }
    let next = events
        .last()
        .and_then(|e| e["event_id"].as_str())
        .map_or(since, str::to_owned);
    Ok(Json(json!({ "events": events, "since": next })).into_response())
}
