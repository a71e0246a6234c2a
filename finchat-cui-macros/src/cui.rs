//! `cui!`: walk rstml's nodes into a typed tree (`parse`, reading attributes with `attr` against the
//! tables of `grammar`, into the types of `ast`), check the rules that span several nodes (`valid`),
//! then emit finchat-cui builder calls (`expand`). Every error of one call is reported together; on
//! error the expansion is a diverging expression, so no follow-on errors appear.

mod ast;
mod attr;
mod expand;
mod parse;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::errors::Errors;

pub fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let message = parse::message(input, &mut errors);
    if let Some(message) = &message {
        valid::check(message, &mut errors);
    }
    match errors.finish(message) {
        Ok(message) => expand::message(&message),
        Err(errors) => quote! {{ #errors ::core::unreachable!() }},
    }
}
