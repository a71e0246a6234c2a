//! The input of `#[derive(CuiCommands)]` as a typed tree: the enum with its attributes, and per
//! variant (a command) its name, description and arguments, each with how it is taken from the text.
//! The original syn nodes are kept for spans.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type, Variant};

use super::attr::{EnumAttrs, FieldAttrs, VariantAttrs};
use super::rename;
use super::symbol::DEFAULT_PREFIX;
use crate::errors::Errors;
use crate::form::ast::{doc, option_argument, ungroup};

pub struct Commands<'a> {
    pub input: &'a DeriveInput,
    pub attrs: EnumAttrs,
    pub commands: Vec<Command<'a>>,
}

pub struct Command<'a> {
    pub variant: &'a Variant,
    pub attrs: VariantAttrs,
    pub doc: Option<String>,
    pub arguments: Vec<Argument<'a>>,
}

pub struct Argument<'a> {
    /// The field's name; `None` in a tuple variant.
    pub ident: Option<&'a Ident>,
    pub ty: &'a Type,
    /// The type without its `Option`: what `FromStr` reads.
    pub inner: &'a Type,
    pub attrs: FieldAttrs,
    pub kind: Kind,
}

/// How an argument is taken; mirrors `finchat_cui::commands::ArgumentKind`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Required,
    Optional,
    Rest,
    OptionalRest,
}

impl Kind {
    pub fn is_optional(self) -> bool {
        matches!(self, Self::Optional | Self::OptionalRest)
    }
}

impl<'a> Commands<'a> {
    pub fn from_input(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = EnumAttrs::read(&input.attrs, errors);
        let ident = &input.ident;
        let data = match &input.data {
            Data::Enum(data) => data,
            Data::Struct(data) => {
                errors.add(
                    data.struct_token.span,
                    format!(
                        "`#[derive(CuiCommands)]` works on an enum, one variant per command; \
                         write `enum {ident} {{ Help, Expense {{ amount: u32 }} }}`"
                    ),
                );
                return None;
            }
            Data::Union(data) => {
                errors.add(
                    data.union_token.span,
                    "`#[derive(CuiCommands)]` works on an enum, one variant per command, not a union",
                );
                return None;
            }
        };
        if data.variants.is_empty() {
            errors.add(
                ident.span(),
                format!("`{ident}` has no commands; add a variant per command, e.g. `Help`"),
            );
            return None;
        }
        let commands = data
            .variants
            .iter()
            .map(|variant| Command {
                variant,
                attrs: VariantAttrs::read(&variant.attrs, errors),
                doc: doc(&variant.attrs),
                arguments: arguments(&variant.fields, errors),
            })
            .collect();
        Some(Self {
            input,
            attrs,
            commands,
        })
    }

    pub fn prefix(&self) -> String {
        self.attrs
            .prefix
            .as_ref()
            .map_or_else(|| DEFAULT_PREFIX.to_owned(), |prefix| prefix.value.value())
    }

    /// The `rename_rule`, `lowercase` by default.
    pub fn rename_rule(&self) -> String {
        self.attrs
            .rename_rule
            .as_ref()
            .map_or_else(|| "lowercase".to_owned(), |rule| rule.value.value())
    }
}

impl Command<'_> {
    /// The command's name: its `rename`, else the variant's name under the enum's `rename_rule`.
    pub fn name(&self, rule: &str) -> String {
        if let Some(rename) = &self.attrs.rename {
            return rename.value.value();
        }
        let ident = self.variant.ident.unraw().to_string();
        rename::apply(rule, &ident).unwrap_or_else(|| ident.to_lowercase())
    }

    /// Where the name is written: the `rename` string, else the variant's name.
    pub fn name_span(&self) -> Span {
        match &self.attrs.rename {
            Some(rename) => rename.value.span(),
            None => self.variant.ident.span(),
        }
    }

    /// Its `description`, else the first paragraph of its doc comment, on one line.
    pub fn description(&self) -> String {
        if let Some(description) = &self.attrs.description {
            return description.value.value();
        }
        let doc = self.doc.as_deref().unwrap_or_default();
        let paragraph = doc.split("\n\n").next().unwrap_or_default();
        paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn aliases(&self) -> &[LitStr] {
        &self.attrs.aliases
    }
}

impl Argument<'_> {
    /// Its name in the usage line: `name`, else the field's name, else (in a tuple variant) `text`
    /// for a `String` and the type's name otherwise.
    pub fn name(&self) -> String {
        if let Some(name) = &self.attrs.name {
            return name.value.value();
        }
        if let Some(ident) = self.ident {
            return ident.unraw().to_string();
        }
        match last_segment(self.inner) {
            Some(name) if name == "String" => "text".to_owned(),
            Some(name) => name.to_string().to_lowercase(),
            None => "value".to_owned(),
        }
    }
}

fn arguments<'a>(fields: &'a Fields, errors: &mut Errors) -> Vec<Argument<'a>> {
    let count = fields.len();
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let attrs = FieldAttrs::read(&field.attrs, errors);
            let ty = ungroup(&field.ty);
            let option = option_argument(ty).map(ungroup);
            let inner = option.unwrap_or(ty);
            let is_last = i + 1 == count;
            let trailing_text = is_last && last_segment(inner).is_some_and(|name| name == "String");
            let kind = match (attrs.rest.is_some() || trailing_text, option.is_some()) {
                (false, false) => Kind::Required,
                (false, true) => Kind::Optional,
                (true, false) => Kind::Rest,
                (true, true) => Kind::OptionalRest,
            };
            Argument {
                ident: field.ident.as_ref(),
                ty,
                inner,
                attrs,
                kind,
            }
        })
        .collect()
}

/// The last path segment of a plain path type without generics: `String` for
/// `std::string::String`.
fn last_segment(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .filter(|last| last.arguments.is_empty())
            .map(|last| &last.ident),
        _ => None,
    }
}
