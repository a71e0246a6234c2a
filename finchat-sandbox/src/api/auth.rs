//! The token calls: a new app access token (which replaces the previous one), and its check.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, check_app, json_body};
use crate::error::Refusal;
use crate::shared::{Shared, now_ms};
use crate::world::TokenRecord;
use finchat_client::FcCode;

#[derive(Deserialize)]
struct TokenRequest {
    app_id: Option<String>,
    secret: Option<String>,
}

/// `POST …/auth/token`: a new token for the app's id and secret.
pub(super) async fn token(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let request: TokenRequest = json_body(&body)?;
    check_app(&shared, request.app_id.as_deref())?;
    let secret = request
        .secret
        .ok_or_else(|| Refusal::bad_json("secret is required"))?;
    if !same(shared.config.secret.expose(), &secret) {
        return Err(Refusal::new(
            FcCode::InvalidSecret,
            format!("wrong secret for app `{}`", shared.config.app_id),
        ));
    }
    let token = random_hex(16);
    let lifetime = shared.config.token_lifetime;
    let expires_at_ms =
        now_ms().saturating_add(i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX));
    shared.change(|state| {
        state.token = Some(TokenRecord {
            token: token.clone(),
            expires_at_ms,
        });
        Ok::<(), Refusal>(())
    })?;
    let answer = json!({
        "app_access_token": token,
        "expires_in": lifetime.as_secs(),
        "token_type": "Bearer",
    });
    Ok(Json(answer).into_response())
}

#[derive(Deserialize)]
struct VerifyRequest {
    app_id: Option<String>,
    app_access_token: Option<String>,
}

/// `POST …/auth/token/verify`: whether a token is the app's current, unexpired one.
pub(super) async fn verify(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let request: VerifyRequest = json_body(&body)?;
    check_app(&shared, request.app_id.as_deref())?;
    let token = request
        .app_access_token
        .ok_or_else(|| Refusal::bad_json("app_access_token is required"))?;
    let valid = shared.read(|state| {
        state
            .token
            .as_ref()
            .is_some_and(|t| same(&t.token, &token) && t.expires_at_ms > now_ms())
    });
    Ok(Json(json!({ "result": valid })).into_response())
}

/// Compares without stopping at the first difference.
pub(super) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut difference = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        difference |= usize::from(x ^ b.get(i).copied().unwrap_or(!x));
    }
    difference == 0
}

/// `bytes` random bytes as hex: tokens and media ids. The standard library's randomly keyed hasher
/// over the time and a counter is unpredictable enough for a local sandbox.
pub(crate) fn random_hex(bytes: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(bytes * 2);
    while out.len() < bytes * 2 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_i64(now_ms());
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(bytes * 2);
    out
}
