//! The card playground (`/sandbox/playground`): paste message content or pick a sample, and see it
//! drawn as the room page draws it, with each validation problem beside the element it names.
//!
//! What it reads: message content (a JSON object with `msgtype`, any msgtype), or a bare card (an
//! object without `msgtype` that has `elements`), read as the `info` of an `m.cui` message whose
//! body is `[交互卡片]`, so its problems' paths start at `info` as in a message. Anything else
//! that is JSON is read as content and reported. Up to [`MAX_CONTENT_BYTES`].
//!
//! Or a card template (text that starts with a tag): the `cui!` grammar with `{paths}`, `<for>` and
//! `<if>`, rendered with the JSON data given beside it (`?data=`, or `"data"` in the endpoint's
//! body); see [`template`].

mod page;
mod template;

use std::collections::BTreeMap;
use std::fmt;

use axum::Json;
use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use finchat_cui::{Lints, MessageContent, Problem, Submission};
use serde::Serialize;
use serde_json::{Value, json};

use super::message_view::{CardFrame, write_content};
use super::page::enc;

/// The playground's page.
pub(crate) const PATH: &str = "/sandbox/playground";
/// Its JSON endpoint: content in, drawn card and problems out.
pub(crate) const API_PATH: &str = "/sandbox/api/playground";
/// The DOM id of the card the playground draws; its elements are `playground-card-e{i}`.
pub(crate) const CARD_DOM_ID: &str = "playground-card";

/// The largest content the playground reads, in bytes. The reproduce link carries the content in
/// its URL, which a server takes up to 64 KiB long, and URL-encoding can triple the size.
pub(crate) const MAX_CONTENT_BYTES: usize = 16 * 1024;

/// One of the project's cards to start from.
pub(crate) struct Sample {
    /// Its name in `?sample=`.
    pub name: &'static str,
    /// What the list calls it.
    pub title: &'static str,
    /// Its JSON, as in the snapshot it was copied from.
    pub json: &'static str,
}

/// The samples, copied from the project's snapshots (a test keeps them equal).
pub(crate) const SAMPLES: &[Sample] = &[
    Sample {
        name: "approval",
        title: "报销审批（m.cui 消息，每种元素）",
        json: include_str!("playground/samples/approval.json"),
    },
    Sample {
        name: "approval-handled",
        title: "已处理的专属卡片（disable）",
        json: include_str!("playground/samples/approval-handled.json"),
    },
    Sample {
        name: "expense-form",
        title: "报销表单（只有卡片，由 CuiForm 生成）",
        json: include_str!("playground/samples/expense-form.json"),
    },
];

/// The sample called `name`.
pub(crate) fn sample(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}

/// One thing wrong with what was pasted: where (a JSON path, and a line and column for a syntax
/// error), what kind, and what.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    /// The JSON path, e.g. `info.elements[3].key`; `(content)` for the whole text.
    pub path: String,
    /// The problem's kind (`duplicate_key`, …), `syntax` for text that is not JSON.
    pub kind: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The card element it is about, if any: it is drawn right after that element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<usize>,
    /// For a syntax error: the line (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// For a syntax error: the column (from 1, in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// For a syntax error: the line it is on, split around the character it is at.
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
}

/// A line of the pasted text around a syntax error: before, at and after the character.
#[derive(Debug, Clone)]
pub(crate) struct Excerpt {
    pub before: String,
    pub at: String,
    pub after: String,
}

impl Finding {
    /// A problem of the whole text, at the path `(content)`.
    fn about_content(kind: &'static str, message: String) -> Self {
        Self {
            path: "(content)".into(),
            kind,
            message,
            element: None,
            line: None,
            column: None,
            excerpt: None,
        }
    }

    /// A problem the validator found in `content`, beside the element it names (if the card has it).
    fn about_problem(problem: &Problem, content: &MessageContent) -> Self {
        let elements = content.card().map_or(0, |card| card.elements.len());
        Self {
            path: problem.path.to_string(),
            kind: problem.kind.as_str(),
            message: problem.message.clone(),
            element: problem.path.element_index().filter(|&i| i < elements),
            line: None,
            column: None,
            excerpt: None,
        }
    }

    /// The text of a note beside an element: `path: message`.
    fn note(&self) -> String {
        format!("{}: {}", self.path, self.message)
    }
}

/// What the playground read from the text it was given.
pub(crate) struct Reading {
    /// The content to draw; `None` when the text is not a JSON object.
    pub content: Option<MessageContent>,
    /// Whether the text was a bare card, read as the `info` of an `m.cui` message.
    pub bare_card: bool,
    /// Every problem, in document order.
    pub findings: Vec<Finding>,
    /// What is legal but poor in the content ([`MessageContent::lint`]): warnings, each with a hint.
    pub warnings: Lints,
}

/// Text longer than [`MAX_CONTENT_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    /// Its length in bytes.
    pub bytes: usize,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the content is {} bytes; the playground reads up to {MAX_CONTENT_BYTES} bytes (16 KiB), \
             since its link carries the content in the URL",
            self.bytes
        )
    }
}

/// Reads `text` as the playground does: JSON, then content (or a bare card), then validated; or a
/// template, rendered with `data`.
pub(crate) fn read(text: &str, data: &str) -> Result<Reading, TooLarge> {
    if text.len() + data.len() > MAX_CONTENT_BYTES {
        return Err(TooLarge {
            bytes: text.len() + data.len(),
        });
    }
    if template::is_template(text) {
        return Ok(template::read(text, data));
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            return Ok(Reading {
                content: None,
                bare_card: false,
                findings: vec![syntax_finding(text, &error)],
                warnings: Lints::default(),
            });
        }
    };
    let bare_card = value.get("msgtype").is_none() && value.get("elements").is_some();
    let value = if bare_card { as_message(value) } else { value };
    // Content is read forgivingly: any object is content (unknown or broken parts kept as is), so
    // this fails only for JSON that is not an object, and says what it found.
    let content: MessageContent = match serde_json::from_value(value) {
        Ok(content) => content,
        Err(error) => {
            return Ok(Reading {
                content: None,
                bare_card,
                warnings: Lints::default(),
                findings: vec![Finding::about_content(
                    "wrong_type",
                    format!(
                        "{error}: give message content ({{\"msgtype\": \"m.cui\", …}}) or a card \
                         ({{\"type\": \"form\", \"elements\": […]}})"
                    ),
                )],
            });
        }
    };
    let findings = match content.validate() {
        Ok(()) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|problem| Finding::about_problem(problem, &content))
            .collect(),
    };
    Ok(Reading {
        warnings: content.lint(),
        content: Some(content),
        bare_card,
        findings,
    })
}

/// A bare card as the `info` of an `m.cui` message.
fn as_message(card: Value) -> Value {
    json!({
        "msgtype": "m.cui",
        "version": "0.1.0",
        "body": "[交互卡片]",
        "info": card,
    })
}

/// A syntax error with its line, its column in characters, and the line it is on.
fn syntax_finding(text: &str, error: &serde_json::Error) -> Finding {
    let line_number = error.line();
    // serde_json counts the column in bytes, the error's own byte included.
    let byte_column = error.column();
    let line = text
        .split('\n')
        .nth(line_number.saturating_sub(1))
        .unwrap_or_default()
        .trim_end_matches('\r');
    let at_byte = byte_column.saturating_sub(1).min(line.len());
    let at_byte = (0..=at_byte)
        .rev()
        .find(|&i| line.is_char_boundary(i))
        .unwrap_or(0);
    let column = line[..at_byte].chars().count() + 1;
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    Finding {
        line: Some(line_number),
        column: Some(column),
        excerpt: Some(excerpt(line, at_byte)),
        ..Finding::about_content(
            "syntax",
            format!("line {line_number}, column {column}: {message}"),
        )
    }
}

/// At most 60 characters either side of the byte `at` of `line`, `…` where the line goes on.
fn excerpt(line: &str, at: usize) -> Excerpt {
    const SIDE: usize = 60;
    let (head, tail) = line.split_at(at);
    let before = match head.char_indices().rev().nth(SIDE - 1) {
        Some((start, _)) if start > 0 => format!("…{}", &head[start..]),
        _ => head.to_owned(),
    };
    let mut tail = tail.chars();
    let at = tail.next().map(String::from).unwrap_or_default();
    let rest = tail.as_str();
    let after = match rest.char_indices().nth(SIDE) {
        Some((end, _)) => format!("{}…", &rest[..end]),
        None => rest.to_owned(),
    };
    Excerpt { before, at, after }
}

/// The link that reproduces the page: the content (and a template's data) in the URL.
pub(crate) fn link(text: &str) -> String {
    format!("{PATH}?content={}", enc(text))
}

/// [`link`], with a template's data when there is any.
pub(crate) fn link_with(text: &str, data: &str) -> String {
    if data.is_empty() {
        link(text)
    } else {
        format!("{}&data={}", link(text), enc(data))
    }
}

/// The content drawn as the room page draws it, each element's problems right after it.
pub(crate) fn draw(reading: &Reading, text: &str, data: &str) -> String {
    let Some(content) = &reading.content else {
        return String::new();
    };
    let mut notes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for finding in &reading.findings {
        if let Some(index) = finding.element {
            notes.entry(index).or_default().push(finding.note());
        }
    }
    let frame = CardFrame {
        dom_id: CARD_DOM_ID.to_owned(),
        event_id: None,
        // The page comes back at the submission the pressed button sends.
        action: format!("{}#playground-submission", link_with(text, data)),
        notes,
    };
    let mut out = String::new();
    // Writing into a String never fails.
    let _ = write_content(&mut out, content, &frame);
    out
}

fn query(raw: Option<&str>) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// `GET /sandbox/playground?content=<JSON>` or `?sample=<name>`: the playground, with the content
/// drawn and its problems shown (`content` wins when both are given).
pub(crate) async fn show(RawQuery(raw): RawQuery) -> Response {
    Html(page::render(&view(&query(raw.as_deref()), None))).into_response()
}

/// `POST /sandbox/playground?content=<JSON>`: a button of the drawn card was pressed. The same
/// page, with what the bot would receive as the submission's `content`.
pub(crate) async fn submit(RawQuery(raw): RawQuery, body: Bytes) -> Response {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .into_owned()
        .filter(|(name, _)| name != "action")
        .collect();
    Html(page::render(&view(&query(raw.as_deref()), Some(fields)))).into_response()
}

/// What the page shows for the query `params`, and for the fields of a pressed card.
fn view(params: &BTreeMap<String, String>, pressed: Option<Vec<(String, String)>>) -> page::View {
    let mut error = None;
    let (text, chosen) = match (params.get("content"), params.get("sample")) {
        (Some(content), _) => (content.clone(), None),
        (None, Some(name)) if !name.is_empty() => match sample(name) {
            Some(sample) => (sample.json.to_owned(), Some(sample.name)),
            None => {
                let names: Vec<String> = SAMPLES.iter().map(|s| format!("`{}`", s.name)).collect();
                error = Some(format!(
                    "no sample `{name}`; the samples are {}",
                    names.join(", ")
                ));
                (String::new(), None)
            }
        },
        _ => (String::new(), None),
    };
    let data = params.get("data").cloned().unwrap_or_default();
    let outcome = if text.trim().is_empty() {
        page::Outcome::Nothing
    } else {
        match read(&text, &data) {
            Ok(reading) => page::Outcome::Read(Box::new(reading)),
            Err(too_large) => page::Outcome::Refused(too_large.to_string()),
        }
    };
    let submission = pressed.and_then(|fields| {
        let page::Outcome::Read(reading) = &outcome else {
            return None;
        };
        let card = reading.content.as_ref()?.card()?;
        let submission = fields
            .into_iter()
            .fold(Submission::prefilled(card), |s, (key, value)| {
                s.with(key, value)
            });
        serde_json::to_string_pretty(&submission).ok()
    });
    page::View {
        text,
        data,
        sample: chosen,
        error,
        outcome,
        submission,
    }
}

/// `POST /sandbox/api/playground` with message content (or a bare card) as the JSON body, or a
/// template: the template's text as the body, or `{"template": "…", "data": {…}}`:
/// `{"html": …, "problems": [{"path", "kind", "message", "element"?, "line"?, "column"?}],
/// "warnings": [{"path", "kind", "message", "hint"}]}`, the HTML being the card as the playground
/// page draws it (problems beside their elements), the warnings its lints. `413`
/// above [`MAX_CONTENT_BYTES`].
pub(crate) async fn draw_json(body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let (text, data) = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut request)) if request.get("template").is_some_and(Value::is_string) => {
            let template = request.remove("template").unwrap_or_default();
            let data = request
                .remove("data")
                .map_or_else(String::new, |d| d.to_string());
            (template.as_str().unwrap_or_default().to_owned(), data)
        }
        _ => (text.into_owned(), String::new()),
    };
    match read(&text, &data) {
        Ok(reading) => Json(json!({
            "html": draw(&reading, &text, &data),
            "problems": reading.findings,
            "warnings": reading.warnings,
        }))
        .into_response(),
        Err(too_large) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({ "error": too_large.to_string() })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON of a snapshot: what follows its insta header.
    fn snapshot_json(name: &str) -> Value {
        let path = format!("{}/../snapshots/{name}.snap", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let body = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(_, body)| body)
            .unwrap_or_else(|| panic!("{path} has no insta header"));
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn each_sample_equals_the_snapshot_it_was_copied_from() {
        let sources = [
            ("approval", "content_cui_approval"),
            ("approval-handled", "content_cui_exclusive_disabled"),
            ("expense-form", "form_expense_card"),
        ];
        assert_eq!(sources.len(), SAMPLES.len(), "every sample has a source");
        for (name, snapshot) in sources {
            let sample: Value = serde_json::from_str(sample(name).expect(name).json).unwrap();
            assert_eq!(
                sample,
                snapshot_json(snapshot),
                "{name} drifted from {snapshot}.snap"
            );
        }
    }

    #[test]
    fn every_sample_reads_without_problems() {
        for sample in SAMPLES {
            let reading = read(sample.json, "").unwrap();
            assert!(
                reading.findings.is_empty(),
                "{}: {:?}",
                sample.name,
                reading.findings
            );
            assert!(reading.content.and_then(|c| c.card().cloned()).is_some());
        }
    }

    #[test]
    fn a_syntax_error_counts_its_column_in_characters() {
        let reading = read("{\n  \"body\": \"报销\" x\n}", "").unwrap();
        let finding = &reading.findings[0];
        assert_eq!((finding.line, finding.column), (Some(2), Some(16)));
        assert!(
            finding
                .message
                .starts_with("line 2, column 16: expected `,` or `}`"),
            "{finding:?}"
        );
        let excerpt = finding.excerpt.as_ref().unwrap();
        assert_eq!(
            (excerpt.before.as_str(), excerpt.at.as_str()),
            ("  \"body\": \"报销\" ", "x")
        );
    }

    #[test]
    fn json_that_is_not_an_object_is_reported_with_what_it_is() {
        for (text, found) in [
            ("[1, 2]", "sequence"),
            ("\"报销\"", "string \"报销\""),
            ("42", "integer `42`"),
            ("null", "null"),
        ] {
            let reading = read(text, "").unwrap();
            assert!(reading.content.is_none() && !reading.bare_card, "{text}");
            let [finding] = reading.findings.as_slice() else {
                panic!("{text}: {:?}", reading.findings);
            };
            assert_eq!(
                (finding.path.as_str(), finding.kind),
                ("(content)", "wrong_type")
            );
            assert!(
                finding.message.starts_with(&format!(
                    "invalid type: {found}, expected a message content object: give message \
                     content ({{\"msgtype\": \"m.cui\", …}}) or a card"
                )),
                "{text}: {}",
                finding.message
            );
            assert_eq!(finding.element, None);
        }
    }

    #[test]
    fn a_syntax_error_in_a_long_line_shows_sixty_characters_either_side() {
        let text = format!("[\"{}\" x \"{}\"]", "前".repeat(100), "后".repeat(100));
        let reading = read(&text, "").unwrap();
        let excerpt = reading.findings[0].excerpt.as_ref().unwrap();
        assert_eq!(excerpt.at, "x");
        assert_eq!(excerpt.before, format!("…{}\" ", "前".repeat(58)));
        assert_eq!(excerpt.after, format!(" \"{}…", "后".repeat(58)));
        let short = read("[1 x]", "").unwrap();
        let excerpt = short.findings[0].excerpt.as_ref().unwrap();
        assert_eq!(
            (
                excerpt.before.as_str(),
                excerpt.at.as_str(),
                excerpt.after.as_str()
            ),
            ("[1 ", "x", "]")
        );
    }

    #[test]
    fn too_much_text_is_refused() {
        let text = format!("{{\"body\": \"{}\"}}", "x".repeat(MAX_CONTENT_BYTES));
        assert_eq!(read(&text, "").err(), Some(TooLarge { bytes: text.len() }));
    }
}
