//! The check of an attribute's literal value against the kind its attribute takes.

use super::tables::Kind;
use crate::{OPENTYPES, STATUSES, check_color, check_http_url, check_mxc, did_you_mean};

/// A literal attribute value as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal<'a> {
    /// `"…"`, its value.
    Str(&'a str),
    /// A whole number; `None` when it does not fit a `u64` (or is not whole).
    Int(Option<u64>),
    /// `true` or `false`.
    Bool(bool),
    /// Any other literal (a float, a char, …).
    Other,
}

/// Checks the literal value of attribute `name`, which takes `kind`.
///
/// # Errors
///
/// The message when the literal is of another kind, or breaks the rule of its kind.
///
/// ```
/// use finchat_cui_rules::grammar::{Kind, Literal, check_literal};
///
/// assert_eq!(check_literal("height", Kind::Int, Literal::Int(Some(2))), Ok(()));
/// assert_eq!(
///     check_literal("height", Kind::Int, Literal::Str("2")).unwrap_err(),
///     "`height` takes a whole number or `{expr}`"
/// );
/// ```
pub fn check_literal(name: &str, kind: Kind, literal: Literal<'_>) -> Result<(), String> {
    let expected = match kind {
        Kind::Int => "a whole number",
        Kind::Bool => "`true` or `false`",
        Kind::ExprOnly => "an expression in braces",
        _ => "a string literal",
    };
    let wrong = || Err(format!("`{name}` takes {expected} or `{{expr}}`"));
    match (literal, kind) {
        (Literal::Int(Some(_)), Kind::Int) | (Literal::Bool(_), Kind::Bool) => Ok(()),
        (
            Literal::Str(text),
            Kind::Text
            | Kind::NonEmpty
            | Kind::Status
            | Kind::OpenType
            | Kind::Mxc
            | Kind::Url
            | Kind::Color,
        ) => check_text(name, kind, text).map_or(Ok(()), Err),
        _ => wrong(),
    }
}

/// The problem of a string literal under the rule of its attribute, if any.
fn check_text(name: &str, kind: Kind, text: &str) -> Option<String> {
    match kind {
        Kind::NonEmpty if text.is_empty() => Some(format!("`{name}` cannot be empty")),
        Kind::Status if !STATUSES.contains(&text) => Some(format!(
            "unknown status `{text}`; write \"input\", \"loading\" or \"disable\"{}",
            suggestion(text, STATUSES)
        )),
        Kind::OpenType if !OPENTYPES.contains(&text) => Some(format!(
            "unknown opentype `{text}`; write \"inapp\" or \"inbrowser\"{}",
            suggestion(text, OPENTYPES)
        )),
        Kind::Mxc => check_mxc(text)
            .err()
            .map(|why| format!("`{name}` must be an `mxc://server/media-id` URI: `{text}` {why}")),
        Kind::Url => check_http_url(text)
            .err()
            .map(|why| format!("`{name}` must be an absolute http(s) URL: `{text}`: {why}")),
        Kind::Color if !check_color(text) => Some(format!(
            "`{text}` is not a colour; write `#rgb`, `#rrggbb` (with optional alpha) or a CSS colour name"
        )),
        _ => None,
    }
}

fn suggestion(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map_or_else(String::new, |guess| format!(" (did you mean \"{guess}\"?)"))
}
