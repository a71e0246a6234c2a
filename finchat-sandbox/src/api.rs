//! The open API as the sandbox serves it, faithful to the documents: errors as `{errcode, error}`,
//! the app access token on every call but the token calls, and the app id checked everywhere.

mod auth;
mod forwarder;
mod media;
mod messages;
mod rooms;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::error::Refusal;
use super::shared::{Shared, now_ms};
use finchat_client::FcCode;

pub(crate) use auth::random_hex;
pub(crate) use media::media_response;

const OPEN: &str = "/api/v1/finchat/open-api";

/// What a handler answers: its response, or the API's error.
type ApiResult = Result<Response, Refusal>;

/// The API's routes.
pub(crate) fn routes(shared: &Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route(&format!("{OPEN}/auth/token"), post(auth::token))
        .route(&format!("{OPEN}/auth/token/verify"), post(auth::verify))
        .route(&format!("{OPEN}/message/send"), post(messages::send))
        .route(
            &format!("{OPEN}/message/update-cui"),
            put(messages::update_cui),
        )
        .route(
            &format!("{OPEN}/media/upload"),
            post(media::upload).layer(DefaultBodyLimit::max(media::UPLOAD_LIMIT)),
        )
        .route(
            &format!("{OPEN}/media/download/{{server}}/{{media}}"),
            get(media::download),
        )
        .route(
            &format!("{OPEN}/rooms"),
            post(rooms::create).get(rooms::list),
        )
        .route(
            &format!("{OPEN}/rooms/{{room}}"),
            put(rooms::modify).get(rooms::detail),
        )
        .route(
            "/api/v1/finchat/privilege-api/forwarder/{app_id}/events",
            get(forwarder::events),
        )
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(shared),
            super::guard::api,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(shared),
            super::activity::record,
        ))
        .layer(axum::middleware::from_fn(traced))
}

/// Runs an API call in a `finchat.sandbox.api` span: its method and path, never the query or the
/// headers (the token).
async fn traced(request: Request, next: Next) -> Response {
    let span = tracing::info_span!(
        "finchat.sandbox.api",
        method = %request.method(),
        path = %request.uri().path(),
    );
    next.run(request).instrument(span).await
}

/// The query string's parameters (the last value of a repeated one).
fn query(raw: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A JSON body, or `FC_BAD_JSON` saying what is wrong with it.
fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body)
        .map_err(|e| Refusal::bad_json(format!("the body is not the expected JSON: {e}")))
}

/// Checks the `app_id` a request names.
fn check_app(shared: &Shared, app_id: Option<&str>) -> Result<(), Refusal> {
    match app_id {
        None | Some("") => Err(Refusal::bad_json("app_id is required")),
        Some(app_id) if app_id == shared.config.app_id => Ok(()),
        Some(other) => Err(Refusal::new(
            FcCode::AppNotFound,
            format!(
                "no app `{other}`; the sandbox's app is `{}`",
                shared.config.app_id
            ),
        )),
    }
}

/// A call made with the app's current access token (`Authorization: Bearer …`, not expired): the
/// extractor every API handler but the token calls takes, so a call without one is refused with
/// `FC_INVALID_ACCESS_TOKEN` before the handler runs.
struct Authorized;

impl FromRequestParts<Arc<Shared>> for Authorized {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Refusal> {
        authorize(shared, &parts.headers).map(|()| Authorized)
    }
}

/// A call whose query names the sandbox's app (`?app_id=`): the extractor of the GET and upload
/// calls, which carry the app id in the query rather than in a JSON body. Put it after
/// [`Authorized`], so that the token is checked first.
struct AppInQuery;

impl FromRequestParts<Arc<Shared>> for AppInQuery {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Refusal> {
        let query = query(parts.uri.query());
        check_app(shared, query.get("app_id").map(String::as_str)).map(|()| AppInQuery)
    }
}

/// Checks the `Authorization: Bearer` token: the app's current one, not expired.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), Refusal> {
    let refused = |why: &str| Refusal::new(FcCode::InvalidAccessToken, why);
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| refused("no `Authorization: Bearer <app_access_token>` header"))?;
    shared.read(|state| match &state.token {
        Some(current) if auth::same(&current.token, given) => {
            if current.expires_at_ms <= now_ms() {
                Err(refused("the app access token has expired; get a new one"))
            } else {
                Ok(())
            }
        }
        _ => Err(refused(
            "the app access token is not the app's current one (each new token replaces the \
             previous one); get a new one",
        )),
    })
}
