//! Procedural macros of finchat-cui: the `cui!` card DSL, `#[derive(CuiForm)]` and
//! `#[derive(CuiCommands)]`.
//!
//! Use them through `finchat_cui` (`finchat_cui::cui!`, `finchat_cui::CuiForm`); the generated code
//! refers to `::finchat_cui`.

mod commands;
mod cui;
mod errors;
mod form;
mod suggest;

use proc_macro::TokenStream;

/// Writes a FinChat message like the card it shows. See the `finchat_cui` crate docs for the grammar.
#[proc_macro]
pub fn cui(input: TokenStream) -> TokenStream {
    cui::expand(input.into()).into()
}

/// `#[derive(CuiForm)]` is defined in `finchat-cui-macros`; use it through `finchat_cui`, since the
/// generated code refers to `::finchat_cui`.
#[proc_macro_derive(CuiForm, attributes(cui))]
pub fn derive_cui_form(input: TokenStream) -> TokenStream {
    form::derive(input.into()).into()
}

/// `#[derive(CuiChoice)]` is defined in `finchat-cui-macros`; use it through `finchat_cui`, since the
/// generated code refers to `::finchat_cui`.
#[proc_macro_derive(CuiChoice, attributes(cui))]
pub fn derive_cui_choice(input: TokenStream) -> TokenStream {
    form::choice::derive(input.into()).into()
}

/// `#[derive(CuiCommands)]` is defined in `finchat-cui-macros`; use it through `finchat_cui`, since
/// the generated code refers to `::finchat_cui`.
#[proc_macro_derive(CuiCommands, attributes(cui))]
pub fn derive_cui_commands(input: TokenStream) -> TokenStream {
    commands::derive(input.into()).into()
}
