//! `#[derive(CuiForm)]`: read the struct and its `#[cui(…)]` attributes into a typed tree (`ast`,
//! `attr`), check the rules that span several fields (`valid`), then emit the `CuiForm` impl
//! (`expand`). Every mistake is reported together; on error the impl is a stub, so the user sees the
//! mistakes and no follow-on errors.

mod ast;
pub mod attr;
mod expand;
pub mod symbol;
mod valid;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::DeriveInput;

/// Collects every error of one derive, in source order.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    /// An error at `span`.
    pub fn add(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    /// An error spanning all of `tokens`.
    pub fn add_spanned(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn push(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    /// The `compile_error!`s, or `None` when there were no errors.
    pub fn into_tokens(self) -> Option<TokenStream> {
        if self.0.is_empty() {
            return None;
        }
        let errors = self.0.into_iter().map(|e| e.to_compile_error());
        Some(quote! { #(#errors)* })
    }
}

pub fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let form = ast::Form::from_input(&input, &mut errors);
    if let Some(form) = &form {
        valid::check(form, &mut errors);
    }
    match (errors.into_tokens(), form) {
        (None, Some(form)) => expand::form(&form),
        (errors, _) => {
            let fallback = expand::fallback(&input);
            quote! { #errors #fallback }
        }
    }
}
