//! Emits the `CuiForm` impl of a checked form, and the stub impl that stands in for it when there were
//! mistakes, so that uses of the trait do not add errors of their own.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Generics, WherePredicate};

use super::ast::{Field, Form, Input, Shape};
use super::attr::DefaultValue;
use super::symbol::DEFAULT_SUBMIT;

/// What the generated code calls: `finchat_cui`'s hidden support module.
fn support() -> TokenStream {
    quote!(::finchat_cui::__private::form)
}

pub fn form(form: &Form) -> TokenStream {
    let ident = &form.input.ident;
    let generics = choice_bounds(form);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let current = card(form, Fill::Current);
    let blank = card(form, Fill::Blank);
    let from_submission = from_submission(form);
    let submission = Ident::new("submission", Span::mixed_site());
    let schema = schema(form);
    let support = support();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiForm for #ident #ty_generics #where_clause {
            fn card(&self) -> ::finchat_cui::Card {
                #current
            }

            fn blank() -> ::finchat_cui::Card {
                #blank
            }

            fn from_submission(
                #submission: &::finchat_cui::Submission,
            ) -> ::core::result::Result<Self, ::finchat_cui::FormErrors> {
                #from_submission
            }

            ::finchat_cui::__private::with_schema! {
                fn schema() -> #support::Schema {
                    #schema
                }
            }
        }
    }
}

/// The form's generics with `T: CuiChoice` for the type `T` of every dropdown field. A type that is
/// not a `CuiChoice` is then reported once, on the field's type, instead of at each use in the impl.
fn choice_bounds(form: &Form) -> Generics {
    let mut generics = form.input.generics.clone();
    let shapes = form.fields.iter().filter_map(|field| field.shape.as_ref());
    let bounds = shapes
        .filter(|shape| shape.input == Input::Dropdown)
        .map(|shape| {
            let inner = shape.inner;
            // The bound takes the span of the type's last token, so that the predicate, and the
            // error, cover exactly the type.
            let last = inner.to_token_stream().into_iter().last();
            let end = last.map_or_else(|| inner.span(), |token| token.span());
            let bound = quote_spanned!(end=> : ::finchat_cui::CuiChoice);
            let predicate = quote!(#inner #bound);
            syn::parse2::<WherePredicate>(predicate).expect("a type and a trait bound")
        });
    generics.make_where_clause().predicates.extend(bounds);
    generics
}

/// The impl that stands in when the input has mistakes: it compiles whatever the fields are.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let support = support();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiForm for #ident #ty_generics #where_clause {
            fn card(&self) -> ::finchat_cui::Card {
                ::core::unreachable!()
            }

            fn blank() -> ::finchat_cui::Card {
                ::core::unreachable!()
            }

            fn from_submission(
                _: &::finchat_cui::Submission,
            ) -> ::core::result::Result<Self, ::finchat_cui::FormErrors> {
                ::core::unreachable!()
            }

            ::finchat_cui::__private::with_schema! {
                fn schema() -> #support::Schema {
                    ::core::unreachable!()
                }
            }
        }
    }
}

/// What the inputs of a card show.
#[derive(Clone, Copy)]
enum Fill {
    /// The value of each field (`card(&self)`).
    Current,
    /// Nothing, or the field's `default` (`blank()`).
    Blank,
}

fn card(form: &Form, fill: Fill) -> TokenStream {
    let support = support();
    let title = form.attrs.title.as_ref().map(|title| {
        let title = &title.value;
        quote!(.text(#title))
    });
    let fields = form.fields.iter().filter_map(|field| {
        let shape = field.shape.as_ref()?;
        let label = field.attrs.label.as_ref().map(|label| {
            let label = &label.value;
            quote!(.text(#label))
        });
        let key = field.key();
        let placeholder = field.placeholder();
        let value = match fill {
            Fill::Current => {
                let member = field.ident;
                let wire_value = wire_value(shape);
                quote!(#support::#wire_value(&self.#member))
            }
            Fill::Blank => match default_value(field) {
                Some(default) => {
                    let wire_value = wire_value(shape);
                    quote!(#support::#wire_value(&#default))
                }
                None => quote!(::core::option::Option::None),
            },
        };
        let element = match shape.input {
            Input::Text => quote!(#support::text_input(#key, #placeholder, #value)),
            Input::Dropdown => {
                let inner = shape.inner;
                let dropdown = spanned_ident("dropdown", inner);
                quote!(#support::#dropdown::<#inner>(#key, #placeholder, #value))
            }
        };
        Some(quote!(#label .element(#element)))
    });
    let submit = match &form.attrs.submit {
        Some(submit) => {
            let submit = &submit.value;
            quote!(#submit)
        }
        None => quote!(#DEFAULT_SUBMIT),
    };
    quote! {
        ::finchat_cui::Card::form()
            #title
            #(#fields)*
            .submit(#submit)
    }
}

fn from_submission(form: &Form) -> TokenStream {
    let support = support();
    // Our locals must not capture a name in the user's `default = "…"` paths, so they are invisible
    // to the user's tokens.
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    let (submission, reader, value) = (local("submission"), local("reader"), local("value"));
    let mut reads = Vec::new();
    let mut read_vars = Vec::new();
    let mut inits = Vec::new();
    let mut slots = Vec::new();
    for (index, field) in form.fields.iter().enumerate() {
        let member = field.ident;
        let Some(shape) = &field.shape else {
            let value = default_value(field).unwrap_or_else(|| trait_default(field));
            inits.push(quote!(#member: #value));
            continue;
        };
        let var = local(&format!("field{index}"));
        let key = field.key();
        let slot = slots.len();
        slots.push(quote!(#key => ::core::option::Option::Some(#slot)));
        let default = default_value(field).map(|value| quote!(, || #value));
        let read = match (shape.input, shape.optional) {
            (Input::Text, _) => {
                let method = if default.is_some() { "text_or" } else { "text" };
                let method = format_ident!("{method}");
                let ty = field.ty;
                quote!(#reader.#method::<#ty>(#slot, #key #default))
            }
            (Input::Dropdown, optional) => {
                let method = match (optional, default.is_some()) {
                    (false, false) => "choice",
                    (false, true) => "choice_or",
                    (true, false) => "optional_choice",
                    (true, true) => "optional_choice_or",
                };
                let inner = shape.inner;
                let method = spanned_ident(method, inner);
                quote!(#reader.#method::<#inner>(#slot, #key #default))
            }
        };
        reads.push(quote!(let #var = #read;));
        inits.push(quote!(#member: #var));
        read_vars.push(var);
    }
    if read_vars.is_empty() {
        return quote! {
            let _ = #submission;
            ::core::result::Result::Ok(Self { #(#inits),* })
        };
    }
    let count = slots.len();
    quote! {
        let mut #reader = #support::Reader::<#count>::new(#submission, |key: &str| match key {
            #(#slots,)*
            _ => ::core::option::Option::None,
        });
        #(#reads)*
        let #value = match (#(#read_vars,)*) {
            (#(::core::option::Option::Some(#read_vars),)*) => {
                ::core::option::Option::Some(Self { #(#inits),* })
            }
            _ => ::core::option::Option::None,
        };
        #reader.finish(#value)
    }
}

fn schema(form: &Form) -> TokenStream {
    let support = support();
    let title = form.title();
    let description = optional_str(form.doc.as_deref());
    let fields = form.fields.iter().filter_map(|field| {
        let shape = field.shape.as_ref()?;
        let key = field.key();
        let label = optional_str(
            field
                .attrs
                .label
                .as_ref()
                .map(|l| l.value.value())
                .as_deref(),
        );
        let description = optional_str(field.doc.as_deref());
        let presence = match default_value(field) {
            Some(default) => {
                let wire_value = wire_value(shape);
                quote!(#support::Presence::Defaulted(#support::#wire_value(&#default)))
            }
            None if shape.optional => quote!(#support::Presence::Optional),
            None => quote!(#support::Presence::Required),
        };
        let inner = shape.inner;
        let method = match shape.input {
            Input::Text => format_ident!("text"),
            Input::Dropdown => spanned_ident("choice", inner),
        };
        Some(quote!(.#method::<#inner>(#key, #label, #description, #presence)))
    });
    quote! {
        #support::FormSchema::new(#title, #description)
            #(#fields)*
            .finish()
    }
}

/// The support function that turns a field's value into its wire value.
fn wire_value(shape: &Shape) -> Ident {
    let name = match (shape.input, shape.optional) {
        (Input::Text, false) => "text_value",
        (Input::Text, true) => "optional_text_value",
        (Input::Dropdown, false) => "choice_value",
        (Input::Dropdown, true) => "optional_choice_value",
    };
    format_ident!("{name}")
}

/// The expression of a field's `default`, if it has one.
fn default_value(field: &Field) -> Option<TokenStream> {
    match &field.attrs.default.as_ref()?.value {
        DefaultValue::Trait => Some(trait_default(field)),
        // Spanned on the `default = "…"` string, where a function of the wrong type is reported.
        DefaultValue::Function(path) => Some(quote_spanned!(path.span()=> #path())),
    }
}

/// `Default::default()` of the field's type, spanned on the type so that a type without `Default`
/// is reported there.
fn trait_default(field: &Field) -> TokenStream {
    let ty = field.ty;
    let default = spanned_ident("default", ty);
    quote!(<#ty as ::core::default::Default>::#default())
}

/// An identifier spanned on `node`, so that an unmet trait bound of the call it names is reported on
/// the user's type rather than on the derive.
fn spanned_ident(name: &str, node: &impl Spanned) -> Ident {
    Ident::new(name, node.span())
}

fn optional_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}
