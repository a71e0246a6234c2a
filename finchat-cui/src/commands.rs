//! Typed bot commands: an enum whose variants are the commands a bot answers ([`CuiCommands`],
//! derived with [`#[derive(CuiCommands)]`](derive@crate::CuiCommands)), read from `m.text` and
//! `m.alert` bodies with the leading @-mention taken off, with errors that say what was expected
//! ([`CommandError`]) and a generated help.

mod arguments;
mod error;
mod help;
mod spec;
mod text;

pub use arguments::Arguments;
pub use error::{CommandError, CommandErrorKind};
pub use spec::{ArgumentKind, ArgumentSpec, CommandSet, CommandSpec};

use crate::{CuiContent, MessageContent};

/// An enum of bot commands: each variant a command, its fields the typed arguments. Derive it with
/// [`#[derive(CuiCommands)]`](derive@crate::CuiCommands), which documents the attributes and the
/// rules for reading a body.
///
/// ```
/// use finchat_cui::{CuiCommands, MessageContent, TextContent};
///
/// #[derive(Debug, PartialEq, CuiCommands)]
/// enum Command {
///     /// 报销：金额与事由
///     Expense { amount: u32, reason: Option<String> },
///     #[cui(description = "显示帮助", alias = "帮助")]
///     Help,
/// }
///
/// assert_eq!(
///     Command::parse("/expense 1200 去北京 出差")?,
///     Command::Expense { amount: 1200, reason: Some("去北京 出差".into()) },
/// );
/// // A group room's @-mention, as FinChat delivers it (`m.alert`): the mention is taken off, and
/// // the prefix may then be left out.
/// let alert = MessageContent::Alert(TextContent::new("@FinChat小助手 帮助"));
/// assert_eq!(Command::from_content(&alert)?, Command::Help);
/// assert_eq!(
///     Command::help_text(),
///     "/expense <amount> [reason…] — 报销：金额与事由\n/help (also /帮助) — 显示帮助",
/// );
/// # Ok::<(), finchat_cui::CommandError>(())
/// ```
pub trait CuiCommands: Sized {
    /// The prefix and the commands, in declaration order.
    fn command_set() -> &'static CommandSet;

    /// Builds command number `index` of [`CuiCommands::command_set`] from its arguments. Written
    /// by the derive; call [`CuiCommands::parse`] instead.
    ///
    /// # Errors
    ///
    /// The [`CommandError`] of the first argument that is missing or does not read.
    #[doc(hidden)]
    fn from_arguments(index: usize, arguments: &mut Arguments<'_>) -> Result<Self, CommandError>;

    /// Reads a message body as a command. Leading @-mentions are taken off; then the body is
    /// `/name arguments…`, or, after a mention, also `name arguments…` when `name` is a command.
    ///
    /// # Errors
    ///
    /// A [`CommandError`]: [`CommandErrorKind::NotACommand`] for a body that is not addressed as a
    /// command (leave it to other handlers), else what is wrong with the command, in words to send
    /// back.
    fn parse(body: &str) -> Result<Self, CommandError> {
        let set = Self::command_set();
        let prefix = set.prefix();
        let not_a_command = || CommandError::not_a_command(set);
        let addressed = text::address(body, prefix).ok_or_else(not_a_command)?;
        let Some(index) = set.find(addressed.name) else {
            if !addressed.prefixed {
                return Err(not_a_command());
            }
            let known: Vec<&'static str> = set.commands().iter().map(CommandSpec::name).collect();
            let all_names: Vec<&'static str> =
                set.commands().iter().flat_map(CommandSpec::names).collect();
            return Err(CommandError::new(CommandErrorKind::UnknownCommand {
                prefix,
                name: addressed.name.to_owned(),
                suggestion: finchat_cui_rules::did_you_mean(addressed.name, &all_names),
                known,
            }));
        };
        let mut arguments = Arguments::new(&set.commands()[index], prefix, addressed.rest);
        let command = Self::from_arguments(index, &mut arguments)?;
        arguments.finish()?;
        Ok(command)
    }

    /// Reads a received message as a command: the body of an `m.text` (a direct room) or an
    /// `m.alert` (an @-mention of the bot in a group room), as [`CuiCommands::parse`] does.
    ///
    /// # Errors
    ///
    /// [`CommandErrorKind::NotACommand`] for any other msgtype, else as [`CuiCommands::parse`].
    fn from_content(content: &MessageContent) -> Result<Self, CommandError> {
        match content {
            MessageContent::Text(text) | MessageContent::Alert(text) => Self::parse(&text.body),
            _ => Err(CommandError::not_a_command(Self::command_set())),
        }
    }

    /// The help as plain text: one line per command, `/expense <amount> [reason…] — 报销`.
    fn help_text() -> String {
        help::text(Self::command_set())
    }

    /// The help as a card (`m.cui`): a title, then each command's usage and description.
    fn help_card() -> CuiContent {
        help::card(Self::command_set())
    }
}
