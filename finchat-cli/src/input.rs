//! Reading content JSON from a file or stdin: a bare content object, or a request with `content`.

use std::io::Read;

use serde_json::Value;

/// Where content came from, and whether it was inside a request (so paths start at `content.`).
pub struct Input {
    /// The name to print: the path, or `<stdin>`.
    pub name: String,
    /// The content JSON.
    pub content: Value,
    /// Whether `content` was taken out of a send / update-cui request.
    pub in_request: bool,
}

/// Reads `path` (`-`: stdin) as JSON; the error is the line to print.
pub fn read(path: &str) -> Result<Input, String> {
    let name = if path == "-" {
        "<stdin>".to_owned()
    } else {
        path.to_owned()
    };
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(drop)
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| format!("{name}: cannot read: {e}"))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
    Ok(match json {
        Value::Object(mut request)
            if !request.contains_key("msgtype") && request.contains_key("content") =>
        {
            let content = request.remove("content").unwrap_or_default();
            Input {
                name,
                content,
                in_request: true,
            }
        }
        content => Input {
            name,
            content,
            in_request: false,
        },
    })
}
