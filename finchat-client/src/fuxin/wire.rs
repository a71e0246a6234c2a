//! FuXin's wire forms: the `{success, errorCode, error, data}` envelope, the token grant in its
//! `data`, and the 13-digit millisecond timestamp of the requests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::Error;
use crate::Secret;
use crate::http::Quote;

/// A token answer's `data`: the access token, its lifetime and the refresh token.
///
/// `Debug` shows neither token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenGrant {
    /// `accessToken`.
    pub access_token: Secret,
    /// `expireIn`: how long the access token lives (the document says 7200 s).
    pub expire_in: Duration,
    /// `refreshToken`: trades for the next grant. `None` when an answer lacks it; the token source
    /// then asks `getAccessToken` again instead of refreshing.
    pub refresh_token: Option<Secret>,
}

impl TokenGrant {
    /// A grant, as a test's fake [`TokenFetcher`](super::TokenFetcher) or another source of tokens
    /// makes one.
    pub fn new(
        access_token: impl Into<Secret>,
        expire_in: Duration,
        refresh_token: Option<Secret>,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            expire_in,
            refresh_token,
        }
    }
}

/// `data` as it comes: `expireIn` is a number, forgivingly also a numeric string.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantData {
    access_token: String,
    #[serde(deserialize_with = "seconds")]
    expire_in: u64,
    #[serde(default)]
    refresh_token: Option<String>,
}

fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| serde::de::Error::custom(format!("`{n}` is not a number of seconds"))),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a number of seconds"))),
        other => Err(serde::de::Error::custom(format!(
            "`{other}` is not a number of seconds"
        ))),
    }
}

/// The envelope. `errorCode` may be a number or a numeric string; a missing one counts as `0`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    error_code: Option<Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<Value>,
}

impl Envelope {
    fn code(&self) -> Option<i64> {
        match &self.error_code {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Failed when `success` is false or `errorCode` is not 0.
    fn failed(&self) -> bool {
        self.success == Some(false) || self.code().is_some_and(|c| c != 0)
    }

    fn error(self, status: StatusCode) -> Error {
        let code = self.code();
        Error::api(status, code, self.error.unwrap_or_default())
    }
}

/// Reads an answer: the envelope's `data` as `T`, or the error the answer stands for. `quote`
/// says what a message may show of the answer.
pub(crate) fn read_data<T: DeserializeOwned>(
    status: StatusCode,
    text: &str,
    quote: Quote,
) -> Result<T, Error> {
    let envelope = quote.json::<Envelope>(text);
    if !status.is_success() {
        return Err(match envelope {
            Ok(envelope) if envelope.failed() || envelope.error.is_some() => envelope.error(status),
            _ => Error::api(status, None, quote.excerpt(text)),
        });
    }
    let envelope = envelope
        .map_err(|reason| Error::malformed(status, format!("not the FuXin envelope: {reason}")))?;
    if envelope.failed() {
        return Err(envelope.error(status));
    }
    let Some(data) = envelope.data else {
        return Err(Error::malformed(
            status,
            "a successful answer without `data`",
        ));
    };
    quote
        .value(data, "data")
        .map_err(|reason| Error::malformed(status, reason))
}

/// Reads a token answer, which is never quoted: it holds the tokens.
pub(crate) fn read_grant(status: StatusCode, text: &str) -> Result<TokenGrant, Error> {
    let data: GrantData = read_data(status, text, Quote::Never)?;
    Ok(TokenGrant {
        access_token: Secret::new(data.access_token),
        expire_in: Duration::from_secs(data.expire_in),
        refresh_token: data
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(Secret::new),
    })
}

/// Now as the document's `timestamp`: 13 decimal digits of milliseconds since the Unix epoch.
pub(crate) fn timestamp_millis() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    millis.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_timestamp_has_13_digits() {
        let stamp = timestamp_millis();
        assert_eq!(stamp.len(), 13, "{stamp}");
        assert!(stamp.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn a_grant_is_read_from_the_documented_answer() {
        let answer = json!({
            "data": {"accessToken": "access-1", "expireIn": 7200, "refreshToken": "refresh-1"},
            "error": null, "errorCode": 0, "success": true
        });
        let grant = read_grant(StatusCode::OK, &answer.to_string()).unwrap();
        assert_eq!(grant.access_token.expose(), "access-1");
        assert_eq!(grant.expire_in, Duration::from_secs(7200));
        assert_eq!(grant.refresh_token.unwrap().expose(), "refresh-1");
    }

    #[test]
    fn success_false_or_a_nonzero_code_is_an_error_even_with_http_200() {
        let answer =
            json!({"data": null, "error": "eid不存在", "errorCode": "10002", "success": false});
        let error = read_grant(StatusCode::OK, &answer.to_string()).unwrap_err();
        assert_eq!(error.error_code(), Some(10002));
        assert_eq!(error.message(), Some("eid不存在"));
        let answer = json!({"error": "x", "errorCode": 3, "success": true});
        assert_eq!(
            read_grant(StatusCode::OK, &answer.to_string())
                .unwrap_err()
                .error_code(),
            Some(3)
        );
    }

    #[test]
    fn an_http_error_without_envelope_keeps_the_status_and_the_text() {
        let html = "<html>bad gateway</html>";
        let error = read_data::<Value>(StatusCode::BAD_GATEWAY, html, Quote::Answer).unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(error.message(), Some(html));
        assert!(error.is_transient());
    }

    #[test]
    fn a_token_calls_error_without_envelope_keeps_the_status_but_not_the_text() {
        let error = read_grant(StatusCode::BAD_GATEWAY, "<html>SECRET</html>").unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
        assert!(!error.to_string().contains("SECRET"), "{error}");
        assert!(error.is_transient());
    }
}
