//! Recording the bot's API calls: a middleware around the API's routes that keeps each call's
//! request and answer (secrets redacted, files summarised), its validation problems, its per-target
//! results and the rooms it concerns.

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finchat_cui::{EventId, Fcid, RoomId};
use serde_json::{Value, json};

use super::{ApiCall, TargetResult};
use crate::shared::Shared;

/// The open API's prefix.
pub(super) const OPEN: &str = "/api/v1/finchat/open-api/";
/// The polling API's prefix.
pub(super) const FORWARDER: &str = "/api/v1/finchat/privilege-api/forwarder/";

/// A body larger than this is kept as a summary: the log holds up to [`super::ACTIVITY_LIMIT`] calls.
const KEPT_BODY_LIMIT: usize = 256 << 10;

/// The keys whose values are never kept: the app's secret and its access tokens.
const SECRET_KEYS: &[&str] = &["secret", "app_access_token"];

/// What stands in for a secret.
const REDACTED: &str = "[redacted]";

/// The API routes' recorder (outside their guard, so that its refusals are recorded too).
///
/// A request's body is read here, as the handler would read it (with the same limit and the same
/// answer when it cannot be read), and handed on; an upload's body, a file, is handed on unread.
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let upload = path.starts_with(&format!("{OPEN}media/upload"));
    let (request_body, request) = if upload {
        let summary = summary(&parts.headers, content_length(&parts.headers));
        (Some(summary), Request::from_parts(parts, body))
    } else {
        // The extensions carry a body limit set outside the sandbox's router, if any.
        let mut unread = Request::new(body);
        *unread.extensions_mut() = parts.extensions.clone();
        match Bytes::from_request(unread, &()).await {
            Ok(bytes) => {
                let kept = kept_body(&parts.headers, &bytes);
                (kept, Request::from_parts(parts, Body::from(bytes)))
            }
            Err(rejection) => {
                let response = rejection.into_response();
                let call = describe(
                    &shared,
                    &method,
                    path,
                    response.status().as_u16(),
                    None,
                    None,
                );
                shared.activity.record_call(call);
                return response;
            }
        }
    };
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let (response_body, body) = if is_json(&parts.headers) {
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => (kept_body(&parts.headers, &bytes), Body::from(bytes)),
            Err(error) => {
                // The API's JSON answers are built in memory; this is not expected.
                tracing::error!(%error, "an API answer could not be read for the activity log");
                (None, Body::empty())
            }
        }
    } else {
        let size = body.size_hint().exact();
        let kept = (size != Some(0)).then(|| summary(&parts.headers, size));
        (kept, body)
    };
    let call = describe(&shared, &method, path, status, request_body, response_body);
    shared.activity.record_call(call);
    Response::from_parts(parts, body)
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
}

fn is_json(headers: &HeaderMap) -> bool {
    content_type(headers)
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// `{"bytes": n, "content_type": "…"}`: what stands for a body that is not kept.
fn summary(headers: &HeaderMap, bytes: Option<u64>) -> Value {
    json!({ "bytes": bytes, "content_type": content_type(headers) })
}

/// A body as the log keeps it: its JSON with the secrets redacted, or a summary; `None` when empty.
fn kept_body(headers: &HeaderMap, bytes: &Bytes) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    let size = u64::try_from(bytes.len()).ok();
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut value) if bytes.len() <= KEPT_BODY_LIMIT => {
            redact(&mut value);
            Some(value)
        }
        _ => Some(summary(headers, size)),
    }
}

/// Replaces the value of every secret key, at any depth.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if SECRET_KEYS.contains(&key.as_str()) {
                    *value = Value::String(REDACTED.to_owned());
                } else {
                    redact(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// The call as the log keeps it: what it asked, what it got, and what that meant.
fn describe(
    shared: &Shared,
    method: &Method,
    path: String,
    status: u16,
    request: Option<Value>,
    response: Option<Value>,
) -> ApiCall {
    let mut call = ApiCall {
        method: method.to_string(),
        path,
        status,
        errcode: None,
        request,
        response,
        problems: Vec::new(),
        results: Vec::new(),
        rooms: Vec::new(),
    };
    if let Some(response) = &call.response {
        call.errcode = response
            .get("errcode")
            .and_then(Value::as_str)
            .map(str::to_owned);
        call.problems = problems(response);
        call.results = results(response);
    }
    call.rooms = rooms(shared, &call);
    call
}

/// A refusal's `data.problems`, each as `content.<path>: <message>`.
fn problems(response: &Value) -> Vec<String> {
    let Some(problems) = response.pointer("/data/problems").and_then(Value::as_array) else {
        return Vec::new();
    };
    problems
        .iter()
        .map(|problem| {
            let path = problem.get("path").and_then(Value::as_str).unwrap_or("");
            let message = problem.get("message").and_then(Value::as_str).unwrap_or("");
            if path.is_empty() {
                format!("content: {message}")
            } else {
                format!("content.{path}: {message}")
            }
        })
        .collect()
}

/// The per-target results of a send or an update: `room_id_result` or `fcid_result`.
fn results(response: &Value) -> Vec<TargetResult> {
    let lists = [("room_id_result", "room_id"), ("fcid_result", "fcid")];
    let Some((entries, key)) = lists.iter().find_map(|(list, key)| {
        response
            .get(list)
            .and_then(Value::as_array)
            .map(|entries| (entries, key))
    }) else {
        return Vec::new();
    };
    let text = |entry: &Value, key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    entries
        .iter()
        .map(|entry| TargetResult {
            target: text(entry, key).unwrap_or_default(),
            event_id: text(entry, "event_id").and_then(|id| id.parse().ok()),
            errcode: text(entry, "errcode"),
            error: text(entry, "error"),
        })
        .collect()
}

/// The rooms a call concerns (see [`ApiCall::rooms`]), each once.
fn rooms(shared: &Shared, call: &ApiCall) -> Vec<RoomId> {
    let mut rooms: Vec<RoomId> = Vec::new();
    let request = call.request.as_ref();
    let strings = |key: &str| -> Vec<String> {
        request
            .and_then(|r| r.get(key))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    match call.operation() {
        "message/send" | "message/update-cui" => {
            // As the API does: `fcids` only when there are no `room_ids`.
            let room_ids = strings("room_ids");
            if room_ids.is_empty() {
                let people: Vec<Fcid> = strings("fcids")
                    .iter()
                    .filter_map(|f| f.parse().ok())
                    .collect();
                shared.read(|state| {
                    for person in &people {
                        if let Some(room) = state.direct_room(person) {
                            rooms.push(room.room_id.clone());
                        }
                    }
                });
            } else {
                rooms.extend(room_ids.iter().filter_map(|r| r.parse().ok()));
            }
            if let Some(origin) = call.origin_event() {
                rooms.extend(room_of(shared, &origin));
            }
        }
        "rooms/{room_id}" => {
            let encoded = call.path.rsplit('/').next().unwrap_or_default();
            rooms.extend(decode(encoded).parse().ok());
        }
        "rooms" => {
            let created = call.response.as_ref().and_then(|r| r.get("room_id"));
            rooms.extend(created.and_then(Value::as_str).and_then(|r| r.parse().ok()));
        }
        _ => {}
    }
    let mut unique = Vec::with_capacity(rooms.len());
    for room in rooms {
        if !unique.contains(&room) {
            unique.push(room);
        }
    }
    unique
}

/// The room holding the message `event_id`.
fn room_of(shared: &Shared, event_id: &EventId) -> Option<RoomId> {
    shared.read(|state| {
        state
            .rooms
            .iter()
            .find(|room| room.message(event_id).is_some())
            .map(|room| room.room_id.clone())
    })
}

/// A percent-encoded path segment, decoded (`+` is a plus sign in a path).
fn decode(segment: &str) -> String {
    let escaped = segment.replace('+', "%2B");
    url::form_urlencoded::parse(format!("x={escaped}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let mut value = json!({
            "app_id": "a", "secret": "s3cret",
            "nested": [{"app_access_token": "tok"}], "token_type": "Bearer",
        });
        redact(&mut value);
        assert_eq!(
            value,
            json!({
                "app_id": "a", "secret": "[redacted]",
                "nested": [{"app_access_token": "[redacted]"}], "token_type": "Bearer",
            })
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_summarised() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "image/png".parse().unwrap());
        let kept = kept_body(&headers, &Bytes::from_static(b"\x89PNG"));
        assert_eq!(kept, Some(json!({"bytes": 4, "content_type": "image/png"})));
        assert_eq!(kept_body(&headers, &Bytes::new()), None);
    }

    #[test]
    fn problems_name_their_path_in_the_request() {
        let response = json!({"errcode": "FC_BAD_JSON", "data": {"problems": [
            {"path": "info.elements[3].key", "kind": "duplicate_key", "message": "duplicate key \"amount\""},
        ]}});
        assert_eq!(
            problems(&response),
            ["content.info.elements[3].key: duplicate key \"amount\""]
        );
    }

    #[test]
    fn room_ids_in_a_path_are_decoded() {
        assert_eq!(decode("%21finance%3Asandbox"), "!finance:sandbox");
        assert_eq!(decode("!a+b:sandbox"), "!a+b:sandbox");
    }
}
