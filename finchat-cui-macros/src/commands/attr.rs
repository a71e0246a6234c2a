//! Reads the `#[cui(…)]` attributes of `#[derive(CuiCommands)]` into a struct of `Option`s per place
//! (the enum, a variant, a field). An unknown, repeated or ill-typed entry is reported and skipped,
//! and reading goes on, so one pass shows every mistake. The value readers are `CuiForm`'s.

use syn::ext::IdentExt;
use syn::{Attribute, LitStr};

use super::symbol::*;
use crate::errors::Errors;
use crate::form::attr::{Attr, AttrPlace, each, flag, list, meant, string};

/// Where an attribute stands; each place takes its own attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Enum,
    Variant,
    Field,
}

impl AttrPlace for Place {
    fn noun(self) -> &'static str {
        match self {
            Self::Enum => "enum",
            Self::Variant => "variant",
            Self::Field => "field",
        }
    }

    fn attrs(self) -> &'static [&'static str] {
        match self {
            Self::Enum => ENUM_ATTRS,
            Self::Variant => VARIANT_ATTRS,
            Self::Field => FIELD_ATTRS,
        }
    }

    fn example(self) -> &'static str {
        match self {
            Self::Enum => "`#[cui(prefix = \"/\")]`",
            Self::Variant => "`#[cui(description = \"…\")]`",
            Self::Field => "`#[cui(name = \"…\")]`",
        }
    }

    fn unknown(self, word: &str) -> String {
        unknown(self, word)
    }

    fn repeatable(self) -> &'static [&'static str] {
        REPEATABLE
    }
}

impl Place {
    fn with_article(self) -> &'static str {
        match self {
            Self::Enum => "the enum",
            Self::Variant => "a variant",
            Self::Field => "a field",
        }
    }

    fn habits(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Enum => ENUM_HABITS,
            Self::Variant => VARIANT_HABITS,
            Self::Field => FIELD_HABITS,
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

impl EnumAttrs {
    pub fn read(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        each(attrs, Place::Enum, errors, |name, meta, errors| {
            let value = string(name, meta, errors)?.map(|v| Attr::new(name, v));
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
                DESCRIPTION => out.description = value.map(|v| Attr::new(name, v)),
                RENAME => out.rename = value.map(|v| Attr::new(name, v)),
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
                REST => out.rest = flag(name, meta, errors)?.then(|| Attr::new(name, ())),
                _ => out.name = string(name, meta, errors)?.map(|v| Attr::new(name, v)),
            }
            Ok(())
        });
        out
    }
}

fn unknown(place: Place, word: &str) -> String {
    let noun = place.noun();
    if let Some(suggestion) = meant(word, place.attrs(), place.habits()) {
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
