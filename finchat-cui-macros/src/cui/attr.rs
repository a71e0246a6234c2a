//! Reads the attributes of one tag with the grammar's [`Attrs`](finchat_cui_rules::grammar::Attrs):
//! unknown, repeated and missing ones are reported there, and a literal value is checked now against
//! the rule of its attribute.

use proc_macro2::Span;
use rstml::node::{KeyedAttribute, NodeAttribute, NodeElement};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr};

use super::ast::{Attr, Value};
use super::parse::tag_name;
use crate::errors::Errors;
use finchat_cui_rules::grammar::{self, Kind, Literal, Spec, check_literal};

/// The attributes of one tag, read against its spec.
pub struct Attrs(grammar::Attrs<Span, Value>);

impl Attrs {
    pub fn read(
        element: &NodeElement<rstml::Infallible>,
        spec: Spec,
        errors: &mut Errors,
    ) -> Attrs {
        let mut attrs = Attrs(grammar::Attrs::new(
            &tag_name(element),
            element.name().span(),
            spec,
        ));
        for attribute in element.attributes() {
            match attribute {
                NodeAttribute::Attribute(attribute) => attrs.read_one(attribute, errors),
                NodeAttribute::Block(block) => {
                    errors.add(block.span(), grammar::message::attribute_block())
                }
            }
        }
        attrs
    }

    fn read_one(&mut self, attribute: &KeyedAttribute, errors: &mut Errors) {
        let name_span = attribute.key.span();
        let Some((known, kind)) = self.0.admit(&attribute.key.to_string(), name_span, errors)
        else {
            return;
        };
        match attribute.value() {
            Some(expr) => {
                let value = value(known, kind, expr, errors);
                self.0.accept(known, name_span, value);
            }
            None => self.0.no_value(known, name_span, errors),
        }
    }

    pub fn take(&mut self, name: &str) -> Option<Attr> {
        self.0
            .take(name)
            .map(|(name_span, value)| Attr { name_span, value })
    }

    /// The attribute, or a placeholder when it is missing (the tag is then dropped by `finish`).
    pub fn required(&mut self, name: &'static str) -> Attr {
        match self.0.required(name) {
            Some((name_span, value)) => Attr { name_span, value },
            None => {
                let span = self.0.tag_pos();
                Attr {
                    name_span: span,
                    value: Value::Str(LitStr::new("", span)),
                }
            }
        }
    }

    /// Reports missing required attributes; `None` when any is missing.
    pub fn finish(&mut self, errors: &mut Errors) -> Option<()> {
        self.0.finish(errors)
    }
}

/// Reads an attribute value of `kind`, checking a literal now.
fn value(name: &str, kind: Kind, expr: &Expr, errors: &mut Errors) -> Option<Value> {
    let Expr::Lit(lit) = expr else {
        return Some(Value::Expr(expr.clone()));
    };
    let text = match &lit.lit {
        Lit::Str(s) => s.value(),
        _ => String::new(),
    };
    let (literal, value) = match &lit.lit {
        Lit::Str(s) => (Literal::Str(&text), Some(Value::Str(s.clone()))),
        Lit::Int(int) => (
            Literal::Int(int.base10_parse::<u64>().ok()),
            Some(Value::Int(int.clone())),
        ),
        Lit::Bool(b) => (Literal::Bool(b.value), Some(Value::Bool(b.clone()))),
        _ => (Literal::Other, None),
    };
    match check_literal(name, kind, literal) {
        Ok(()) => value,
        Err(message) => {
            errors.add(lit.span(), message);
            None
        }
    }
}
