//! Reset: the world back to its seed (rooms, messages, media, events), keeping the app's token and
//! the id counters; from code, from the page's button and as JSON.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use finchat_cui::Fcid;
use serde_json::json;

use super::page;
use super::shared::{Shared, now_ms};

/// Where the page's Reset button posts.
pub(crate) const FORM_PATH: &str = "/sandbox/reset";
/// The JSON endpoint of the same.
pub(crate) const API_PATH: &str = "/sandbox/api/reset";

/// Puts the world back to the configured seed. See [`SandboxHandle::reset`](crate::SandboxHandle::reset).
pub(crate) fn reset(shared: &Arc<Shared>) {
    let now = now_ms();
    let Ok(media) = shared.change(|state| {
        let media: Vec<String> = state.media.keys().cloned().collect();
        state.reset(&shared.seed, now);
        // Under the state lock, so that no push of the new events is recorded before this.
        shared.clear_pushes();
        shared.activity.clear();
        Ok::<_, Infallible>(media)
    });
    shared.remove_media_files(&media);
    // A change wakes the pusher when the log grew; after a reset it may be shorter.
    shared.wake.notify_one();
    tracing::info!("the sandbox was reset");
}

/// `POST /sandbox/reset` (the page's button, a form with the field `as`): resets, and sends the
/// person back to their page, or to `/` when they are not one of the people after the reset.
pub(crate) async fn reset_form(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    reset(&shared);
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let person = form
        .get("as")
        .and_then(|a| a.parse::<Fcid>().ok())
        .filter(|a| shared.read(|s| s.person(a).is_some()));
    let to = match person {
        Some(person) => page::page_url(&person, None),
        None => "/".to_owned(),
    };
    Redirect::to(&to).into_response()
}

/// `POST /sandbox/api/reset`: resets; `{"ok": true}`.
pub(crate) async fn reset_json(State(shared): State<Arc<Shared>>) -> Response {
    reset(&shared);
    Json(json!({ "ok": true })).into_response()
}
