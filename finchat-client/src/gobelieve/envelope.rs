//! The `{meta: {code, message}, data}` envelope of every GoBelieve answer, read as a typed result.
//!
//! The document says HTTP 200 is success and anything else failure; GoBelieve's server answers a
//! success with `{"data": …}` or an empty body, and a failure with `{"meta": {"code", "message"}}`
//! and an HTTP error status. A 2xx answer whose `meta.code` is neither `0` nor `200` is taken as a
//! failure too.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::Error;
use super::de::opt_string_lenient;
use crate::http::Quote;

/// An answer: `meta` (on errors) and `data` (on success).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// `meta`: the business code and status message.
    #[serde(default)]
    pub meta: Option<Meta>,
    /// `data`: the result.
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// `meta` of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Meta {
    /// `code`, the business code (a number, given here in decimal, or a string).
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub code: Option<String>,
    /// `message`, the status text.
    #[serde(default, deserialize_with = "opt_string_lenient")]
    pub message: Option<String>,
    /// Other fields, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Meta {
    /// Whether the code says success: none, `0` or `200`.
    pub fn is_success(&self) -> bool {
        matches!(self.code.as_deref(), None | Some("0" | "200"))
    }
}

impl<T> Envelope<T> {
    /// The answer as a result: `data` (which may be absent) when `status` and `meta` say success,
    /// else the error they describe.
    ///
    /// # Errors
    ///
    /// An [`Error`] with `status` and `meta`'s code and message when `status` is not a success or
    /// `meta.code` is neither absent, `0` nor `200`.
    pub fn into_result(self, status: StatusCode) -> Result<Option<T>, Error> {
        let meta_ok = self.meta.as_ref().is_none_or(Meta::is_success);
        if status.is_success() && meta_ok {
            return Ok(self.data);
        }
        let (code, message) = match self.meta {
            Some(meta) => (meta.code, meta.message.unwrap_or_default()),
            None => (None, String::new()),
        };
        Err(Error::api(status, code, message))
    }
}

/// Reads an answer's text: `Ok(None)` for a success without `data` (or with an empty body).
/// `quote` says what a message may show of the answer.
pub(crate) fn read<T: DeserializeOwned>(
    status: StatusCode,
    text: &str,
    quote: Quote,
) -> Result<Option<T>, Error> {
    if text.trim().is_empty() {
        return Envelope::<T> {
            meta: None,
            data: None,
        }
        .into_result(status);
    }
    let envelope = match quote.json::<Envelope<Value>>(text) {
        Ok(envelope) => envelope,
        Err(_) if !status.is_success() => {
            return Err(Error::api(status, None, quote.excerpt(text)));
        }
        Err(reason) => return Err(Error::malformed(status, reason)),
    };
    match envelope.into_result(status)? {
        None | Some(Value::Null) => Ok(None),
        Some(data) => quote
            .value(data, "data")
            .map(Some)
            .map_err(|reason| Error::malformed(status, reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct GroupId {
        group_id: u64,
    }

    #[test]
    fn data_is_the_result_and_an_empty_body_is_a_success_without_data() {
        let answer = json!({"data": {"group_id": 7}}).to_string();
        assert_eq!(
            read::<GroupId>(StatusCode::OK, &answer, Quote::Answer).unwrap(),
            Some(GroupId { group_id: 7 })
        );
        assert_eq!(
            read::<GroupId>(StatusCode::OK, "", Quote::Answer).unwrap(),
            None
        );
        let with_meta = json!({"meta": {"code": 200, "message": "ok"}, "data": null}).to_string();
        assert_eq!(
            read::<GroupId>(StatusCode::OK, &with_meta, Quote::Answer).unwrap(),
            None
        );
    }

    #[test]
    fn meta_of_an_error_answer_becomes_the_error() {
        let answer = json!({"meta": {"code": 400, "message": "no authority"}}).to_string();
        let error = read::<Value>(StatusCode::BAD_REQUEST, &answer, Quote::Answer).unwrap_err();
        assert_eq!(error.meta_code(), Some("400"));
        assert_eq!(error.message(), Some("no authority"));
        let in_200 = json!({"meta": {"code": "1001", "message": "非法参数"}}).to_string();
        let error = read::<Value>(StatusCode::OK, &in_200, Quote::Answer).unwrap_err();
        assert_eq!(
            (error.status(), error.meta_code()),
            (Some(StatusCode::OK), Some("1001"))
        );
        let html =
            read::<Value>(StatusCode::BAD_GATEWAY, "<html>oops</html>", Quote::Answer).unwrap_err();
        assert_eq!(html.message(), Some("<html>oops</html>"));
    }
}
