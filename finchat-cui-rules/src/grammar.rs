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
