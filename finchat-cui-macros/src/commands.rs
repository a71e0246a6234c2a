//! `#[derive(CuiCommands)]`: read the enum and its `#[cui(…)]` attributes into a typed tree (`ast`,
//! `attr`), check the rules that span several variants or fields (`valid`), then emit the
//! `CuiCommands` impl (`expand`). Every mistake is reported together; on error the impl is a stub,
//! so the user sees the mistakes and no follow-on errors.

mod ast;
mod attr;
mod expand;
mod rename;
mod symbol;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::errors::Errors;

pub fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let commands = ast::Commands::from_input(&input, &mut errors);
    if let Some(commands) = &commands {
        valid::check(commands, &mut errors);
    }
    match errors.finish(commands) {
        Ok(commands) => expand::commands(&commands),
        Err(errors) => {
            let fallback = expand::fallback(&input);
            quote! { #errors #fallback }
        }
    }
}
