//! Typed forms: a struct that is a card and is read back from what users submit
//! ([`CuiForm`]), an enum that is a dropdown's choices ([`CuiChoice`]), and [`FormErrors`].

use std::fmt;

use crate::element::DropdownOption;
use crate::{Card, Submission, SubmissionError};

/// A struct that is a card form: it draws itself as a [`Card`] and reads itself back from a
/// [`Submission`], reporting every bad field at once. Derive it with
/// [`#[derive(CuiForm)]`](derive@crate::CuiForm), which documents the attributes.
///
/// ```
/// use finchat_cui::{CuiChoice, CuiForm, Submission};
///
/// #[derive(Debug, PartialEq, CuiChoice)]
/// enum Dept {
///     #[cui(label = "财务部", value = "fin")]
///     Finance,
///     #[cui(label = "运营部")]
///     Operations, // submitted as "operations"
/// }
///
/// #[derive(Debug, PartialEq, CuiForm)]
/// #[cui(title = "报销申请", submit = "提交审批")]
/// struct Expense {
///     #[cui(label = "金额（元）", placeholder = "例如 1200")]
///     amount: u32,
///     #[cui(label = "部门")]
///     dept: Dept,
///     #[cui(label = "备注")]
///     note: Option<String>,
/// }
///
/// // The empty form to send, and the same form filled in.
/// Expense::blank().validate()?;
/// let expense = Expense { amount: 1200, dept: Dept::Finance, note: None };
/// let card = expense.card();
///
/// // Pressing submit without changing anything gives the same value back.
/// assert_eq!(Expense::from_submission(&Submission::prefilled(&card)), Ok(expense));
///
/// // Every bad field is reported, by key.
/// let bad = Submission::new().with("amount", "lots").with("dept", "hr");
/// assert_eq!(
///     Expense::from_submission(&bad).unwrap_err().to_string(),
///     "info.amount: expected an integer from 0 to 4294967295, found \"lots\"\n\
///      info.dept: expected one of \"fin\", \"operations\", found \"hr\"",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Round trip
///
/// For every value `v`, `T::from_submission(&Submission::prefilled(&v.card()))` is `Ok(v)`, except
/// where the wire cannot tell two values apart: an empty text and "nothing" are both `""`. So
/// `Some(String::new())` in an `Option<String>` field comes back as `None`, and in a field with a
/// `default`, an empty `String` or a `None` comes back as the default. Skipped fields come back as
/// their default, and floats must be finite (a submitted `NaN` or `inf` is an error).
pub trait CuiForm: Sized {
    /// The form with this value's fields pre-filled, ready to send (or to update a sent card with).
    fn card(&self) -> Card;

    /// The empty form: text inputs without a value and dropdowns with nothing chosen, except fields
    /// with a `default`, which show it.
    fn blank() -> Card;

    /// Reads the form back from what a user submitted. Every field that is missing or does not parse is
    /// reported, in field order; this never panics.
    ///
    /// # Errors
    ///
    /// [`FormErrors`] with one [`SubmissionError`] per field that is missing or does not parse, in
    /// field order.
    fn from_submission(submission: &Submission) -> Result<Self, FormErrors>;

    /// The JSON Schema (draft 2020-12) of the submitted `info` object: one string property per field,
    /// with the pattern or the option values it accepts, for front-end teams and mock servers.
    #[cfg(feature = "schema")]
    fn schema() -> schemars::Schema;
}

/// A fieldless enum whose variants are a dropdown's choices. Derive it with
/// [`#[derive(CuiChoice)]`](derive@crate::CuiChoice); `bool` is one too (是 → `"true"`,
/// 否 → `"false"`).
///
/// ```
/// use finchat_cui::CuiChoice;
///
/// #[derive(Debug, PartialEq, CuiChoice)]
/// enum Priority {
///     #[cui(label = "低")]
///     Low,
///     #[cui(label = "紧急", value = "p0")]
///     RightNow,
/// }
///
/// let options = Priority::options();
/// assert_eq!((options[0].label.as_str(), options[0].value.as_str()), ("低", "low"));
/// assert_eq!(Priority::RightNow.value(), "p0");
/// assert_eq!(Priority::from_value("p0"), Some(Priority::RightNow));
/// assert_eq!(Priority::from_value("RightNow"), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `CuiChoice`, so a form cannot draw it as a dropdown",
    label = "not a `String`, number, `bool` or `CuiChoice`",
    note = "a `CuiForm` field is a `String`, an integer, a float, a `bool`, a type that derives `CuiChoice`, or an `Option` of one of them; otherwise, mark it `#[cui(skip)]`"
)]
pub trait CuiChoice: Sized {
    /// The dropdown's options, one per choice, in order.
    fn options() -> Vec<DropdownOption>;

    /// The value submitted for this choice.
    fn value(&self) -> &'static str;

    /// The choice submitted as `value`, if there is one.
    fn from_value(value: &str) -> Option<Self>;
}

impl CuiChoice for bool {
    fn options() -> Vec<DropdownOption> {
        vec![
            DropdownOption::new("是", "true"),
            DropdownOption::new("否", "false"),
        ]
    }

    fn value(&self) -> &'static str {
        if *self { "true" } else { "false" }
    }

    fn from_value(value: &str) -> Option<Self> {
        match value {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

/// Every field of a submission that could not be read into a [`CuiForm`], in field order; never
/// empty when [`CuiForm::from_submission`] returns it.
///
/// It displays one line per field, e.g. `info.amount: expected an integer from 0 to 4294967295,
/// found "lots"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormErrors(Vec<SubmissionError>);

impl FormErrors {
    /// The errors, one per bad field, in field order.
    pub fn iter(&self) -> std::slice::Iter<'_, SubmissionError> {
        self.0.iter()
    }

    /// The error of the field submitted under `key`, if it has one.
    pub fn get(&self, key: &str) -> Option<&SubmissionError> {
        self.0.iter().find(|error| error.key == key)
    }

    /// How many fields are bad.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never the case for errors [`CuiForm::from_submission`] returns).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FormErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FormErrors {}

impl From<SubmissionError> for FormErrors {
    fn from(error: SubmissionError) -> Self {
        Self(vec![error])
    }
}

impl FromIterator<SubmissionError> for FormErrors {
    /// Collects the errors of a hand-written [`CuiForm::from_submission`].
    fn from_iter<I: IntoIterator<Item = SubmissionError>>(errors: I) -> Self {
        Self(errors.into_iter().collect())
    }
}

impl IntoIterator for FormErrors {
    type Item = SubmissionError;
    type IntoIter = std::vec::IntoIter<SubmissionError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a FormErrors {
    type Item = &'a SubmissionError;
    type IntoIter = std::slice::Iter<'a, SubmissionError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SubmissionErrorKind;

    #[test]
    fn bool_is_a_yes_no_choice() {
        let options: Vec<_> = bool::options()
            .into_iter()
            .map(|o| (o.label, o.value))
            .collect();
        assert_eq!(
            options,
            [("是".into(), "true".into()), ("否".into(), "false".into())]
        );
        assert_eq!(bool::from_value(true.value()), Some(true));
        assert_eq!(bool::from_value(false.value()), Some(false));
        assert_eq!(bool::from_value("yes"), None);
    }

    #[test]
    fn form_errors_show_one_line_per_field_and_are_found_by_key() {
        let errors: FormErrors = ["a", "b"]
            .into_iter()
            .map(|key| SubmissionError {
                key: key.to_owned(),
                kind: SubmissionErrorKind::Missing,
            })
            .collect();
        assert_eq!(
            errors.to_string(),
            "info.a: missing; nothing was submitted under this key\n\
             info.b: missing; nothing was submitted under this key"
        );
        assert_eq!(errors.get("b").map(|e| e.key.as_str()), Some("b"));
        assert!(errors.get("c").is_none());
        assert_eq!(errors.len(), 2);
    }
}
