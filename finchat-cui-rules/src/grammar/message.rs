//! Every message text of the grammar, for the macro and the templates alike.

use super::tables::ALL_TAGS;
use crate::did_you_mean;

/// `` `<a>`, `<b>` `` from tag names.
fn tag_list(tags: &[&str]) -> String {
    tags.iter()
        .map(|t| format!("`<{t}>`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A tag that is none of the grammar's; `expected` are the tags that may stand there.
pub fn unknown_tag(name: &str, expected: &[&str]) -> String {
    let list = tag_list(expected);
    match did_you_mean(name, ALL_TAGS) {
        Some(guess) => {
            format!("unknown tag `<{name}>`; did you mean `<{guess}>`? expected one of {list}")
        }
        None => format!("unknown tag `<{name}>`; expected one of {list}"),
    }
}

/// An element tag at top level.
pub fn not_a_message(name: &str) -> String {
    format!(
        "`<{name}>` can only stand inside {}; a message is `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`",
        if name == "option" {
            "`<dropdown>`"
        } else {
            "`<form>`"
        }
    )
}

/// `<form>` inside `<form>`.
pub fn form_in_form() -> String {
    "`<form>` cannot stand inside `<form>`; a message has one card".into()
}

/// `<option>` inside `<form>`.
pub fn option_outside_dropdown() -> String {
    "`<option>` can only stand inside `<dropdown>`".into()
}

/// `<textcard>` or `<file>` inside `<form>`.
pub fn message_in_form(name: &str) -> String {
    format!("`<{name}>` is a message of its own and cannot stand inside `<form>`")
}

/// Another tag than `<option>` inside `<dropdown>`.
pub fn not_an_option(name: &str) -> String {
    format!(
        "`<{name}>` cannot stand inside `<dropdown>`; only `<option value=…>label</option>` can"
    )
}

/// A tag inside a tag that holds text.
pub fn element_in_text(name: &str, holder: &str) -> String {
    format!(
        "`<{name}>` cannot stand inside `<{holder}>`, which holds text: string literals and `{{expr}}`"
    )
}

/// A second message tag.
pub fn two_messages() -> String {
    "`cui!` makes one message; put elements inside one `<form>`".into()
}

/// Something other than a tag at top level.
pub fn expected_message() -> String {
    "expected a message tag: `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`".into()
}

/// Nothing at all.
pub fn needs_message() -> String {
    "`cui!` needs a message: `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`".into()
}

/// Text directly inside `<form>`.
pub fn text_in_form() -> String {
    "text cannot stand directly inside `<form>`; wrap it in `<text>…</text>`".into()
}

/// Text directly inside `<dropdown>`.
pub fn text_in_dropdown() -> String {
    "text cannot stand directly inside `<dropdown>`; write `<option value=\"…\">label</option>`"
        .into()
}

/// A child of a tag that takes none.
pub fn no_children(tag: &str) -> String {
    format!("`<{tag}>` takes no children; write it self-closing: `<{tag} …/>`")
}

/// A button without a caption.
pub fn needs_caption(tag: &str) -> String {
    format!("`<{tag}>` needs a caption: `<{tag} …>\"caption\"</{tag}>`")
}

/// Unquoted text where text or elements go (`holder` as written in messages: `` `<form>` ``).
pub fn unquoted_text(holder: &str) -> String {
    format!("unquoted text inside {holder}; write text as a string literal: \"…\"")
}

/// A fragment `<>…</>`.
pub fn fragment(holder: &str) -> String {
    format!("fragments `<>…</>` cannot stand inside {holder}")
}

/// Anything else that cannot stand where it is (a comment, a doctype).
pub fn not_allowed(holder: &str) -> String {
    format!("this cannot stand inside {holder}")
}

/// A close tag that closes another tag than the one open.
pub fn mismatched_close(open: &str, close: &str) -> String {
    format!("`</{close}>` closes `<{open}>`; write `</{open}>`")
}

/// Beside [`mismatched_close`]: where the open tag is.
pub fn opened_here(open: &str) -> String {
    format!("note: `<{open}>` is opened here")
}

/// An open tag whose close tag is missing.
pub fn unclosed_tag(name: &str) -> String {
    format!(
        "`<{name}>` is never closed; end it with `</{name}>`, or write it self-closing: `<{name} …/>`"
    )
}

/// `w` without `h` or the other way round.
pub fn w_and_h() -> String {
    "`w` and `h` go together: give both or neither".into()
}

/// `<form>` with no children.
pub fn card_without_elements() -> String {
    "a card needs at least one element, e.g. `<text>\"…\"</text>`".into()
}

/// `<text></text>` as a message.
pub fn empty_text_message() -> String {
    "a text message needs text: `<text>\"hello\"</text>`".into()
}

/// An attribute block `{…}` in place of `name=value`.
pub fn attribute_block() -> String {
    "attributes are written `name=\"value\"` or `name={expr}`".into()
}
