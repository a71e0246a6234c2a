//! The one error collector of `cui!` and the derives (serde's `Ctxt`): errors are pushed as they are
//! found, reading goes on, and the call ends with `finish`, which hands back the tree or every error.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects every error of one macro call, in the order they are found.
///
/// A call must end it with [`Errors::finish`]; dropping it unfinished is a bug in this crate and
/// panics, so that no collected error can be lost.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
    finished: bool,
}

impl Errors {
    /// An error at `span`.
    pub fn add(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error spanning all of `tokens`.
    pub fn add_spanned(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error made elsewhere: by syn, or by rstml.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends the collection: the `tree` when nothing was reported, else every error as a
    /// `compile_error!`, for the caller to put beside its fallback: a stub that compiles, so the user
    /// sees these errors and none that follow from the missing expansion (thiserror's `fallback.rs`).
    pub fn finish<T>(mut self, tree: Option<T>) -> Result<T, TokenStream> {
        self.finished = true;
        match (self.errors.is_empty(), tree) {
            (true, Some(tree)) => Ok(tree),
            _ => Err(self.errors.iter().map(|e| e.to_compile_error()).collect()),
        }
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        if !self.finished && !std::thread::panicking() {
            panic!("`Errors` dropped without `finish`");
        }
    }
}

impl finchat_cui_rules::grammar::Sink<Span> for Errors {
    fn error(&mut self, at: Span, message: String) {
        self.add(at, message);
    }
}
