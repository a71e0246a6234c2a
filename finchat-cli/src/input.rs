//! Reading the files a command is given, `-` being stdin: bytes, text, and content JSON (a bare
//! content object, or a request with `content`).

use std::io::Read;

use finchat_cui::MessageContent;
use serde_json::Value;

use crate::exit::Error;

/// The name `-` stands for in messages.
pub const STDIN: &str = "<stdin>";

/// The name to print for `path`: the path, or `<stdin>`.
pub fn name(path: &str) -> &str {
    if path == "-" { STDIN } else { path }
}

/// The bytes of `path` (`-`: stdin).
pub fn read_bytes(path: &str) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes).map(drop)
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| Error::caused(format!("{}: cannot read", name(path)), e))?;
    Ok(bytes)
}

/// The text of `path` (`-`: stdin), which must be UTF-8.
pub fn read_text(path: &str) -> Result<String, Error> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|e| Error::caused(format!("{}: not UTF-8 text", name(path)), e))
}

/// Where content came from, and whether it was inside a request (so paths start at `content.`).
pub struct Input {
    /// The name to print: the path, or `<stdin>`.
    pub name: String,
    /// The content JSON.
    pub content: Value,
    /// Whether `content` was taken out of a send / update-cui request.
    pub in_request: bool,
}

/// Reads `path` (`-`: stdin) as JSON.
pub fn read(path: &str) -> Result<Input, Error> {
    let name = name(path).to_owned();
    let text = read_text(path)?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| Error::caused(format!("{name}: not JSON"), e))?;
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

/// Reads `path` (`-`: stdin) as message content, or a request with it inside.
pub fn read_content(path: &str) -> Result<(String, MessageContent), Error> {
    let input = read(path)?;
    let content = serde_json::from_value(input.content)
        .map_err(|e| Error::caused(format!("{}: not message content", input.name), e))?;
    Ok((input.name, content))
}
