//! The routes a person (and a program acting as one) uses: the page, its forms, the media it shows,
//! and JSON endpoints for the same actions.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use finchat_cui::{EventId, Fcid, RoomId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::media_response;
use super::error::{Refusal, SandboxError};
use super::inspector;
use super::page::{self, View, card_dom_id, enc};
use super::playground;
use super::shared::{Shared, now_ms};
use finchat_client::FcCode;

/// The page's routes, behind the [guard](super::guard::page) against other sites.
pub(crate) fn routes(shared: &Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(show_page))
        .route(page::SCRIPT, get(page_script))
        .route("/sandbox/submit", post(submit_form))
        .route("/sandbox/say", post(say_form))
        .route(
            &format!("{}/{{server}}/{{media}}", page::MEDIA_BASE),
            get(media),
        )
        .route("/sandbox/api/rooms/{room}/messages", get(messages_json))
        .route("/sandbox/api/submit", post(submit_json))
        .route("/sandbox/api/say", post(say_json))
        .route("/sandbox/api/events", get(events_json))
        .route("/sandbox/api/rev", get(rev_json))
        .route(inspector::PAGE, get(inspector::show))
        .route(inspector::SCRIPT, get(inspector::script))
        .route(inspector::ENDPOINT, get(inspector::activity_json))
        .route(super::reset::FORM_PATH, post(super::reset::reset_form))
        .route(super::reset::API_PATH, post(super::reset::reset_json))
        .route(
            playground::PATH,
            get(playground::show).post(playground::submit),
        )
        .route(playground::API_PATH, post(playground::draw_json))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(shared),
            super::guard::page,
        ))
}

/// `GET /sandbox/page.js`: the page's script, served apart so that the page's policy allows no
/// inline script.
async fn page_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        page::SCRIPT_SOURCE,
    )
        .into_response()
}

/// Anything else: the API's `FC_NOT_FOUND` under `/api/`, a short page elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return Refusal::new(
            FcCode::NotFound,
            format!("the sandbox does not serve `{}`", uri.path()),
        )
        .into_response();
    }
    (
        StatusCode::NOT_FOUND,
        Html("<!doctype html><meta charset=\"utf-8\"><p>Not found. <a href=\"/\">Back to the sandbox</a></p>"),
    )
        .into_response()
}

fn params(raw: Option<&str>) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// `GET /?as=<fcid>&room=<room>`: the page of one person, in one room.
async fn show_page(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let params = params(raw.as_deref());
    let (default_person, people) = shared.read(|s| {
        let first = s.people.first().map(|p| p.fcid.clone());
        (
            first,
            s.people.iter().map(|p| p.fcid.clone()).collect::<Vec<_>>(),
        )
    });
    let mut error = params.get("error").cloned();
    let asked: Option<Fcid> = params.get("as").and_then(|a| a.parse().ok());
    let person = match asked.filter(|a| people.contains(a)) {
        Some(person) => person,
        None => {
            if let Some(other) = params.get("as") {
                error = Some(format!("`{other}` is not one of the sandbox's people"));
            }
            match default_person {
                Some(person) => person,
                None => {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the sandbox has no people",
                    )
                        .into_response();
                }
            }
        }
    };
    let asked_room = params.get("room").and_then(|r| r.parse::<RoomId>().ok());
    let room = match asked_room {
        Some(room) => {
            let member = shared.read(|s| s.room(&room).map(|r| r.has_member(&person)));
            match member {
                Some(true) => Some(room),
                Some(false) => {
                    error.get_or_insert_with(|| format!("`{person}` is not in room `{room}`"));
                    None
                }
                None => {
                    error.get_or_insert_with(|| format!("no room `{room}` in the sandbox"));
                    None
                }
            }
        }
        None => shared.read(|s| s.direct_room(&person).map(|r| r.room_id.clone())),
    };
    let push_status = shared.config.callback.as_ref().map(|_| {
        let pushes = shared.pushes();
        let dropped = pushes
            .iter()
            .filter(|p| p.outcome == super::PushOutcome::Dropped)
            .count();
        format!(
            "callback: {} delivered, {dropped} dropped, {} waiting",
            pushes.len() - dropped,
            shared.waiting()
        )
    });
    let view = View {
        person,
        room,
        error,
        live: params.get("live").map(String::as_str) != Some("0"),
        push_status,
    };
    let html = shared.read(|state| page::render(state, &shared.config.app_id, &view));
    Html(html).into_response()
}

/// Where a form sends the person back: their page in the room, at `fragment`, with an error if any.
fn back(person: &str, room: &str, fragment: &str, error: Option<String>) -> Redirect {
    let mut url = format!("/?as={}&room={}", enc(person), enc(room));
    if let Some(error) = error {
        url.push_str(&format!("&error={}", enc(&error)));
    }
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    Redirect::to(&url)
}

fn parse<T: std::str::FromStr>(value: Option<&String>, what: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let value = value.ok_or_else(|| format!("`{what}` is missing"))?;
    value.parse().map_err(|e| format!("`{what}`: {e}"))
}

/// `POST /sandbox/submit?as=&room=&event=`: a card's form. Every field but the submit button's
/// `action` goes into `info`; the answer sends the person back to the page.
async fn submit_form(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let query = params(raw.as_deref());
    let person = query.get("as").cloned().unwrap_or_default();
    let room = query.get("room").cloned().unwrap_or_default();
    let info: BTreeMap<String, String> = url::form_urlencoded::parse(&body)
        .into_owned()
        .filter(|(name, _)| name != "action")
        .collect();
    let result = (|| {
        let as_user: Fcid = parse(query.get("as"), "as")?;
        let room_id: RoomId = parse(query.get("room"), "room")?;
        let card: EventId = parse(query.get("event"), "event")?;
        submit(&shared, &as_user, &room_id, &card, info).map_err(|e| e.to_string())?;
        Ok::<_, String>(card_dom_id(&card))
    })();
    match result {
        Ok(fragment) => back(&person, &room, &fragment, None),
        Err(error) => back(&person, &room, "", Some(error)),
    }
    .into_response()
}

/// `POST /sandbox/say` with the form fields `as`, `room` and `body`.
async fn say_form(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = params(Some(&String::from_utf8_lossy(&body)));
    let person = form.get("as").cloned().unwrap_or_default();
    let room = form.get("room").cloned().unwrap_or_default();
    let result = (|| {
        let as_user: Fcid = parse(form.get("as"), "as")?;
        let room_id: RoomId = parse(form.get("room"), "room")?;
        let text = form.get("body").map(String::as_str).unwrap_or_default();
        let id = say(&shared, &as_user, &room_id, text).map_err(|e| e.to_string())?;
        Ok::<_, String>(format!("msg-{}", &card_dom_id(&id)["card-".len()..]))
    })();
    match result {
        Ok(fragment) => back(&person, &room, &fragment, None),
        Err(error) => back(&person, &room, "", Some(error)),
    }
    .into_response()
}

pub(crate) fn submit(
    shared: &Arc<Shared>,
    as_user: &Fcid,
    room: &RoomId,
    card: &EventId,
    info: BTreeMap<String, String>,
) -> Result<EventId, SandboxError> {
    let now = now_ms();
    shared.change(|state| state.submit(as_user, room, card, info, now))
}

pub(crate) fn say(
    shared: &Arc<Shared>,
    as_user: &Fcid,
    room: &RoomId,
    body: &str,
) -> Result<EventId, SandboxError> {
    let now = now_ms();
    shared.change(|state| state.say(as_user, room, body, now))
}

/// `GET /sandbox/media/{server}/{media}`: a file for the page, without the API's token.
async fn media(
    State(shared): State<Arc<Shared>>,
    Path((server, media_id)): Path<(String, String)>,
) -> Response {
    media_response(&shared, &server, &media_id).into_response()
}

fn bad_request(error: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error.into() })),
    )
        .into_response()
}

/// `GET /sandbox/api/rooms/{room}/messages?as=<fcid>`: the room's messages, oldest first, as `as`
/// sees them (exclusive cards per person).
async fn messages_json(
    State(shared): State<Arc<Shared>>,
    Path(room): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = params(raw.as_deref());
    let room_id: RoomId = match room.parse() {
        Ok(room) => room,
        Err(e) => return bad_request(e.to_string()),
    };
    let person: Option<Fcid> = match query.get("as").map(|a| a.parse::<Fcid>()) {
        Some(Ok(person)) => Some(person),
        Some(Err(e)) => return bad_request(e.to_string()),
        None => None,
    };
    let answer = shared.read(|state| {
        let room = state
            .room(&room_id)
            .ok_or_else(|| SandboxError::UnknownRoom(room_id.to_string()))?;
        if let Some(person) = person.as_ref().filter(|p| !room.has_member(p)) {
            return Err(SandboxError::NotInRoom {
                user: person.to_string(),
                room: room_id.to_string(),
            });
        }
        let messages: Vec<Value> = room
            .messages
            .iter()
            .map(|m| {
                let content = person.as_ref().map_or(&m.content, |p| m.content_for(p));
                json!({"event_id": m.event_id, "sender": m.sender, "timestamp": m.timestamp, "content": content})
            })
            .collect();
        Ok(messages)
    });
    match answer {
        Ok(messages) => Json(messages).into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Deserialize)]
struct SubmitRequest {
    #[serde(rename = "as")]
    as_user: Fcid,
    room: RoomId,
    event: EventId,
    #[serde(default)]
    info: BTreeMap<String, String>,
}

/// `POST /sandbox/api/submit` with `{as, room, event, info}`: `{event_id}` of the submission.
async fn submit_json(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: SubmitRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return bad_request(format!("expected {{as, room, event, info}}: {e}")),
    };
    match submit(
        &shared,
        &request.as_user,
        &request.room,
        &request.event,
        request.info,
    ) {
        Ok(event_id) => Json(json!({ "event_id": event_id })).into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Deserialize)]
struct SayRequest {
    #[serde(rename = "as")]
    as_user: Fcid,
    room: RoomId,
    body: String,
}

/// `POST /sandbox/api/say` with `{as, room, body}`: `{event_id}` of the message.
async fn say_json(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: SayRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return bad_request(format!("expected {{as, room, body}}: {e}")),
    };
    match say(&shared, &request.as_user, &request.room, &request.body) {
        Ok(event_id) => Json(json!({ "event_id": event_id })).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /sandbox/api/events`: every event emitted, in order.
async fn events_json(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.read(|state| state.events.clone())).into_response()
}

/// `GET /sandbox/api/rev`: a number that changes whenever the sandbox does (the page polls it).
async fn rev_json(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.read(|state| json!({ "rev": state.rev }))).into_response()
}
