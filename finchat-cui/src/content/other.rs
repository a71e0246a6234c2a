//! Content kept as received: a `msgtype` this library does not know, or a known one that does not fit.

use serde_json::{Map, Value};

/// Content kept exactly as received (see [`crate::MessageContent::Other`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherContent {
    pub(crate) raw: Map<String, Value>,
}

impl OtherContent {
    /// The `msgtype`, or `""` when it is missing or not a string.
    pub fn msgtype(&self) -> &str {
        self.raw
            .get("msgtype")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The content as received.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }
}
