//! The grammar of FinChat's card markup, in one place: the `cui!` macro reads it from Rust tokens at
//! compile time and finchat-cui's run-time templates read it from text, and both walk their nodes with
//! these tables and report with these messages, so the two cannot drift apart.
//!
//! What is here: the tag and attribute names ([`symbol`]), where each tag may stand ([`classify`]),
//! each tag's attributes with kind and required-ness ([`Tag::attrs`]), the check of a literal of each
//! kind ([`check_literal`]), the reader of one tag's attributes ([`Attrs`]), the rules that span
//! several nodes ([`Keys`], [`check_dropdown`]) and every message text ([`message`]). Positions are
//! the caller's: a `Span` in the macro, a line and column in a template; errors go to a [`Sink`].
//!
//! ```
//! use finchat_cui_rules::grammar::{Place, Tag, classify};
//!
//! assert_eq!(classify("reply", Place::Form), Ok(Tag::Reply));
//! assert_eq!(
//!     classify("slider", Place::Form).unwrap_err(),
//!     "unknown tag `<slider>`; expected one of `<text>`, `<divider>`, `<image>`, `<input>`, \
//!      `<dropdown>`, `<reply>`, `<submit>`, `<openurl>`"
//! );
//! ```

mod attrs;
mod cross;
mod literal;
pub mod message;
mod place;
pub mod symbol;
mod tables;

pub use attrs::Attrs;
pub use cross::{Keys, OptionValue, check_dropdown};
pub use literal::{Literal, check_literal};
pub use place::{Children, Place, Tag, classify};
pub use tables::*;

/// Where a walker's errors go: each with the position it names (a `Span`, a line and column, …).
pub trait Sink<P> {
    /// Records an error at `at`.
    fn error(&mut self, at: P, message: String);
}

impl<P> Sink<P> for Vec<(P, String)> {
    fn error(&mut self, at: P, message: String) {
        self.push((at, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tag_stands_where_the_grammar_puts_it() {
        assert_eq!(classify("form", Place::TopLevel), Ok(Tag::Form));
        assert_eq!(classify("image", Place::Form), Ok(Tag::Image));
        assert_eq!(classify("option", Place::Dropdown), Ok(Tag::Option));
        assert_eq!(
            classify("submit", Place::TopLevel).unwrap_err(),
            "`<submit>` can only stand inside `<form>`; a message is `<form>`, `<textcard>`, `<image>`, `<file>` or `<text>`"
        );
        assert_eq!(
            classify("input", Place::Text(Tag::Reply)).unwrap_err(),
            "`<input>` cannot stand inside `<reply>`, which holds text: string literals and `{expr}`"
        );
        assert!(
            classify("txet", Place::Form)
                .unwrap_err()
                .contains("did you mean `<text>`?")
        );
        assert_eq!(Tag::Image.attrs(Place::TopLevel), IMAGE_MESSAGE_ATTRS);
        assert_eq!(Tag::Image.attrs(Place::Form), IMAGE_ATTRS);
    }

    #[test]
    fn attributes_are_read_against_the_spec_of_their_tag() {
        let mut errors = Vec::new();
        let mut attrs: Attrs<u32, &str> = Attrs::new("input", 1, INPUT_ATTRS);
        assert_eq!(attrs.admit("kye", 2, &mut errors), None);
        let (name, kind) = attrs.admit("value", 3, &mut errors).unwrap();
        assert_eq!(kind, Kind::Text);
        attrs.accept(name, 3, Some("1200"));
        assert_eq!(attrs.admit("value", 4, &mut errors), None);
        assert!(attrs.required("key").is_none());
        // The unknown `kye` is likely the missing `key`: not reported twice.
        assert_eq!(attrs.finish(&mut errors), None);
        assert_eq!(
            errors,
            [
                (
                    2,
                    "unknown attribute `kye` on `<input>`; did you mean `key`?".to_owned()
                ),
                (4, "`value` is given twice on `<input>`".to_owned()),
            ]
        );
        let mut attrs: Attrs<u32, &str> = Attrs::new("textcard", 1, TEXTCARD_ATTRS);
        let mut errors = Vec::new();
        assert!(attrs.required("title").is_none() && attrs.required("url").is_none());
        assert_eq!(attrs.finish(&mut errors), None);
        assert_eq!(
            errors[0].1,
            "`<textcard>` needs `title` and `url`: `<textcard title=\"…\" url=\"…\" …>`"
        );
    }

    #[test]
    fn keys_and_dropdown_values_are_checked_across_nodes() {
        let mut errors = Vec::new();
        let mut keys = Keys::default();
        keys.see("decision", 1, true, &mut errors);
        keys.see("decision", 2, true, &mut errors);
        assert!(errors.is_empty());
        keys.see("decision", 3, false, &mut errors);
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[1],
            (1, "note: `decision` is first used here".to_owned())
        );

        let mut errors = Vec::new();
        check_dropdown(
            0,
            &[Some(("a", 1)), Some(("a", 2))],
            Some(("b", 3)),
            &mut errors,
        );
        assert_eq!(
            errors[0],
            (2, "duplicate option value `a` in this dropdown".to_owned())
        );
        assert_eq!(errors[1].0, 3);
        let mut errors = Vec::new();
        // An option computed at run time may be the chosen one.
        check_dropdown(0, &[Some(("a", 1)), None], Some(("b", 3)), &mut errors);
        check_dropdown(5, &[], None, &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 5);
    }
}
