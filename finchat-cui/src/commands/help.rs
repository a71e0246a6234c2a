//! The generated help of a command enum: one line per command (usage, aliases, description), as
//! plain text and as a card.

use super::spec::{CommandSet, CommandSpec};
use crate::{Card, CuiContent};

/// The card's first line.
const HELP_TITLE: &str = "可用命令";

/// `/expense <amount> [reason…] — 报销` (with `(also /bx)` after the usage when it has aliases).
fn usage_line(set: &CommandSet, command: &CommandSpec) -> String {
    let prefix = set.prefix();
    let mut line = command.usage(prefix);
    let aliases: Vec<String> = command
        .aliases()
        .iter()
        .map(|alias| format!("{prefix}{alias}"))
        .collect();
    if !aliases.is_empty() {
        line.push_str(&format!(" (also {})", aliases.join(", ")));
    }
    if !command.description().is_empty() {
        line.push_str(" — ");
        line.push_str(command.description());
    }
    line
}

/// Every command on its own line, in declaration order.
pub(crate) fn text(set: &CommandSet) -> String {
    let lines: Vec<String> = set
        .commands()
        .iter()
        .map(|command| usage_line(set, command))
        .collect();
    lines.join("\n")
}

/// A shared card: the title, a divider, then one text per command (usage, then description). Its
/// body, shown where the card cannot be drawn, is the plain-text help.
pub(crate) fn card(set: &CommandSet) -> CuiContent {
    let prefix = set.prefix();
    let lines = set.commands().iter().map(|command| {
        let usage = command.usage(prefix);
        match command.description() {
            "" => usage,
            description => format!("{usage}\n{description}"),
        }
    });
    let card = lines.fold(Card::form().text(HELP_TITLE).divider(), Card::text);
    CuiContent::new(card).body(format!("{HELP_TITLE}\n{}", text(set)))
}
