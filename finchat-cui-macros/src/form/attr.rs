//! Reads `#[cui(…)]` attributes into a struct of `Option`s per place (the struct, a field, the enum, a
//! variant). An unknown, repeated or ill-typed entry is reported and skipped, and reading goes on, so
//! one pass shows every mistake.

use proc_macro2::TokenTree;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, ExprPath, Ident, Lit, LitStr, Meta, Token, token};

use super::symbol::*;
use crate::errors::Errors;
use crate::suggest::did_you_mean;

/// Where an attribute stands; each place takes its own attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Struct,
    Field,
    Enum,
    Variant,
}

/// What [`each`] needs to know of a place an attribute stands in; each derive has its own places.
pub(crate) trait AttrPlace: Copy {
    /// `struct`, `field`, …, as messages name it.
    fn noun(self) -> &'static str;
    /// The attributes it takes.
    fn attrs(self) -> &'static [&'static str];
    /// An attribute it takes, written out, for messages.
    fn example(self) -> &'static str;
    /// The message for `word`, an attribute it does not take.
    fn unknown(self, word: &str) -> String;
    /// The attributes it takes more than once.
    fn repeatable(self) -> &'static [&'static str] {
        &[]
    }
}

impl AttrPlace for Place {
    fn noun(self) -> &'static str {
        match self {
            Self::Struct => "struct",
            Self::Field => "field",
            Self::Enum => "enum",
            Self::Variant => "variant",
        }
    }

    fn attrs(self) -> &'static [&'static str] {
        match self {
            Self::Struct => STRUCT_ATTRS,
            Self::Field => FIELD_ATTRS,
            Self::Enum => ENUM_ATTRS,
            Self::Variant => VARIANT_ATTRS,
        }
    }

    fn example(self) -> &'static str {
        example(self)
    }

    fn unknown(self, word: &str) -> String {
        unknown(self, word)
    }
}

impl Place {
    fn habits(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Struct => STRUCT_HABITS,
            Self::Field => FIELD_HABITS,
            Self::Enum => &[],
            Self::Variant => VARIANT_HABITS,
        }
    }
}

/// One attribute as written: its name, for spans, and its value.
pub struct Attr<T> {
    pub name: Ident,
    pub value: T,
}

impl<T> Attr<T> {
    pub(crate) fn new(name: &Ident, value: T) -> Self {
        Self {
            name: name.clone(),
            value,
        }
    }
}

/// `#[cui(title = "…", submit = "…")]` above a `CuiForm` struct.
#[derive(Default)]
pub struct StructAttrs {
    pub title: Option<Attr<LitStr>>,
    pub submit: Option<Attr<LitStr>>,
}

/// `#[cui(label = "…", placeholder = "…", key = "…", default, skip)]` on a `CuiForm` field.
#[derive(Default)]
pub struct FieldAttrs {
    pub label: Option<Attr<LitStr>>,
    pub placeholder: Option<Attr<LitStr>>,
    pub key: Option<Attr<LitStr>>,
    pub default: Option<Attr<DefaultValue>>,
    pub skip: Option<Attr<()>>,
}

/// What `default` gives a field.
pub enum DefaultValue {
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path::to::function"`: that function's value.
    Function(ExprPath),
}

/// `#[cui(label = "…", value = "…")]` on a `CuiChoice` variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub label: Option<Attr<LitStr>>,
    pub value: Option<Attr<LitStr>>,
}

impl StructAttrs {
    pub fn read(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        each(attrs, Place::Struct, errors, |name, meta, errors| {
            let value = string(name, meta, errors)?;
            let slot = match name.unraw().to_string().as_str() {
                TITLE => &mut out.title,
                _ => &mut out.submit,
            };
            *slot = value.map(|value| Attr::new(name, value));
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
                DEFAULT => out.default = default(name, meta, errors)?.map(|v| Attr::new(name, v)),
                SKIP => out.skip = flag(name, meta, errors)?.then(|| Attr::new(name, ())),
                word => {
                    let value = string(name, meta, errors)?.map(|v| Attr::new(name, v));
                    match word {
                        LABEL => out.label = value,
                        PLACEHOLDER => out.placeholder = value,
                        _ => out.key = value,
                    }
                }
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
            let slot = match name.unraw().to_string().as_str() {
                LABEL => &mut out.label,
                _ => &mut out.value,
            };
            *slot = value.map(|value| Attr::new(name, value));
            Ok(())
        });
        out
    }
}

/// Checks that a `CuiChoice` enum has no `#[cui(…)]` of its own (they go on its variants).
pub fn read_enum(attrs: &[Attribute], errors: &mut Errors) {
    each(attrs, Place::Enum, errors, |_, _, _| Ok(()));
}

/// Calls `read` for every known entry of every `#[cui(…)]` in `attrs` (only the first of one that is
/// not repeatable); reports the rest.
pub(crate) fn each<P: AttrPlace>(
    attrs: &[Attribute],
    place: P,
    errors: &mut Errors,
    mut read: impl FnMut(&Ident, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) {
    let mut seen: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(CUI)) {
        let list = match &attr.meta {
            Meta::List(list) => list,
            _ => {
                errors.add_spanned(
                    attr,
                    format!(
                        "expected `#[cui(…)]` with attributes inside, e.g. {}",
                        place.example()
                    ),
                );
                continue;
            }
        };
        let parsed = list.parse_nested_meta(|meta| {
            let Some(name) = meta.path.get_ident() else {
                errors.add_spanned(
                    &meta.path,
                    format!(
                        "expected an attribute name like {}, found a path",
                        place.example()
                    ),
                );
                return skip_value(&meta);
            };
            let word = name.unraw().to_string();
            if !place.attrs().contains(&word.as_str()) {
                errors.add(name.span(), place.unknown(&word));
                return skip_value(&meta);
            }
            if seen.contains(&word) && !place.repeatable().contains(&word.as_str()) {
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

fn example(place: Place) -> &'static str {
    match place {
        Place::Struct => "`#[cui(title = \"…\")]`",
        Place::Field | Place::Variant | Place::Enum => "`#[cui(label = \"…\")]`",
    }
}

/// The attribute `word` was likely meant to be: a near miss of one of `attrs`, or the word another
/// derive uses for one of them (`habits`: `rename` → `key`).
pub(crate) fn meant(
    word: &str,
    attrs: &[&'static str],
    habits: &[(&str, &'static str)],
) -> Option<&'static str> {
    did_you_mean(word, attrs).or_else(|| {
        habits
            .iter()
            .find(|(habit, _)| *habit == word)
            .map(|(_, ours)| *ours)
    })
}

fn unknown(place: Place, word: &str) -> String {
    let noun = place.noun();
    let suggestion = meant(word, place.attrs(), place.habits());
    if let Some(suggestion) = suggestion {
        return format!("unknown {noun} attribute `{word}`; did you mean `{suggestion}`?");
    }
    let is = |list: &[&str]| list.contains(&word);
    match place {
        Place::Struct if is(FIELD_ATTRS) => {
            format!("`{word}` goes on a field, not on the struct")
        }
        Place::Field if is(STRUCT_ATTRS) => {
            format!("`{word}` goes on the struct, not on a field")
        }
        Place::Field if word == VALUE => {
            "`value` goes on a `CuiChoice` variant; to pre-fill a field, write `default`".to_owned()
        }
        Place::Enum if is(VARIANT_ATTRS) => {
            format!("`{word}` goes on a variant, not on the enum")
        }
        Place::Enum => format!(
            "unknown enum attribute `{word}`; `#[cui(…)]` goes on the variants, which take {}",
            list(VARIANT_ATTRS)
        ),
        Place::Variant if is(FIELD_ATTRS) || is(STRUCT_ATTRS) => format!(
            "`{word}` is a `CuiForm` attribute; a variant takes {}",
            list(VARIANT_ATTRS)
        ),
        _ => format!(
            "unknown {noun} attribute `{word}`; a {noun} takes {}",
            list(place.attrs())
        ),
    }
}

/// `` `a`, `b` and `c` ``.
pub(crate) fn list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Skips what follows an attribute name that was not read: `= value` or `(…)`.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(token::Paren) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}

/// The text of some tokens, as the user wrote them (roughly), for messages.
pub(crate) fn text_of(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

fn strip_group(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => strip_group(*group.expr),
        expr => expr,
    }
}

/// `name = "…"`.
pub(crate) fn string(
    name: &Ident,
    meta: &ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        errors.add(
            name.span(),
            format!("`{name}` needs a value: write `{name} = \"…\"`"),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    match strip_group(meta.value()?.parse()?) {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(Some(lit)),
        other => {
            errors.add_spanned(
                &other,
                format!(
                    "`{name}` takes a string, found `{}`; write `{name} = \"…\"`",
                    text_of(&other)
                ),
            );
            Ok(None)
        }
    }
}

/// `name` alone; `false`, once reported, when it was written with a value.
pub(crate) fn flag(name: &Ident, meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) || meta.input.peek(token::Paren) {
        errors.add(
            name.span(),
            format!("`{name}` takes no value; write `#[cui({name})]`"),
        );
        skip_value(meta)?;
        return Ok(false);
    }
    Ok(true)
}

/// `default` or `default = "path::to::function"`.
fn default(
    name: &Ident,
    meta: &ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<Option<DefaultValue>> {
    const HOW: &str =
        "write `default` alone for `Default::default()`, or `default = \"path::to::function\"`";
    if meta.input.peek(token::Paren) {
        errors.add(name.span(), format!("`{name}` takes no list; {HOW}"));
        skip_value(meta)?;
        return Ok(None);
    }
    if !meta.input.peek(Token![=]) {
        return Ok(Some(DefaultValue::Trait));
    }
    match strip_group(meta.value()?.parse()?) {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => match lit.parse::<ExprPath>() {
            Ok(path) => Ok(Some(DefaultValue::Function(path))),
            Err(_) => {
                errors.add(
                    lit.span(),
                    format!("`{}` is not a function path; {HOW}", lit.value()),
                );
                Ok(None)
            }
        },
        other => {
            errors.add_spanned(
                &other,
                format!(
                    "`{name}` takes a function path in a string, found `{}`; {HOW}",
                    text_of(&other)
                ),
            );
            Ok(None)
        }
    }
}
