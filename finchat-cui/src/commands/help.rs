//! The generated help of a command enum: one line per command (usage, aliases, description), as
//! plain text and as a card.

use super::spec::{CommandSet, CommandSpec};
use crate::{Card, CuiContent};

/// The card's first line.
const HELP_TITLE: &str = "可用命令";

/// `/lookup <who> <month>`, with `(also /查询)` after it when the command has aliases.
fn heading(set: &CommandSet, command: &CommandSpec) -> String {
    let prefix = set.prefix();
    let mut heading = command.usage(prefix);
    let aliases: Vec<String> = command
        .aliases()
        .iter()
        .map(|alias| format!("{prefix}{alias}"))
        .collect();
    if !aliases.is_empty() {
        heading.push_str(&format!(" (also {})", aliases.join(", ")));
    }
    heading
}

/// The heading, then the description after `separator` when there is one.
fn entry(set: &CommandSet, command: &CommandSpec, separator: &str) -> String {
    let heading = heading(set, command);
    match command.description() {
        "" => heading,
        description => format!("{heading}{separator}{description}"),
    }
}

/// Every command on its own line, in declaration order: `/expense <amount> [reason…] — 报销`.
pub(crate) fn text(set: &CommandSet) -> String {
    let lines: Vec<String> = set
        .commands()
        .iter()
        .map(|command| entry(set, command, " — "))
        .collect();
    lines.join("\n")
}

/// A shared card: the title, a divider, then one text per command (usage, then description on the
/// next line). Its body, shown where the card cannot be drawn, is the plain-text help.
pub(crate) fn card(set: &CommandSet) -> CuiContent {
    let entries = set
        .commands()
        .iter()
        .map(|command| entry(set, command, "\n"));
    let card = entries.fold(Card::form().text(HELP_TITLE).divider(), Card::text);
    CuiContent::new(card).body(format!("{HELP_TITLE}\n{}", text(set)))
}
