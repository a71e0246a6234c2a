//! [`CommandError`]: why a message body did not read as a command, in words a user can be sent.

use super::spec::{CommandSet, CommandSpec};

/// Why a message body did not read as a command. Its text says what was expected and can be sent
/// back to the user as it is:
///
/// ```
/// use finchat_cui::{CommandErrorKind, CuiCommands};
///
/// #[derive(Debug, CuiCommands)]
/// enum Command {
///     /// 报销
///     Expense { amount: u32, reason: Option<String> },
/// }
///
/// let error = Command::parse("/expense lots").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "/expense: <amount> expected a non-negative integer, found \"lots\" \
///      (invalid digit found in string); usage: /expense <amount> [reason…]",
/// );
/// assert!(matches!(error.kind(), CommandErrorKind::BadArgument { .. }));
/// assert!(Command::parse("午饭吃什么").unwrap_err().is_not_a_command());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct CommandError {
    // Boxed: a `Result<Command, CommandError>` stays as small as the command.
    kind: Box<CommandErrorKind>,
}

/// What is wrong with a command; see [`CommandError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandErrorKind {
    /// The body is not addressed as a command at all (no prefix, no @-mention before a known
    /// name): plain chat, for other routes to take.
    #[error("not a command: a command starts with `{prefix}`, e.g. `{prefix}{example}`")]
    NotACommand {
        /// The prefix commands start with.
        prefix: &'static str,
        /// A command's name for the example: the first one declared.
        example: &'static str,
    },
    /// A prefixed name that is no command.
    #[error("unknown command `{prefix}{name}`; {}", unknown_hint(prefix, suggestion.as_deref(), known))]
    UnknownCommand {
        /// The prefix commands start with.
        prefix: &'static str,
        /// The name as written, without the prefix.
        name: String,
        /// The closest known name, if one is close enough to be a typo.
        suggestion: Option<&'static str>,
        /// Every known name, in declaration order (aliases not included).
        known: Vec<&'static str>,
    },
    /// A required argument is not there.
    #[error("{command}: missing {argument}; usage: {usage}")]
    MissingArgument {
        /// The command as written in the usage line, e.g. `/expense`.
        command: String,
        /// The argument as the usage line shows it, e.g. `<amount>`.
        argument: String,
        /// The usage line, e.g. `/expense <amount> [reason…]`.
        usage: String,
    },
    /// An argument does not read as its type.
    #[error(
        "{command}: {argument} expected {expected}, found \"{value}\" ({reason}); usage: {usage}"
    )]
    BadArgument {
        /// The command, e.g. `/expense`.
        command: String,
        /// The argument as the usage line shows it, e.g. `<amount>`.
        argument: String,
        /// The text that was given for it.
        value: String,
        /// What was expected, e.g. `a non-negative integer`.
        expected: String,
        /// Why it did not read, from the type's `FromStr` error.
        reason: String,
        /// The usage line.
        usage: String,
    },
    /// There is text after the last argument.
    #[error("{command}: too many arguments, \"{extra}\" is left over; usage: {usage}")]
    TooManyArguments {
        /// The command, e.g. `/expense`.
        command: String,
        /// The text after the last argument, trimmed.
        extra: String,
        /// The usage line.
        usage: String,
    },
}

fn unknown_hint(prefix: &str, suggestion: Option<&str>, known: &[&str]) -> String {
    if let Some(suggestion) = suggestion {
        return format!("did you mean `{prefix}{suggestion}`?");
    }
    let known: Vec<String> = known.iter().map(|name| format!("{prefix}{name}")).collect();
    format!("the commands are {}", known.join(", "))
}

impl CommandError {
    pub(crate) fn new(kind: CommandErrorKind) -> Self {
        Self {
            kind: Box::new(kind),
        }
    }

    /// [`CommandErrorKind::NotACommand`] for the commands of `set`. (Called by the code
    /// `#[derive(CuiCommands)]` writes.)
    #[doc(hidden)]
    pub fn not_a_command(set: &CommandSet) -> Self {
        Self::new(CommandErrorKind::NotACommand {
            prefix: set.prefix(),
            example: set.commands().first().map_or("", CommandSpec::name),
        })
    }

    /// What is wrong, with the details (the name as written, the argument, the value, …).
    pub fn kind(&self) -> &CommandErrorKind {
        &self.kind
    }

    /// `true` when the body is not addressed as a command at all: other routes may take it. Every
    /// other error is about a command someone meant to give, and deserves an answer.
    pub fn is_not_a_command(&self) -> bool {
        matches!(*self.kind, CommandErrorKind::NotACommand { .. })
    }

    /// The usage line of the command the error is about, when it is about one.
    pub fn usage(&self) -> Option<&str> {
        match &*self.kind {
            CommandErrorKind::MissingArgument { usage, .. }
            | CommandErrorKind::BadArgument { usage, .. }
            | CommandErrorKind::TooManyArguments { usage, .. } => Some(usage),
            CommandErrorKind::NotACommand { .. } | CommandErrorKind::UnknownCommand { .. } => None,
        }
    }
}

impl From<CommandErrorKind> for CommandError {
    fn from(kind: CommandErrorKind) -> Self {
        Self::new(kind)
    }
}
