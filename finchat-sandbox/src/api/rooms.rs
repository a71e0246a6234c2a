//! Group rooms: `POST/GET …/rooms` and `PUT/GET …/rooms/{room_id}`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, AppInQuery, Authorized, check_app, json_body};
use crate::rooms::{NewRoom, RoomChanges};
use crate::shared::Shared;

#[derive(Deserialize)]
struct WithApp<T> {
    app_id: Option<String>,
    #[serde(flatten)]
    request: T,
}

/// `POST …/rooms`: 201 and the new room's id.
pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    _: Authorized,
    body: Bytes,
) -> ApiResult {
    let body: WithApp<NewRoom> = json_body(&body)?;
    check_app(&shared, body.app_id.as_deref())?;
    let room_id = shared.change(|state| state.create_room(body.request))?;
    Ok((StatusCode::CREATED, Json(json!({ "room_id": room_id }))).into_response())
}

/// `PUT …/rooms/{room_id}`: only the highest-priority group of fields is applied.
pub(super) async fn modify(
    State(shared): State<Arc<Shared>>,
    Path(room_id): Path<String>,
    _: Authorized,
    body: Bytes,
) -> ApiResult {
    let body: WithApp<RoomChanges> = json_body(&body)?;
    check_app(&shared, body.app_id.as_deref())?;
    let answer = shared.change(|state| state.modify_room(&room_id, body.request))?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET …/rooms/{room_id}?app_id=`.
pub(super) async fn detail(
    State(shared): State<Arc<Shared>>,
    Path(room_id): Path<String>,
    _: Authorized,
    _: AppInQuery,
) -> ApiResult {
    let detail = shared.read(|state| state.room_detail(&room_id))?;
    Ok(Json(detail).into_response())
}

/// `GET …/rooms?app_id=`: the app's group rooms.
pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _: Authorized,
    _: AppInQuery,
) -> ApiResult {
    let rooms = shared.read(|state| state.group_rooms());
    Ok(Json(rooms).into_response())
}
