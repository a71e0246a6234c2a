//! [`Arguments`]: the text after a command's name, read argument by argument into typed values. The
//! derive calls it once per field, in order.

use std::fmt::Display;
use std::str::FromStr;

use super::error::{CommandError, CommandErrorKind};
use super::spec::CommandSpec;
use super::text::{next_word, rest_of};

/// The text after a command's name, and the command it belongs to (for the usage line in errors).
#[derive(Debug)]
pub struct Arguments<'a> {
    command: &'static CommandSpec,
    prefix: &'static str,
    text: &'a str,
}

impl<'a> Arguments<'a> {
    pub(crate) fn new(command: &'static CommandSpec, prefix: &'static str, text: &'a str) -> Self {
        Self {
            command,
            prefix,
            text,
        }
    }

    /// The next word, read as `T`; argument number `index` of the command.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::MissingArgument`] when the text has ended, `BadArgument` when the word
    /// does not read as `T`.
    pub fn required<T>(&mut self, index: usize) -> Result<T, CommandError>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.optional(index)?.ok_or_else(|| self.missing(index))
    }

    /// The next word read as `T`, or `None` when the text has ended.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::BadArgument`] when the word does not read as `T`.
    pub fn optional<T>(&mut self, index: usize) -> Result<Option<T>, CommandError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let Some(word) = next_word(self.text) else {
            return Ok(None);
        };
        self.text = word.rest;
        self.read(index, word.text).map(Some)
    }

    /// All the text that is left, read as `T`.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::MissingArgument`] when nothing is left, `BadArgument` when it does not
    /// read as `T`.
    pub fn rest<T>(&mut self, index: usize) -> Result<T, CommandError>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.optional_rest(index)?
            .ok_or_else(|| self.missing(index))
    }

    /// All the text that is left read as `T`, or `None` when nothing is left.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::BadArgument`] when it does not read as `T`.
    pub fn optional_rest<T>(&mut self, index: usize) -> Result<Option<T>, CommandError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let Some(rest) = rest_of(self.text) else {
            return Ok(None);
        };
        self.text = "";
        self.read(index, rest).map(Some)
    }

    /// Checks that every argument was taken.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::TooManyArguments`] with the text that is left.
    pub fn finish(self) -> Result<(), CommandError> {
        let extra = self.text.trim();
        if extra.is_empty() {
            return Ok(());
        }
        Err(CommandErrorKind::TooManyArguments {
            command: self.command_name(),
            extra: extra.to_owned(),
            usage: self.usage(),
        }
        .into())
    }

    fn read<T>(&self, index: usize, value: &str) -> Result<T, CommandError>
    where
        T: FromStr,
        T::Err: Display,
    {
        value.parse::<T>().map_err(|error| {
            CommandErrorKind::BadArgument {
                command: self.command_name(),
                argument: self.argument(index),
                value: value.to_owned(),
                expected: expected::<T>(),
                reason: error.to_string(),
                usage: self.usage(),
            }
            .into()
        })
    }

    fn missing(&self, index: usize) -> CommandError {
        CommandErrorKind::MissingArgument {
            command: self.command_name(),
            argument: self.argument(index),
            usage: self.usage(),
        }
        .into()
    }

    fn command_name(&self) -> String {
        format!("{}{}", self.prefix, self.command.name())
    }

    fn argument(&self, index: usize) -> String {
        self.command
            .arguments()
            .get(index)
            .map_or_else(|| format!("argument {}", index + 1), ToString::to_string)
    }

    fn usage(&self) -> String {
        self.command.usage(self.prefix)
    }
}

/// What a value of `T` looks like, in words: `a non-negative integer`, `a number`, or the type's
/// name, e.g. `` `Dept` ``.
fn expected<T>() -> String {
    let name = crate::type_name::short_type_name::<T>();
    let words = match name {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a non-negative integer",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "an integer",
        "f32" | "f64" => "a number",
        "bool" => "`true` or `false`",
        "char" => "one character",
        "String" => "text",
        _ => return format!("`{name}`"),
    };
    words.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_words_name_the_type() {
        assert_eq!(expected::<u32>(), "a non-negative integer");
        assert_eq!(expected::<i8>(), "an integer");
        assert_eq!(expected::<f64>(), "a number");
        assert_eq!(expected::<std::net::Ipv4Addr>(), "`Ipv4Addr`");
        assert_eq!(expected::<Vec<u8>>(), "`Vec`");
    }
}
