//! The rules of `#[derive(CuiCommands)]` that span several attributes, arguments or commands: a
//! usable prefix and rename rule, non-empty names and descriptions, one command per name, and
//! arguments in an order the text can be read in (optional ones last, the rest of the text last of
//! all).

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::ast::{Argument, Command, Commands};
use super::symbol::{RENAME_RULES, REST};
use crate::errors::Errors;
use crate::suggest::did_you_mean;

pub fn check(commands: &Commands, errors: &mut Errors) {
    let prefix = commands.prefix();
    if let Some(attr) = &commands.attrs.prefix
        && (prefix.is_empty() || prefix.contains(char::is_whitespace))
    {
        errors.add(
            attr.value.span(),
            format!(
                "prefix {:?} cannot be empty or hold whitespace: a command is told from chat by \
                 its prefix, e.g. `/`",
                prefix
            ),
        );
    } else if let Some(attr) = &commands.attrs.prefix
        && prefix.starts_with(['@', '＠'])
    {
        errors.add(
            attr.value.span(),
            format!(
                "prefix {prefix:?} starts with `@`, which marks a mention: leading @-mentions are \
                 taken off a body before its command is read, so no command would ever be found; \
                 use e.g. `/`"
            ),
        );
    }
    if let Some(attr) = &commands.attrs.rename_rule {
        let rule = attr.value.value();
        if !RENAME_RULES.contains(&rule.as_str()) {
            let hint = match did_you_mean(&rule, RENAME_RULES) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("use one of {}", RENAME_RULES.join(", ")),
            };
            errors.add(
                attr.value.span(),
                format!("unknown rename_rule `{rule}`; {hint}"),
            );
        }
    }
    let rule = commands.rename_rule();
    let mut names: Vec<(String, &Command)> = Vec::new();
    for command in &commands.commands {
        description(command, errors);
        arguments(&command.arguments, errors);
        let written = std::iter::once((command.name(&rule), command.name_span()))
            .chain(command.aliases().iter().map(|a| (a.value(), a.span())));
        for (name, span) in written {
            if !name_is_usable(&name, &prefix, span, errors) {
                continue;
            }
            let lower = name.to_lowercase();
            match names.iter().find(|(used, _)| *used == lower) {
                Some((_, first)) => errors.add(
                    span,
                    format!(
                        "duplicate command name `{name}`: variant `{}` already answers to it \
                         (names are matched ignoring case); give one of them \
                         `#[cui(rename = \"…\")]`",
                        first.variant.ident
                    ),
                ),
                None => names.push((lower, command)),
            }
        }
    }
}

fn name_is_usable(name: &str, prefix: &str, span: Span, errors: &mut Errors) -> bool {
    let problem = if name.is_empty() {
        "empty command name: a command needs a name to be typed".to_owned()
    } else if name.contains(char::is_whitespace) {
        format!("command name {name:?} holds whitespace: the name ends at the first space")
    } else if !prefix.is_empty() && name.starts_with(prefix) {
        format!("command name {name:?} starts with the prefix `{prefix}`; write it without")
    } else {
        return true;
    };
    errors.add(span, problem);
    false
}

fn description(command: &Command, errors: &mut Errors) {
    if let Some(attr) = &command.attrs.description
        && attr.value.value().trim().is_empty()
    {
        errors.add(
            attr.value.span(),
            "empty description: the help shows it beside the command; say what it does, or \
             remove it",
        );
    }
}

/// Optional arguments come after the required ones, and a `rest` argument (it takes all the text
/// that is left) comes last.
fn arguments(arguments: &[Argument], errors: &mut Errors) {
    let count = arguments.len();
    let mut first_optional: Option<&Argument> = None;
    for (i, argument) in arguments.iter().enumerate() {
        if let Some(rest) = &argument.attrs.rest
            && i + 1 < count
        {
            errors.add(
                rest.name.span(),
                format!(
                    "`{REST}` takes all the text that is left, so it goes on the last field, not \
                     on `{}`",
                    argument.name()
                ),
            );
        }
        match (argument.kind.is_optional(), first_optional) {
            (true, None) => first_optional = Some(argument),
            (false, Some(optional)) => errors.add(
                optional.ty.span(),
                format!(
                    "optional argument `{}` comes before the required `{}`: the text is read in \
                     order, so put optional arguments last",
                    optional.name(),
                    argument.name()
                ),
            ),
            _ => {}
        }
    }
}
