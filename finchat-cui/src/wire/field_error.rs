//! Why a JSON object could not be read as a typed value: [`FieldError`]s, collected all at once by
//! [`all_checks!`].

use std::fmt;

use serde_json::Value;

use crate::problem::{Path, Problem, ProblemKind};

/// Why a JSON object could not be read as a typed value: the field (relative to the object), the kind
/// and a message. Turned into a [`Problem`] by prefixing the object's own path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub path: Path,
    pub kind: ProblemKind,
    pub message: String,
}

impl FieldError {
    pub fn new(path: Path, kind: ProblemKind, message: impl Into<String>) -> Self {
        Self {
            path,
            kind,
            message: message.into(),
        }
    }

    pub fn at(field: &'static str, kind: ProblemKind, message: impl Into<String>) -> Self {
        Self::new(Path::root().field(field), kind, message)
    }

    /// This error, moved under `prefix`.
    pub fn within(self, prefix: &Path) -> Self {
        Self::new(prefix.join(&self.path), self.kind, self.message)
    }

    pub fn into_problem(self, base: &Path) -> Problem {
        Problem::new(base.join(&self.path), self.kind, self.message)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every error found in one object, in field order.
pub(crate) type FieldErrors = Vec<FieldError>;

/// One error or several, so checks of either kind can be run together by [`all_checks!`].
pub(crate) trait IntoFieldErrors {
    fn into_field_errors(self) -> FieldErrors;
}

impl IntoFieldErrors for FieldError {
    fn into_field_errors(self) -> FieldErrors {
        vec![self]
    }
}

impl IntoFieldErrors for FieldErrors {
    fn into_field_errors(self) -> FieldErrors {
        self
    }
}

/// Runs every check, then returns all their errors at once, or binds each name to its checked value.
/// Names starting with `_` only check (their borrow ends at once).
macro_rules! all_checks {
    ($($name:ident = $check:expr;)+) => {
        $( let $name = $check; )+
        let mut errors: $crate::wire::field_error::FieldErrors = Vec::new();
        $(
            if let Err(error) = &$name {
                errors.extend($crate::wire::field_error::IntoFieldErrors::into_field_errors(error.clone()));
            }
        )+
        $(
            #[allow(unused_variables)]
            let $name = match $name {
                Ok(value) => value,
                Err(_) => return Err(errors),
            };
        )+
    };
}

pub(crate) use all_checks;

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
