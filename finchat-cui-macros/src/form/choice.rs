//! `#[derive(CuiChoice)]`: a fieldless enum whose variants are the options of a dropdown. Attributes
//! are read like those of `CuiForm` (`attr`); every mistake is reported together, and on error
//! the impl is a stub so that uses of the trait add no errors of their own.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident};

use super::attr::{VariantAttrs, read_enum};
use super::symbol::VALUE;
use crate::errors::Errors;

/// One variant: a choice of the dropdown.
struct Choice<'a> {
    ident: &'a Ident,
    /// What the user sees: the `label` literal, else the variant's name.
    label: TokenStream,
    /// What is submitted: the `value`, else the variant's name in snake_case.
    value: String,
}

pub fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let choices = choices(&input, &mut errors);
    match errors.finish(choices) {
        Ok(choices) => expand(&input, &choices),
        Err(errors) => {
            let fallback = fallback(&input);
            quote! { #errors #fallback }
        }
    }
}

fn choices<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<Vec<Choice<'a>>> {
    read_enum(&input.attrs, errors);
    let ident = &input.ident;
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            errors.add(
                data.struct_token.span,
                "`#[derive(CuiChoice)]` works on an enum with one fieldless variant per choice, \
                 not a struct; for a form of fields, derive `CuiForm`",
            );
            return None;
        }
        Data::Union(data) => {
            errors.add(
                data.union_token.span,
                "`#[derive(CuiChoice)]` works on an enum with one fieldless variant per choice, not a union",
            );
            return None;
        }
    };
    if data.variants.is_empty() {
        errors.add(
            ident.span(),
            format!("`{ident}` has no variants; a dropdown needs at least one choice"),
        );
        return None;
    }
    let mut choices: Vec<Choice> = Vec::new();
    for variant in &data.variants {
        let attrs = VariantAttrs::read(&variant.attrs, errors);
        let name = variant.ident.unraw().to_string();
        if !matches!(variant.fields, Fields::Unit) {
            errors.add_spanned(
                &variant.fields,
                format!(
                    "variant `{name}` has fields; a choice cannot carry data, since only its value is submitted"
                ),
            );
        }
        let (value, value_span) = match &attrs.value {
            Some(value) => (value.value.value(), value.value.span()),
            None => (snake_case(&name), variant.ident.span()),
        };
        check_value(&value, value_span, &choices, errors);
        let label = match &attrs.label {
            Some(label) => {
                let label = &label.value;
                quote!(#label)
            }
            None => quote!(#name),
        };
        choices.push(Choice {
            ident: &variant.ident,
            label,
            value,
        });
    }
    Some(choices)
}

fn check_value(value: &str, span: Span, earlier: &[Choice], errors: &mut Errors) {
    if value.is_empty() {
        errors.add(
            span,
            "empty value: a dropdown submits `\"\"` when nothing is chosen; give the choice a value",
        );
    } else if let Some(first) = earlier.iter().find(|choice| choice.value == value) {
        errors.add(
            span,
            format!(
                "duplicate value `{value}`: variant `{}` is already submitted as `{value}`; \
                 give one of them `#[cui({VALUE} = \"…\")]`",
                first.ident.unraw()
            ),
        );
    }
}

fn expand(input: &DeriveInput, choices: &[Choice]) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let variants: Vec<&Ident> = choices.iter().map(|choice| choice.ident).collect();
    let labels = choices.iter().map(|choice| &choice.label);
    let values: Vec<&str> = choices.iter().map(|choice| choice.value.as_str()).collect();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiChoice for #ident #ty_generics #where_clause {
            fn options() -> ::std::vec::Vec<::finchat_cui::element::DropdownOption> {
                ::std::vec::Vec::from([
                    #(::finchat_cui::element::DropdownOption::new(#labels, #values),)*
                ])
            }

            fn value(&self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }

            fn from_value(value: &str) -> ::core::option::Option<Self> {
                match value {
                    #(#values => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}

fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::finchat_cui::CuiChoice for #ident #ty_generics #where_clause {
            fn options() -> ::std::vec::Vec<::finchat_cui::element::DropdownOption> {
                ::core::unreachable!()
            }

            fn value(&self) -> &'static str {
                ::core::unreachable!()
            }

            fn from_value(_: &str) -> ::core::option::Option<Self> {
                ::core::unreachable!()
            }
        }
    }
}

/// `HrDept`, `HRDept` → `hr_dept`; `P0` → `p0`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_uppercase() {
            out.push(c);
            continue;
        }
        let boundary = match i.checked_sub(1).map(|j| chars[j]) {
            None | Some('_') => false,
            Some(previous) if previous.is_uppercase() => {
                chars.get(i + 1).is_some_and(|next| next.is_lowercase())
            }
            Some(_) => true,
        };
        if boundary {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn variant_names_become_snake_case_values() {
        for (name, value) in [
            ("Finance", "finance"),
            ("HrDept", "hr_dept"),
            ("HRDept", "hr_dept"),
            ("HR", "hr"),
            ("P0", "p0"),
            ("V2Api", "v2_api"),
            ("already_snake", "already_snake"),
            ("财务部", "财务部"),
        ] {
            assert_eq!(snake_case(name), value, "{name}");
        }
    }
}
