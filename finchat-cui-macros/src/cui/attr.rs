//! Reads the attributes of one tag against its spec in `grammar`: unknown, repeated and missing ones
//! are reported, and a literal value is checked now against the rule of its attribute.

use proc_macro2::Span;
use rstml::node::{KeyedAttribute, NodeAttribute, NodeElement};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr};

use super::ast::{Attr, Value};
use super::grammar::{Kind, Spec};
use super::parse::tag_name;
use crate::errors::Errors;
use crate::suggest::did_you_mean;
use finchat_cui_rules::{OPENTYPES, STATUSES, check_color, check_http_url, check_mxc};

/// The attributes of one tag, read against its spec.
pub struct Attrs {
    tag: String,
    tag_span: Span,
    found: Vec<(&'static str, Attr)>,
    missing_names: Vec<&'static str>,
    /// Attributes given but wrong (an error is reported already): not missing, yet the tag is dropped.
    rejected: Vec<&'static str>,
    /// An unknown attribute was reported: likely a typo of a missing one, so that is not reported too.
    had_unknown: bool,
}

impl Attrs {
    pub fn read(
        element: &NodeElement<rstml::Infallible>,
        spec: Spec,
        errors: &mut Errors,
    ) -> Attrs {
        let tag = tag_name(element);
        let mut attrs = Attrs {
            tag_span: element.name().span(),
            tag,
            found: Vec::new(),
            missing_names: Vec::new(),
            rejected: Vec::new(),
            had_unknown: false,
        };
        for attribute in element.attributes() {
            match attribute {
                NodeAttribute::Attribute(attribute) => attrs.read_one(attribute, spec, errors),
                NodeAttribute::Block(block) => errors.add(
                    block.span(),
                    "attributes are written `name=\"value\"` or `name={expr}`",
                ),
            }
        }
        attrs
    }

    fn read_one(&mut self, attribute: &KeyedAttribute, spec: Spec, errors: &mut Errors) {
        let name = attribute.key.to_string();
        let name_span = attribute.key.span();
        let Some(&(known, kind, _)) = spec.iter().find(|(n, _, _)| *n == name) else {
            let names: Vec<&str> = spec.iter().map(|(n, _, _)| *n).collect();
            let message = match (did_you_mean(&name, &names), names.is_empty()) {
                (_, true) => format!("`<{}>` takes no attributes; found `{name}`", self.tag),
                (Some(guess), _) => format!(
                    "unknown attribute `{name}` on `<{}>`; did you mean `{guess}`?",
                    self.tag
                ),
                (None, _) => format!(
                    "unknown attribute `{name}` on `<{}>`; expected one of {}",
                    self.tag,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            errors.add(name_span, message);
            self.had_unknown = true;
            return;
        };
        if self.found.iter().any(|(n, _)| *n == known) || self.rejected.contains(&known) {
            errors.add(
                name_span,
                format!("`{name}` is given twice on `<{}>`", self.tag),
            );
            return;
        }
        let Some(expr) = attribute.value() else {
            errors.add(
                name_span,
                format!("`{name}` needs a value: `{name}=\"…\"` or `{name}={{expr}}`"),
            );
            self.rejected.push(known);
            return;
        };
        match value(known, kind, expr, errors) {
            Some(value) => self.found.push((known, Attr { name_span, value })),
            None => self.rejected.push(known),
        }
    }

    pub fn take(&mut self, name: &str) -> Option<Attr> {
        let index = self.found.iter().position(|(n, _)| *n == name)?;
        Some(self.found.remove(index).1)
    }

    /// The attribute, or a placeholder when it is missing (the tag is then dropped by `finish`).
    pub fn required(&mut self, name: &'static str) -> Attr {
        match self.take(name) {
            Some(attr) => attr,
            None => {
                if !self.rejected.contains(&name) {
                    self.missing_names.push(name);
                }
                Attr {
                    name_span: self.tag_span,
                    value: Value::Str(LitStr::new("", self.tag_span)),
                }
            }
        }
    }

    /// Reports missing required attributes; `None` when any is missing.
    pub fn finish(&mut self, errors: &mut Errors) -> Option<()> {
        if self.missing_names.is_empty() {
            return self.rejected.is_empty().then_some(());
        }
        if !self.had_unknown {
            let names = self
                .missing_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            let example = self
                .missing_names
                .iter()
                .map(|n| format!("{n}=\"…\""))
                .collect::<Vec<_>>()
                .join(" ");
            errors.add(
                self.tag_span,
                format!(
                    "`<{}>` needs {names}: `<{} {example} …>`",
                    self.tag, self.tag
                ),
            );
        }
        None
    }
}

/// Reads an attribute value of `kind`, checking a literal now.
fn value(name: &str, kind: Kind, expr: &Expr, errors: &mut Errors) -> Option<Value> {
    let Expr::Lit(lit) = expr else {
        return Some(Value::Expr(expr.clone()));
    };
    let expected = match kind {
        Kind::Int => "a whole number",
        Kind::Bool => "`true` or `false`",
        Kind::ExprOnly => "an expression in braces",
        _ => "a string literal",
    };
    let wrong = |errors: &mut Errors| {
        errors.add(
            lit.span(),
            format!("`{name}` takes {expected} or `{{expr}}`"),
        );
        None
    };
    match (&lit.lit, kind) {
        (Lit::Int(int), Kind::Int) => match int.base10_parse::<u64>() {
            Ok(_) => Some(Value::Int(int.clone())),
            Err(_) => wrong(errors),
        },
        (Lit::Bool(b), Kind::Bool) => Some(Value::Bool(b.clone())),
        (
            Lit::Str(s),
            Kind::Text
            | Kind::NonEmpty
            | Kind::Status
            | Kind::OpenType
            | Kind::Mxc
            | Kind::Url
            | Kind::Color,
        ) => check_literal(name, kind, s, errors).then(|| Value::Str(s.clone())),
        _ => wrong(errors),
    }
}

/// Checks a string literal against the rule of its attribute; reports and returns `false` if it fails.
fn check_literal(name: &str, kind: Kind, lit: &LitStr, errors: &mut Errors) -> bool {
    let text = lit.value();
    let problem = match kind {
        Kind::NonEmpty if text.is_empty() => Some(format!("`{name}` cannot be empty")),
        Kind::Status if !STATUSES.contains(&text.as_str()) => Some(format!(
            "unknown status `{text}`; write \"input\", \"loading\" or \"disable\"{}",
            suggestion(&text, STATUSES)
        )),
        Kind::OpenType if !OPENTYPES.contains(&text.as_str()) => Some(format!(
            "unknown opentype `{text}`; write \"inapp\" or \"inbrowser\"{}",
            suggestion(&text, OPENTYPES)
        )),
        Kind::Mxc => check_mxc(&text)
            .err()
            .map(|why| format!("`{name}` must be an `mxc://server/media-id` URI: `{text}` {why}")),
        Kind::Url => check_http_url(&text)
            .err()
            .map(|why| format!("`{name}` must be an absolute http(s) URL: `{text}`: {why}")),
        Kind::Color if !check_color(&text) => Some(format!(
            "`{text}` is not a colour; write `#rgb`, `#rrggbb` (with optional alpha) or a CSS colour name"
        )),
        _ => None,
    };
    match problem {
        Some(message) => {
            errors.add(lit.span(), message);
            false
        }
        None => true,
    }
}

fn suggestion(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map_or_else(String::new, |guess| format!(" (did you mean \"{guess}\"?)"))
}
