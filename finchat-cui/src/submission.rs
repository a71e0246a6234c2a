//! What a user sends back: the `content` of a `finstore.room.interactcui` event, with typed access to
//! each submitted value by its key.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Card;
use crate::element::Element;
use crate::word_list::word_list;

/// The `content` of a `finstore.room.interactcui` event: which action was taken and, in `info`, the
/// value of each input (and of the pressed reply button) under its key.
///
/// ```
/// use finchat_cui::Submission;
///
/// let submission: Submission = serde_json::from_str(
///     r#"{"action": "submit", "info": {"amount": "1200", "dept": "fin", "urgent": "true"}}"#,
/// )?;
/// let amount: u32 = submission.get("amount")?;
/// let note: Option<String> = submission.get("note")?;
/// assert_eq!((amount, note), (1200, None));
/// assert_eq!(
///     submission.get::<u8>("amount").unwrap_err().to_string(),
///     r#"info.amount: expected an integer from 0 to 255, found "1200""#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Submission {
    /// What the user did; `submit` is the only published action.
    pub action: Action,
    /// Each submitted value under the key of its input or reply button. Values are strings.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, String>")
    )]
    pub info: Map<String, Value>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    extra: Map<String, Value>,
}

word_list! {
    /// What a user did to a card (`content.action` of a `finstore.room.interactcui` event).
    Action {
        /// `submit`: a submit or reply button was pressed.
        Submit = "submit",
    }
}

impl Submission {
    /// A `submit` with no values yet; add them with [`Submission::with`]. Useful in tests and sandboxes.
    pub fn new() -> Self {
        Self {
            action: Action::Submit,
            info: Map::new(),
            extra: Map::new(),
        }
    }

    /// What a user sends who presses submit without changing anything: every text input's pre-filled
    /// `value` (`""` when it has none) and every dropdown's `value`, under their keys. Reply buttons
    /// are not included: pressing one is a different answer.
    ///
    /// ```
    /// use finchat_cui::element::{Dropdown, Reply, TextInput};
    /// use finchat_cui::{Card, Submission};
    ///
    /// let card = Card::form()
    ///     .input(TextInput::new("amount").value("1200"))
    ///     .input(TextInput::new("note"))
    ///     .dropdown(Dropdown::new("dept").option("财务部", "fin").value("fin"))
    ///     .reply(Reply::new("decision", "同意"));
    /// let submission = Submission::prefilled(&card);
    /// assert_eq!(
    ///     serde_json::to_value(&submission)?,
    ///     serde_json::json!({"action": "submit", "info": {"amount": "1200", "note": "", "dept": "fin"}}),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn prefilled(card: &Card) -> Self {
        let mut submission = Self::new();
        for element in &card.elements {
            match element {
                Element::TextInput(input) => {
                    let value = input.value.clone().unwrap_or_default();
                    submission = submission.with(input.key.clone(), value);
                }
                Element::Dropdown(dropdown) => {
                    submission = submission.with(dropdown.key.clone(), dropdown.value.clone());
                }
                _ => {}
            }
        }
        submission
    }

    /// Reads the `content` of a `finstore.room.interactcui` event without copying it; gives the value
    /// back unchanged when it is not a submission (`action` a string, `info` an object).
    ///
    /// # Errors
    ///
    /// The `content` itself, unchanged, when it is not a submission: not an object with a string
    /// `action` and an object `info`.
    pub fn from_value(content: Value) -> Result<Self, Value> {
        let fits = matches!(
            (content.get("action"), content.get("info")),
            (Some(Value::String(_)), Some(Value::Object(_)))
        );
        let Value::Object(mut extra) = content else {
            return Err(content);
        };
        if !fits {
            return Err(Value::Object(extra));
        }
        match (extra.remove("action"), extra.remove("info")) {
            (Some(Value::String(action)), Some(Value::Object(info))) => Ok(Self {
                action: Action::from_wire(&action),
                info,
                extra,
            }),
            // Checked above: both are there with these types.
            (action, info) => {
                extra.extend(action.map(|a| ("action".to_owned(), a)));
                extra.extend(info.map(|i| ("info".to_owned(), i)));
                Err(Value::Object(extra))
            }
        }
    }

    /// Adds the value `value` under `key`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.info.insert(key.into(), Value::String(value.into()));
        self
    }

    /// The value under `key`, read as `T`. The error names the key and says what was expected.
    ///
    /// # Errors
    ///
    /// A [`SubmissionError`] naming `key`: [`SubmissionErrorKind::Missing`] when nothing was
    /// submitted under it, `Invalid` or `NotAnOption` when its value does not read as `T`.
    pub fn get<T: FromSubmitted>(&self, key: &str) -> Result<T, SubmissionError> {
        T::from_submitted(self.info.get(key)).map_err(|kind| SubmissionError {
            key: key.to_owned(),
            kind,
        })
    }

    /// The raw value under `key`.
    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.info.get(key)
    }

    /// Fields the format does not define, kept from received JSON.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl Default for Submission {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a submitted value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionErrorKind {
    /// Nothing was submitted under the key.
    Missing,
    /// The value is not what was expected.
    Invalid {
        /// What was expected, e.g. `an integer from 0 to 255`.
        expected: &'static str,
        /// The value as it came, in JSON.
        found: String,
    },
    /// The value is not one of a dropdown's options.
    NotAnOption {
        /// The value as it came, in JSON.
        found: String,
        /// The option values that are accepted, in order.
        options: Vec<String>,
    },
}

/// A submitted value that could not be read: the key and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionError {
    /// The key, as in the card.
    pub key: String,
    /// What is wrong.
    pub kind: SubmissionErrorKind,
}

impl fmt::Display for SubmissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SubmissionErrorKind::Missing => write!(
                f,
                "info.{}: missing; nothing was submitted under this key",
                self.key
            ),
            SubmissionErrorKind::Invalid { expected, found } => {
                write!(f, "info.{}: expected {expected}, found {found}", self.key)
            }
            SubmissionErrorKind::NotAnOption { found, options } if options.is_empty() => write!(
                f,
                "info.{}: there are no options to choose from, found {found}",
                self.key
            ),
            SubmissionErrorKind::NotAnOption { found, options } => {
                write!(f, "info.{}: expected one of ", self.key)?;
                for (i, option) in options.iter().enumerate() {
                    let separator = if i == 0 { "" } else { ", " };
                    write!(f, "{separator}{option:?}")?;
                }
                write!(f, ", found {found}")
            }
        }
    }
}

impl std::error::Error for SubmissionError {}

/// A type a submitted value can be read as: strings, numbers, booleans, and `Option`s of them (absent
/// or `""` is `None`).
pub trait FromSubmitted: Sized {
    /// Reads the value under a key; `None` when nothing was submitted under it.
    ///
    /// # Errors
    ///
    /// [`SubmissionErrorKind::Missing`] when `value` is `None` (except for an `Option`), and
    /// [`SubmissionErrorKind::Invalid`] (or `NotAnOption` for a choice) when it does not read as
    /// `Self`.
    fn from_submitted(value: Option<&Value>) -> Result<Self, SubmissionErrorKind>;
}

fn invalid(expected: &'static str, value: &Value) -> SubmissionErrorKind {
    SubmissionErrorKind::Invalid {
        expected,
        found: value.to_string(),
    }
}

impl FromSubmitted for String {
    fn from_submitted(value: Option<&Value>) -> Result<Self, SubmissionErrorKind> {
        match value {
            None => Err(SubmissionErrorKind::Missing),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(invalid("a string", other)),
        }
    }
}

impl FromSubmitted for bool {
    fn from_submitted(value: Option<&Value>) -> Result<Self, SubmissionErrorKind> {
        const EXPECTED: &str = "\"true\" or \"false\"";
        match value {
            None => Err(SubmissionErrorKind::Missing),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) => match s.trim() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(invalid(EXPECTED, &Value::String(s.clone()))),
            },
            Some(other) => Err(invalid(EXPECTED, other)),
        }
    }
}

impl<T: FromSubmitted> FromSubmitted for Option<T> {
    fn from_submitted(value: Option<&Value>) -> Result<Self, SubmissionErrorKind> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(value) => T::from_submitted(Some(value)).map(Some),
        }
    }
}

fn number<T: std::str::FromStr>(
    value: Option<&Value>,
    expected: &'static str,
    accept: fn(&T) -> bool,
) -> Result<T, SubmissionErrorKind> {
    let value = value.ok_or(SubmissionErrorKind::Missing)?;
    let parsed = match value {
        Value::String(s) => s.trim().parse::<T>().ok(),
        Value::Number(n) => n.to_string().parse::<T>().ok(),
        _ => None,
    };
    parsed
        .filter(accept)
        .ok_or_else(|| invalid(expected, value))
}

macro_rules! numbers {
    ($($ty:ty => $expected:literal, $accept:expr;)*) => {$(
        impl FromSubmitted for $ty {
            fn from_submitted(value: Option<&Value>) -> Result<Self, SubmissionErrorKind> {
                number(value, $expected, $accept)
            }
        }
    )*};
}

numbers! {
    u8 => "an integer from 0 to 255", |_| true;
    u16 => "an integer from 0 to 65535", |_| true;
    u32 => "an integer from 0 to 4294967295", |_| true;
    u64 => "a non-negative integer", |_| true;
    u128 => "a non-negative integer", |_| true;
    usize => "a non-negative integer", |_| true;
    i8 => "an integer from -128 to 127", |_| true;
    i16 => "an integer from -32768 to 32767", |_| true;
    i32 => "a 32-bit integer", |_| true;
    i64 => "an integer", |_| true;
    i128 => "an integer", |_| true;
    isize => "an integer", |_| true;
    f32 => "a number", |n: &f32| n.is_finite();
    f64 => "a number", |n: &f64| n.is_finite();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission() -> Submission {
        Submission::new()
            .with("amount", " 42 ")
            .with("price", "12.5")
            .with("urgent", "true")
            .with("note", "")
            .with("name", "alice")
    }

    #[test]
    fn values_are_read_as_the_type_asked_for() {
        let s = submission();
        assert_eq!(s.get::<i64>("amount"), Ok(42));
        assert_eq!(s.get::<f64>("price"), Ok(12.5));
        assert_eq!(s.get::<bool>("urgent"), Ok(true));
        assert_eq!(s.get::<Option<String>>("note"), Ok(None));
        assert_eq!(s.get::<Option<u8>>("absent"), Ok(None));
        assert_eq!(s.get::<String>("name").as_deref(), Ok("alice"));
    }

    #[test]
    fn errors_name_the_key_and_what_was_expected() {
        let s = submission();
        assert_eq!(
            s.get::<String>("absent").unwrap_err().to_string(),
            "info.absent: missing; nothing was submitted under this key"
        );
        assert_eq!(
            s.get::<u32>("name").unwrap_err().to_string(),
            r#"info.name: expected an integer from 0 to 4294967295, found "alice""#
        );
        assert_eq!(
            s.get::<bool>("amount").unwrap_err().to_string(),
            r#"info.amount: expected "true" or "false", found " 42 ""#
        );
        assert!(s.get::<f64>("name").is_err());
        assert!(Submission::new().with("x", "NaN").get::<f64>("x").is_err());
    }

    #[test]
    fn a_value_that_is_not_an_option_names_the_options() {
        let error = SubmissionError {
            key: "dept".to_owned(),
            kind: SubmissionErrorKind::NotAnOption {
                found: r#""hr""#.to_owned(),
                options: vec!["fin".to_owned(), "ops".to_owned()],
            },
        };
        assert_eq!(
            error.to_string(),
            r#"info.dept: expected one of "fin", "ops", found "hr""#
        );
    }

    #[test]
    fn a_prefilled_submission_has_every_input_and_dropdown_but_no_reply() {
        use crate::element::{Dropdown, Reply, TextInput};
        let card = Card::form()
            .text("title")
            .input(TextInput::new("a").value("1"))
            .input(TextInput::new("b"))
            .dropdown(Dropdown::new("c").option("x", "x"))
            .reply(Reply::new("d", "ok"))
            .submit("go");
        let submission = Submission::prefilled(&card);
        assert_eq!(submission.action, Action::Submit);
        assert_eq!(
            Value::Object(submission.info),
            serde_json::json!({"a": "1", "b": "", "c": ""})
        );
    }

    #[test]
    fn the_documented_sample_parses_and_round_trips() {
        let raw =
            serde_json::json!({"action": "submit", "info": {"key1": "value1", "key2": "value2"}});
        let s: Submission = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(s.action, Action::Submit);
        assert_eq!(serde_json::to_value(&s).unwrap(), raw);
    }
}
