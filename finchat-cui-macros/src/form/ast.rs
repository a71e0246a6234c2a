//! The input of `#[derive(CuiForm)]` as a typed tree: the struct with its attributes and, per field,
//! its attributes and how its type is drawn (a text input or a dropdown, optional or not). The
//! original syn nodes are kept for spans.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{
    Attribute, Data, DataStruct, DeriveInput, Expr, ExprLit, Fields, GenericArgument, Ident, Lit,
    Meta, PathArguments, Type,
};

use super::attr::{FieldAttrs, StructAttrs};
use crate::errors::Errors;

/// Types drawn as a text input; every other type is drawn as a dropdown of its `CuiChoice` options.
const TEXT_TYPES: &[&str] = &[
    "String", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64",
];

pub struct Form<'a> {
    pub input: &'a DeriveInput,
    pub attrs: StructAttrs,
    pub doc: Option<String>,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: Option<String>,
    /// How the field is drawn; `None` for a skipped field (and for a type that cannot be drawn, which
    /// is reported).
    pub shape: Option<Shape<'a>>,
}

/// How a field's type is drawn and read.
pub struct Shape<'a> {
    pub input: Input,
    /// `Option<inner>`: nothing entered or chosen is `None`.
    pub optional: bool,
    /// The type without its `Option`.
    pub inner: &'a Type,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `String`, an integer or a float.
    Text,
    /// `bool` or any other type, which must implement `CuiChoice`.
    Dropdown,
}

impl<'a> Form<'a> {
    pub fn from_input(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = StructAttrs::read(&input.attrs, errors);
        let ident = &input.ident;
        let named = match &input.data {
            Data::Struct(DataStruct {
                fields: Fields::Named(named),
                ..
            }) => named,
            Data::Struct(DataStruct {
                fields: Fields::Unnamed(unnamed),
                ..
            }) => {
                errors.add_spanned(
                    unnamed,
                    format!(
                        "`#[derive(CuiForm)]` needs named fields, since each is submitted under its name; \
                         write `struct {ident} {{ amount: u32 }}`"
                    ),
                );
                return None;
            }
            Data::Struct(DataStruct {
                fields: Fields::Unit,
                ..
            }) => {
                errors.add(
                    ident.span(),
                    format!(
                        "`{ident}` has no fields to put in a form; write `struct {ident} {{ amount: u32 }}`"
                    ),
                );
                return None;
            }
            Data::Enum(data) => {
                errors.add(
                    data.enum_token.span,
                    "`#[derive(CuiForm)]` works on a struct with named fields, not an enum; \
                     for the choices of a dropdown, derive `CuiChoice`",
                );
                return None;
            }
            Data::Union(data) => {
                errors.add(
                    data.union_token.span,
                    "`#[derive(CuiForm)]` works on a struct with named fields, not a union",
                );
                return None;
            }
        };
        let fields = named
            .named
            .iter()
            .map(|field| {
                let attrs = FieldAttrs::read(&field.attrs, errors);
                let shape = match attrs.skip {
                    Some(_) => None,
                    None => shape(&field.ty, errors),
                };
                Field {
                    ident: field.ident.as_ref().expect("a named field has a name"),
                    ty: &field.ty,
                    attrs,
                    doc: doc(&field.attrs),
                    shape,
                }
            })
            .collect();
        Some(Self {
            input,
            attrs,
            doc: doc(&input.attrs),
            fields,
        })
    }

    /// The struct's `title`, else its name.
    pub fn title(&self) -> String {
        match &self.attrs.title {
            Some(title) => title.value.value(),
            None => self.input.ident.unraw().to_string(),
        }
    }
}

impl Field<'_> {
    /// The field's name as written, without `r#`.
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// The key it is submitted under: its `key`, else its name.
    pub fn key(&self) -> String {
        match &self.attrs.key {
            Some(key) => key.value.value(),
            None => self.name(),
        }
    }

    /// Where the key is written: the `key` string, else the field's name.
    pub fn key_span(&self) -> Span {
        match &self.attrs.key {
            Some(key) => key.value.span(),
            None => self.ident.span(),
        }
    }

    /// The input's hint: its `placeholder`, else its `label`, else its name.
    pub fn placeholder(&self) -> String {
        match (&self.attrs.placeholder, &self.attrs.label) {
            (Some(placeholder), _) => placeholder.value.value(),
            (None, Some(label)) => label.value.value(),
            (None, None) => self.name(),
        }
    }
}

/// Classifies a field's type by its spelling: `Option<…>` is optional; `String`, integers and floats
/// are text; anything else is a dropdown, and the compiler checks that it implements `CuiChoice`.
fn shape<'a>(ty: &'a Type, errors: &mut Errors) -> Option<Shape<'a>> {
    let ty = ungroup(ty);
    let Some(inner) = option_argument(ty) else {
        return Some(Shape {
            input: input_of(ty),
            optional: false,
            inner: ty,
        });
    };
    let inner = ungroup(inner);
    if option_argument(inner).is_some() {
        errors.add_spanned(
            ty,
            "a field cannot be `Option<Option<…>>`: nothing entered and an empty value are both \
             submitted as `\"\"`; use one `Option`",
        );
        return None;
    }
    Some(Shape {
        input: input_of(inner),
        optional: true,
        inner,
    })
}

pub(crate) fn ungroup(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => ungroup(&group.elem),
        Type::Paren(paren) => ungroup(&paren.elem),
        ty => ty,
    }
}

/// `T` of `Option<T>` (or `std::option::Option<T>`).
pub(crate) fn option_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match (
        last.ident == "Option",
        arguments.args.len(),
        arguments.args.first(),
    ) {
        (true, 1, Some(GenericArgument::Type(inner))) => Some(inner),
        _ => None,
    }
}

fn input_of(ty: &Type) -> Input {
    let text = match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last().is_some_and(|last| {
            last.arguments.is_empty() && TEXT_TYPES.iter().any(|name| last.ident == name)
        }),
        _ => false,
    };
    if text { Input::Text } else { Input::Dropdown }
}

/// The doc comment, one line per `///` line, without the space after `///`.
pub(crate) fn doc(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(lit), ..
                }) => Some(lit.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let doc = lines.join("\n").trim().to_owned();
    (!doc.is_empty()).then_some(doc)
}
