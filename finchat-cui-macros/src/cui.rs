//! `cui!`: parse the JSX-like input into a typed tree (`ast`), check the rules that span several
//! nodes (`valid`), then emit finchat-cui builder calls (`expand`). Every error of one call is
//! reported together; on error the expansion is a diverging expression, so no follow-on errors appear.

mod ast;
mod expand;
mod symbol;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

/// Collects every error of one macro call, in source order.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub fn add(&mut self, span: proc_macro2::Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    pub fn push(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    fn into_tokens(self) -> Option<TokenStream> {
        if self.0.is_empty() {
            return None;
        }
        let errors = self.0.into_iter().map(|e| e.to_compile_error());
        Some(quote! {{ #(#errors)* ::core::unreachable!() }})
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let message = ast::parse(input, &mut errors);
    if let Some(message) = &message {
        valid::check(message, &mut errors);
    }
    if let Some(tokens) = errors.into_tokens() {
        return tokens;
    }
    match message {
        Some(message) => expand::message(&message),
        None => quote! { ::core::unreachable!() },
    }
}
