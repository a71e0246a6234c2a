//! `#[derive(CuiForm)]`: read the struct and its `#[cui(…)]` attributes into a typed tree (`ast`,
//! `attr`), check the rules that span several fields (`valid`), then emit the `CuiForm` impl
//! (`expand`). Every mistake is reported together; on error the impl is a stub, so the user sees the
//! mistakes and no follow-on errors. `#[derive(CuiChoice)]` (`choice`), the enum behind a dropdown
//! field, reads its attributes the same way.

pub(crate) mod ast;
pub(crate) mod attr;
pub mod choice;
mod expand;
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
    let form = ast::Form::from_input(&input, &mut errors);
    if let Some(form) = &form {
        valid::check(form, &mut errors);
    }
    match errors.finish(form) {
        Ok(form) => expand::form(&form),
        Err(errors) => {
            let fallback = expand::fallback(&input);
            quote! { #errors #fallback }
        }
    }
}
