//! `Color`: a divider's line colour, limited to forms that are safe to put in a style sheet.

use crate::checked_string::checked_string;

/// Why a string is not a colour this library accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a colour; write `#rgb`, `#rrggbb` (with optional alpha) or a CSS colour name"
)]
pub struct ColorError(String);

/// A CSS colour: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, or a colour name such as `gray`.
///
/// ```
/// let line: finchat_cui::Color = "#666".parse()?;
/// assert_eq!(line.as_str(), "#666");
/// assert!("red; background: url(x)".parse::<finchat_cui::Color>().is_err());
/// # Ok::<(), finchat_cui::ColorError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Color(Box<str>);

impl Color {
    /// Parses and checks `input`.
    ///
    /// # Errors
    ///
    /// A [`ColorError`] when `input` is not `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or a colour
    /// name of up to 32 ASCII letters.
    pub fn parse(input: impl AsRef<str> + Into<String>) -> Result<Self, ColorError> {
        if finchat_cui_rules::check_color(input.as_ref()) {
            Ok(Self(input.into().into_boxed_str()))
        } else {
            Err(ColorError(input.as_ref().to_owned()))
        }
    }
}

checked_string!(Color, error = ColorError, schema = {
    "type": "string",
    "description": "A CSS colour: #rgb, #rgba, #rrggbb, #rrggbbaa or a colour name.",
    "pattern": "^(#([0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})|[A-Za-z]{1,32})$",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_names_pass_and_anything_else_fails() {
        for ok in ["#666", "#e5e5e5", "#e5e5e580", "#fff8", "gray"] {
            assert!(Color::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "#12", "#ggg", "666", "red;", "rgb(1,2,3)", "#1234567"] {
            assert!(Color::parse(bad).is_err(), "{bad}");
        }
    }
}
