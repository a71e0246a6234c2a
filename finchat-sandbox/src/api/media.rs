//! Media: upload (answered with `mxc://sandbox/<id>`) and download (the bytes, with the upload's
//! `Content-Type`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use serde_json::json;

use super::{ApiResult, AppInQuery, Authorized, random_hex};
use crate::error::Refusal;
use crate::guard;
use crate::shared::Shared;
use crate::world::{SERVER, StoredMedia};
use finchat_client::FcCode;

/// The largest upload taken.
pub(super) const UPLOAD_LIMIT: usize = 64 << 20;

/// `POST …/media/upload?app_id=`: the body is the file, its `Content-Type` the file's type.
pub(super) async fn upload(
    State(shared): State<Arc<Shared>>,
    _: Authorized,
    _: AppInQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    if body.is_empty() {
        return Err(Refusal::bad_json(
            "the upload is empty; send the file as the body",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let media_id = random_hex(12);
    // Written once, before the state names it, so that the state file never names a missing file.
    shared
        .store_media(&media_id, body.clone())
        .await
        .map_err(|error| {
            tracing::error!(%error, "an upload could not be stored");
            Refusal::new(
                FcCode::InternalError,
                format!("the sandbox cannot keep the upload: {error}"),
            )
        })?;
    let stored = StoredMedia {
        content_type,
        bytes: body,
    };
    let id = media_id.clone();
    shared.change(|state| {
        state.media.insert(id, stored);
        Ok::<(), Refusal>(())
    })?;
    let uri = format!("mxc://{SERVER}/{media_id}");
    Ok(Json(json!({ "content_uri": uri })).into_response())
}

/// `GET …/media/download/{server-name}/{media-id}?app_id=`.
pub(super) async fn download(
    State(shared): State<Arc<Shared>>,
    Path((server, media_id)): Path<(String, String)>,
    _: Authorized,
    _: AppInQuery,
) -> ApiResult {
    media_response(&shared, &server, &media_id)
}

/// The stored file as a response, or `FC_NOT_FOUND`. It is served inert, since it comes from
/// whoever uploaded it and is served under the page's origin: `nosniff`, a policy that runs and
/// loads nothing, and `Content-Disposition: attachment` for anything but a raster image (an SVG or
/// HTML file is downloaded, never shown as a page of the sandbox).
pub(crate) fn media_response(shared: &Shared, server: &str, media_id: &str) -> ApiResult {
    let stored = shared
        .read(|state| state.media.get(media_id).cloned())
        .filter(|_| server == SERVER)
        .ok_or_else(|| {
            Refusal::new(
                FcCode::NotFound,
                format!("no media `mxc://{server}/{media_id}`"),
            )
        })?;
    let inline = guard::shown_inline(&stored.content_type);
    let mut response = (
        [
            (header::CONTENT_TYPE, stored.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                guard::MEDIA_POLICY.to_owned(),
            ),
        ],
        stored.bytes,
    )
        .into_response();
    if !inline {
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_static("attachment"),
        );
    }
    Ok(response)
}
