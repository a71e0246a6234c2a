//! What goes wrong with a template: mistakes of the template itself, found when it is parsed
//! ([`TemplateErrors`]), and what goes wrong when it is rendered with data ([`RenderError`]).

use std::fmt;

use crate::Problems;

/// A place in a template: line and column, both from 1, the column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: u32,
    /// The column in characters, from 1.
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Mistakes as the reader and the renderer collect them: where, and what.
pub(super) type Mistakes = Vec<(Position, String)>;

/// One mistake in a template, at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// Where it is.
    pub position: Position,
    /// What is wrong, in the words the `cui!` macro uses for the same mistake.
    pub message: String,
}

/// Every mistake of one template, in the order they are found; never empty. Displayed one per line
/// as `name:line:col: message`, where the name is the file's (or `template`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateErrors {
    pub(super) name: String,
    pub(super) errors: Vec<TemplateError>,
}

impl TemplateErrors {
    pub(super) fn new(name: &str, errors: Mistakes) -> Self {
        TemplateErrors {
            name: name.to_owned(),
            errors: errors
                .into_iter()
                .map(|(position, message)| TemplateError { position, message })
                .collect(),
        }
    }

    /// The mistakes.
    pub fn iter(&self) -> std::slice::Iter<'_, TemplateError> {
        self.errors.iter()
    }

    /// The name the template is reported under: its file, or `template`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for TemplateErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}:{}: {}", self.name, error.position, error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateErrors {}

/// Why a template could not be rendered with some data.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The data could not be turned into JSON.
    #[error("the data is not JSON: {0}")]
    Data(#[from] serde_json::Error),
    /// A `{path}` names nothing in the data, or a value of the wrong kind; every one, at its place.
    #[error("{0}")]
    Binding(TemplateErrors),
    /// The content the template made breaks a rule of the format: the validator's problems, with
    /// their paths (`info.elements[3].key`), and where the element that made each one is.
    #[error("{}", display_invalid(.name, .problems, .positions))]
    Invalid {
        /// The template's name.
        name: String,
        /// The content as made, to show beside its problems.
        content: Box<crate::MessageContent>,
        /// What the validator found.
        problems: Problems,
        /// For each problem, the position of the element (or message) that made it, if known.
        positions: Vec<Option<Position>>,
    },
}

/// Why a template file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The template has mistakes.
    #[error("{0}")]
    Template(#[from] TemplateErrors),
}

fn display_invalid(name: &str, problems: &Problems, positions: &[Option<Position>]) -> String {
    problems
        .iter()
        .zip(positions)
        .map(|(problem, at)| match at {
            Some(at) => format!("{name}:{at}: {problem}"),
            None => format!("{name}: {problem}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
