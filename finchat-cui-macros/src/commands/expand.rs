//! Emits the `CuiCommands` impl of checked commands (a `static` describing every command, and the
//! code that reads each variant's arguments), and the stub impl that stands in for it when there
//! were mistakes.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Fields};

use super::ast::{Argument, Command, Commands, Kind};

/// What the generated code names: `finchat_cui`'s public `commands` module.
fn support() -> TokenStream {
    quote!(::finchat_cui::commands)
}

pub fn commands(commands: &Commands) -> TokenStream {
    let ident = &commands.input.ident;
    let (impl_generics, ty_generics, where_clause) = commands.input.generics.split_for_impl();
    let support = support();
    let prefix = commands.prefix();
    let rule = commands.rename_rule();
    let specs = commands.commands.iter().map(|command| spec(command, &rule));
    let arms = commands
        .commands
        .iter()
        .enumerate()
        .map(|(index, command)| {
            let build = build(command);
            quote!(#index => #build,)
        });
    let arguments = arguments_ident();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiCommands for #ident #ty_generics #where_clause {
            fn command_set() -> &'static #support::CommandSet {
                static SET: #support::CommandSet =
                    #support::CommandSet::new(#prefix, &[#(#specs),*]);
                &SET
            }

            fn from_arguments(
                index: usize,
                #arguments: &mut #support::Arguments<'_>,
            ) -> ::core::result::Result<Self, ::finchat_cui::CommandError> {
                match index {
                    #(#arms)*
                    // Only a caller outside `parse` can pass an index that is no command.
                    _ => ::core::result::Result::Err(::finchat_cui::CommandError::not_a_command(
                        <Self as ::finchat_cui::CuiCommands>::command_set(),
                    )),
                }
            }
        }
    }
}

/// The `arguments` parameter, out of reach of the user's names.
fn arguments_ident() -> syn::Ident {
    syn::Ident::new("arguments", Span::mixed_site())
}

/// `CommandSpec::new("expense", &["bx"], &[ArgumentSpec::new("amount", Required), …], "报销")`.
fn spec(command: &Command, rule: &str) -> TokenStream {
    let support = support();
    let name = command.name(rule);
    let aliases = command.aliases();
    let description = command.description();
    let arguments = command.arguments.iter().map(|argument| {
        let name = argument.name();
        let kind = match argument.kind {
            Kind::Required => quote!(Required),
            Kind::Optional => quote!(Optional),
            Kind::Rest => quote!(Rest),
            Kind::OptionalRest => quote!(OptionalRest),
        };
        quote!(#support::ArgumentSpec::new(#name, #support::ArgumentKind::#kind))
    });
    quote! {
        #support::CommandSpec::new(#name, &[#(#aliases),*], &[#(#arguments),*], #description)
    }
}

/// `Ok(Self::Expense { amount: …, reason: … })`, reading each field in order.
fn build(command: &Command) -> TokenStream {
    let variant = &command.variant.ident;
    let locals: Vec<syn::Ident> = (0..command.arguments.len())
        .map(|i| format_ident!("argument_{}", i, span = Span::mixed_site()))
        .collect();
    let reads =
        command
            .arguments
            .iter()
            .enumerate()
            .zip(&locals)
            .map(|((index, argument), local)| {
                let read = read(argument, index);
                quote!(let #local = #read?;)
            });
    let value = match &command.variant.fields {
        Fields::Unit => quote!(Self::#variant),
        Fields::Unnamed(_) => quote!(Self::#variant(#(#locals),*)),
        Fields::Named(_) => {
            let idents = command.arguments.iter().map(|argument| argument.ident);
            quote!(Self::#variant { #(#idents: #locals),* })
        }
    };
    quote!({
        #(#reads)*
        ::core::result::Result::Ok(#value)
    })
}

/// `arguments.required::<u32>(0)`, spanned on the field's type, so that a type that is not
/// `FromStr` is reported there.
fn read(argument: &Argument, index: usize) -> TokenStream {
    let arguments = arguments_ident();
    let inner = argument.inner;
    let method = match argument.kind {
        Kind::Required => "required",
        Kind::Optional => "optional",
        Kind::Rest => "rest",
        Kind::OptionalRest => "optional_rest",
    };
    let method = syn::Ident::new(method, inner.span());
    quote_spanned!(inner.span()=> #arguments.#method::<#inner>(#index))
}

/// The impl that stands in when the input has mistakes: it compiles whatever the variants are.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let support = support();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiCommands for #ident #ty_generics #where_clause {
            fn command_set() -> &'static #support::CommandSet {
                ::core::unreachable!()
            }

            fn from_arguments(
                _: usize,
                _: &mut #support::Arguments<'_>,
            ) -> ::core::result::Result<Self, ::finchat_cui::CommandError> {
                ::core::unreachable!()
            }
        }
    }
}
