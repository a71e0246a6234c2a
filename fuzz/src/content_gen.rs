//! Structured inputs for the `render_html` target: message content of every msgtype and cards with
//! every element type, built from fuzzer bytes as JSON, with hostile fragments mixed into every
//! string, so the fuzzer spends its time in validation and rendering rather than in the JSON parser.

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

/// Pieces that have broken HTML renderers before; strings are built from these and free text.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<ScRiPt src=//x>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "\" onfocus=\"alert(1)\" autofocus=\"",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "//evil.example.org/",
    "&lt;script&gt;",
    "&#x3C;script&#x3E;",
    "</textarea></style></title>",
    "<!--",
    "]]>",
    "..",
    "../..",
    "..\\..\\",
    "%2e%2e",
    "%2F",
    "%",
    "\\",
    "\u{0}",
    "\u{1}",
    "\t",
    "\n",
    " ",
    "报销申请 #42",
    "@manager:example.org",
    "example.org",
    "localhost:8008",
    "[::1]:8448",
];

/// The documented statuses and a few that are not.
const STATUSES: &[&str] = &["input", "loading", "disable", "", "<b>", "Input"];

/// A string made of up to four pieces, each a hostile fragment or free text.
fn string(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=4)? {
        if u.arbitrary()? {
            out.push_str(u.choose(FRAGMENTS)?);
        } else {
            let free: String = u.arbitrary()?;
            out.extend(free.chars().take(24));
        }
    }
    Ok(out)
}

fn optional(
    u: &mut Unstructured<'_>,
    value: impl FnOnce(&mut Unstructured<'_>) -> Result<Value>,
) -> Result<Option<Value>> {
    if u.arbitrary()? {
        Ok(Some(value(u)?))
    } else {
        Ok(None)
    }
}

/// An http(s) URL most of the time, else something a sender might try instead.
fn url(u: &mut Unstructured<'_>) -> Result<String> {
    const SCHEMES: &[&str] = &[
        "https://",
        "http://",
        "HTTPS://",
        "https:",
        "https:\\\\",
        "javascript:",
        "data:",
        "vbscript:",
        "//",
        " https://",
        "\u{1}https://",
        "",
    ];
    let scheme = u.choose(SCHEMES)?;
    Ok(format!("{scheme}{}/{}", host(u)?, string(u)?))
}

fn host(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 2)? {
        Ok(u.choose(&[
            "example.org",
            "localhost:8008",
            "[::1]:8448",
            "evil.example.org",
        ])?
        .to_string())
    } else {
        string(u)
    }
}

/// `mxc://server/id`, with a hostile server name or id some of the time.
fn mxc(u: &mut Unstructured<'_>) -> Result<String> {
    let id = if u.ratio(3, 4)? {
        "Receipt42_a-b".to_string()
    } else {
        string(u)?
    };
    Ok(format!("mxc://{}/{id}", host(u)?))
}

fn element(u: &mut Unstructured<'_>) -> Result<Value> {
    let element = match u.int_in_range(0..=9)? {
        0 => json!({ "type": "context", "subtype": "text", "value": string(u)? }),
        1 => {
            let mut divider = json!({ "type": "divider", "subtype": "divider" });
            if let Some(height) = optional(u, |u| {
                Ok(if u.arbitrary()? {
                    json!(u.arbitrary::<u32>()?.to_string())
                } else {
                    json!(string(u)?)
                })
            })? {
                divider["height"] = height;
            }
            if let Some(background) = optional(u, |u| {
                Ok(json!(if u.arbitrary()? {
                    "#e5e6eb".to_string()
                } else {
                    string(u)?
                }))
            })? {
                divider["background"] = background;
            }
            divider
        }
        2 => json!({ "type": "image", "subtype": "image", "o_url": mxc(u)? }),
        3 => json!({
            "type": "input", "subtype": "text-input", "key": string(u)?,
            "placeholder": string(u)?, "value": string(u)?,
        }),
        4 => {
            let mut options = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                options.push(json!({ "label": string(u)?, "value": string(u)? }));
            }
            json!({
                "type": "input", "subtype": "dropdown-input", "key": string(u)?,
                "placeholder": string(u)?, "options": options, "value": string(u)?,
            })
        }
        5 => {
            json!({ "type": "button", "subtype": "submit", "action": "submit", "value": string(u)? })
        }
        6 => {
            let mut reply = json!({ "type": "button", "subtype": "reply", "key": string(u)?, "value": string(u)? });
            if u.arbitrary()? {
                reply["status"] = json!(u.choose(STATUSES)?);
            }
            reply
        }
        7 => {
            json!({ "type": "button", "subtype": "openurl", "action": url(u)?, "value": string(u)? })
        }
        8 => json!({ "type": string(u)?, "subtype": string(u)?, "value": string(u)? }),
        _ => Value::String(string(u)?),
    };
    Ok(element)
}

fn card(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut elements = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        elements.push(element(u)?);
    }
    let mut fcids = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        fcids.push(json!(if u.arbitrary()? {
            format!("@{}:example.org", string(u)?)
        } else {
            string(u)?
        }));
    }
    Ok(json!({
        "type": "form",
        "status": u.choose(STATUSES)?,
        "shared": u.arbitrary::<bool>()?,
        "fcids": fcids,
        "elements": elements,
    }))
}

fn media_info(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut info = Map::new();
    if u.arbitrary()? {
        info.insert("w".into(), json!(u.arbitrary::<u32>()?));
        info.insert("h".into(), json!(u.arbitrary::<u32>()?));
    }
    if u.arbitrary()? {
        info.insert("size".into(), json!(u.arbitrary::<u64>()?));
    }
    if u.arbitrary()? {
        info.insert("mimetype".into(), json!(string(u)?));
    }
    Ok(Value::Object(info))
}

/// Message content of any msgtype, as JSON.
///
/// # Errors
///
/// When the fuzzer's bytes run out in a way `arbitrary` reports.
pub fn content(u: &mut Unstructured<'_>) -> Result<Value> {
    let content = match u.int_in_range(0..=6)? {
        0 => json!({ "msgtype": "m.text", "body": string(u)? }),
        1 => json!({ "msgtype": "m.alert", "body": string(u)? }),
        2 => json!({
            "msgtype": "m.textcard", "body": string(u)?,
            "info": {
                "title": string(u)?, "description": string(u)?, "url": url(u)?,
                "btntext": string(u)?, "opentype": u.choose(&["inapp", "inbrowser", "<x>"])?,
            },
        }),
        3 => {
            json!({ "msgtype": "m.image", "body": string(u)?, "o_url": mxc(u)?, "info": media_info(u)? })
        }
        4 => {
            json!({ "msgtype": "m.file", "body": string(u)?, "o_url": mxc(u)?, "info": media_info(u)? })
        }
        5 => {
            json!({ "msgtype": "m.cui", "body": string(u)?, "version": "0.1.0", "info": card(u)? })
        }
        _ => json!({ "msgtype": string(u)?, "body": string(u)?, "extra": string(u)? }),
    };
    Ok(content)
}

#[cfg(test)]
mod tests {
    use finchat_cui::MessageContent;

    use super::*;

    /// Bytes as the fuzzer might give them: a fixed xorshift stream, the same on every run.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    #[test]
    fn generated_content_parses_often_enough_to_reach_rendering() {
        let (mut parsed, mut cards_with_elements) = (0, 0);
        for seed in 0..1000 {
            let data = bytes(seed, 512);
            let Ok(json) = content(&mut Unstructured::new(&data)) else {
                continue;
            };
            match serde_json::from_value::<MessageContent>(json) {
                Ok(MessageContent::Other(_)) | Err(_) => {}
                Ok(MessageContent::Cui(cui)) => {
                    parsed += 1;
                    cards_with_elements += usize::from(!cui.info.elements.is_empty());
                }
                Ok(_) => parsed += 1,
            }
        }
        eprintln!("{parsed} of 1000 parsed, {cards_with_elements} cards with elements");
        assert!(
            parsed >= 300,
            "only {parsed} of 1000 generated contents parse"
        );
        assert!(
            cards_with_elements >= 50,
            "only {cards_with_elements} cards with elements"
        );
    }
}
