//! Reads the `#[cui(…)]` attributes of `#[derive(CuiCommands)]` into a struct of `Option`s per place
//! (the enum, a variant, a field). An unknown, repeated or ill-typed entry is reported and skipped,
//! and reading goes on, so one pass shows every mistake. The value readers are `CuiForm`'s.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitStr, Meta};

use super::symbol::*;
use crate::errors::Errors;
use crate::form::attr::{Attr, flag, list, skip_value, string};
use crate::suggest::did_you_mean;

/// Where an attribute stands; each place takes its own attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Enum,
    Variant,
    Field,
}

impl Place {
    fn noun(self) -> &'static str {
        match self {
            Self::Enum => "enum",
            Self::Variant => "variant",
            Self::Field => "field",
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            Self::Enum => "the enum",
            Self::Variant => "a variant",
            Self::Field => "a field",
        }
    }

    fn attrs(self) -> &'static [&'static str] {
        match self {
            Self::Enum => ENUM_ATTRS,
            Self::Variant => VARIANT_ATTRS,
            Self::Field => FIELD_ATTRS,
        }
    }

    fn habits(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Enum => ENUM_HABITS,
            Self::Variant => VARIANT_HABITS,
            Self::Field => FIELD_HABITS,
        }
    }

    fn example(self) -> &'static str {
        match self {
            Self::Enum => "`#[cui(prefix = \"/\")]`",
            Self::Variant => "`#[cui(description = \"…\")]`",
            Self::Field => "`#[cui(name = \"…\")]`",
        }
    }
}

/// `#[cui(prefix = "…", rename_rule = "…")]` above the enum.
#[derive(Default)]
pub struct EnumAttrs {
    pub prefix: Option<Attr<LitStr>>,
    pub rename_rule: Option<Attr<LitStr>>,
}

/// `#[cui(description = "…", rename = "…", alias = "…")]` on a variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub description: Option<Attr<LitStr>>,
    pub rename: Option<Attr<LitStr>>,
    pub aliases: Vec<LitStr>,
}

/// `#[cui(name = "…", rest)]` on a field.
#[derive(Default)]
pub struct FieldAttrs {
    pub name: Option<Attr<LitStr>>,
    pub rest: Option<Attr<()>>,
}

fn new_attr<T>(name: &Ident, value: T) -> Attr<T> {
    Attr {
        name: name.clone(),
        value,
    }
}

impl EnumAttrs {
    pub fn read(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        each(attrs, Place::Enum, errors, |name, meta, errors| {
            let value = string(name, meta, errors)?.map(|v| new_attr(name, v));
            match name.unraw().to_string().as_str() {
                PREFIX => out.prefix = value,
                _ => out.rename_rule = value,
            }
            Ok(())
        });
        out
    }
}

impl VariantAttrs {
    pub fn read(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        each(attrs, Place::Variant, errors, |name, meta, errors| {
            let value = string(name, meta, errors)?;
            match name.unraw().to_string().as_str() {
                DESCRIPTION => out.description = value.map(|v| new_attr(name, v)),
                RENAME => out.rename = value.map(|v| new_attr(name, v)),
                _ => out.aliases.extend(value),
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    pub fn read(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        each(attrs, Place::Field, errors, |name, meta, errors| {
            match name.unraw().to_string().as_str() {
                REST => out.rest = flag(name, meta, errors)?.then(|| new_attr(name, ())),
                _ => out.name = string(name, meta, errors)?.map(|v| new_attr(name, v)),
            }
            Ok(())
        });
        out
    }
}

/// Calls `read` for every known entry of every `#[cui(…)]` in `attrs` (only the first of one that
/// is not repeatable); reports the rest.
fn each(
    attrs: &[Attribute],
    place: Place,
    errors: &mut Errors,
    mut read: impl FnMut(&Ident, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) {
    let mut seen: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("cui")) {
        let Meta::List(list) = &attr.meta else {
            let example = place.example();
            errors.add_spanned(
                attr,
                format!("expected `#[cui(…)]` with attributes inside, e.g. {example}"),
            );
            continue;
        };
        let parsed = list.parse_nested_meta(|meta| {
            let Some(name) = meta.path.get_ident() else {
                let example = place.example();
                errors.add_spanned(
                    &meta.path,
                    format!("expected an attribute name like {example}, found a path"),
                );
                return skip_value(&meta);
            };
            let word = name.unraw().to_string();
            if !place.attrs().contains(&word.as_str()) {
                errors.add(name.span(), unknown(place, &word));
                return skip_value(&meta);
            }
            if seen.contains(&word) && !REPEATABLE.contains(&word.as_str()) {
                errors.add(
                    name.span(),
                    format!(
                        "duplicate attribute `{word}`: this {} already has one; keep one",
                        place.noun()
                    ),
                );
                return skip_value(&meta);
            }
            seen.push(word);
            read(name, &meta, errors)
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
}

fn unknown(place: Place, word: &str) -> String {
    let noun = place.noun();
    let habit = || {
        place
            .habits()
            .iter()
            .find(|(habit, _)| *habit == word)
            .map(|(_, ours)| *ours)
    };
    if let Some(suggestion) = did_you_mean(word, place.attrs()).or_else(habit) {
        return format!("unknown {noun} attribute `{word}`; did you mean `{suggestion}`?");
    }
    let elsewhere = [Place::Enum, Place::Variant, Place::Field]
        .into_iter()
        .find(|other| other.attrs().contains(&word));
    match elsewhere {
        Some(other) => format!(
            "`{word}` goes on {}, not on {}",
            other.with_article(),
            place.with_article()
        ),
        None => format!(
            "unknown {noun} attribute `{word}`; a {noun} takes {}",
            list(place.attrs())
        ),
    }
}
