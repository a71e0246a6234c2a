//! Card templates in the playground: text that starts with a tag (or a `//` comment) is read as a
//! template in the `cui!` grammar (`finchat_cui::template`) and rendered with the data given beside
//! it (JSON, `{}` when none). Its mistakes are findings with their line and column; what the
//! validator finds in the content it makes is drawn beside the elements, as for pasted content.

use finchat_cui::template::{Position, RenderError, Template, TemplateErrors};
use serde_json::Value;

use finchat_cui::Lints;

use super::{Finding, Reading, excerpt};

/// Whether `text` is a template rather than JSON.
pub(crate) fn is_template(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('<') || text.starts_with("//")
}

/// Reads `text` as a template and renders it with `data` (JSON text; `{}` when empty).
pub(crate) fn read(text: &str, data: &str) -> Reading {
    let nothing = |findings| Reading {
        content: None,
        bare_card: false,
        findings,
        warnings: Lints::default(),
    };
    let template = match Template::parse(text) {
        Ok(template) => template,
        Err(errors) => return nothing(mistakes(text, "template", &errors)),
    };
    let data: Value = if data.trim().is_empty() {
        Value::Object(serde_json::Map::new())
    } else {
        match serde_json::from_str(data) {
            Ok(data) => data,
            Err(error) => {
                return nothing(vec![Finding::about_content(
                    "data",
                    format!("the data is not JSON: {error}"),
                )]);
            }
        }
    };
    match template.render_json(&data) {
        Ok(content) => Reading {
            warnings: content.lint(),
            content: Some(content),
            bare_card: false,
            findings: Vec::new(),
        },
        Err(RenderError::Binding(errors)) => nothing(mistakes(text, "binding", &errors)),
        Err(RenderError::Invalid {
            content,
            problems,
            positions,
            ..
        }) => {
            let findings = problems
                .iter()
                .zip(positions)
                .map(|(problem, at)| {
                    let placed = at_position(text, at);
                    Finding {
                        line: placed.line,
                        column: placed.column,
                        excerpt: placed.excerpt,
                        ..Finding::about_problem(problem, &content)
                    }
                })
                .collect();
            Reading {
                warnings: content.lint(),
                content: Some(*content),
                bare_card: false,
                findings,
            }
        }
        Err(RenderError::Data(error)) => {
            nothing(vec![Finding::about_content("data", error.to_string())])
        }
    }
}

/// The template's mistakes, each at its line and column, with the line it is on.
fn mistakes(text: &str, kind: &'static str, errors: &TemplateErrors) -> Vec<Finding> {
    errors
        .iter()
        .map(|error| {
            let at = error.position;
            Finding {
                message: format!("line {}, column {}: {}", at.line, at.column, error.message),
                kind,
                ..at_position(text, Some(at))
            }
        })
        .collect()
}

/// A finding about the template as a whole, at `at` (its line, column and excerpt) if known.
fn at_position(text: &str, at: Option<Position>) -> Finding {
    let mut finding = Finding::about_content("template", String::new());
    finding.path = "(template)".into();
    if let Some(at) = at {
        let line = text
            .split('\n')
            .nth(at.line as usize - 1)
            .unwrap_or_default()
            .trim_end_matches('\r');
        let byte = line
            .char_indices()
            .nth(at.column as usize - 1)
            .map_or(line.len(), |(i, _)| i);
        finding.line = Some(at.line as usize);
        finding.column = Some(at.column as usize);
        finding.excerpt = Some(excerpt(line, byte));
    }
    finding
}
