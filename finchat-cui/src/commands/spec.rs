//! What a command enum declares: its prefix and, per command, its name, aliases, arguments and
//! description. The derive writes it as a `static`; parsing and the help read it.

use std::fmt;

/// The prefix and commands of a [`CuiCommands`](crate::CuiCommands) enum, in declaration order.
#[derive(Debug)]
pub struct CommandSet {
    prefix: &'static str,
    commands: &'static [CommandSpec],
}

/// One command: its name, aliases, arguments and description.
#[derive(Debug)]
pub struct CommandSpec {
    name: &'static str,
    aliases: &'static [&'static str],
    arguments: &'static [ArgumentSpec],
    description: &'static str,
}

/// One argument of a command: its name (as the usage line shows it) and how it is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgumentSpec {
    name: &'static str,
    kind: ArgumentKind,
}

/// How an argument is taken from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgumentKind {
    /// One word (or one quoted text); it must be there. Usage `<name>`.
    Required,
    /// One word, `Option<T>`: `None` when the text ends before it. Usage `[name]`.
    Optional,
    /// All the text that is left, spaces included; it must be there. Usage `<name…>`.
    Rest,
    /// All the text that is left, `Option<T>`: `None` when nothing is left. Usage `[name…]`.
    OptionalRest,
}

impl CommandSet {
    #[doc(hidden)]
    pub const fn new(prefix: &'static str, commands: &'static [CommandSpec]) -> Self {
        Self { prefix, commands }
    }

    /// What a command starts with, e.g. `/`.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The commands, in declaration order.
    pub fn commands(&self) -> &'static [CommandSpec] {
        self.commands
    }

    /// The command called `name` (or with `name` as an alias), ASCII case ignored, since phones
    /// capitalise the first word: `Expense` finds `expense`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.commands.iter().position(|command| {
            command
                .names()
                .any(|known| known.eq_ignore_ascii_case(name))
        })
    }
}

impl CommandSpec {
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        aliases: &'static [&'static str],
        arguments: &'static [ArgumentSpec],
        description: &'static str,
    ) -> Self {
        Self {
            name,
            aliases,
            arguments,
            description,
        }
    }

    /// The name, without the prefix.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Other names it answers to.
    pub fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }

    /// The name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }

    /// The arguments, in order.
    pub fn arguments(&self) -> &'static [ArgumentSpec] {
        self.arguments
    }

    /// What it does (from `#[cui(description = "…")]` or the variant's doc comment); may be empty.
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// The usage line with `prefix`, e.g. `/expense <amount> [reason…]`.
    pub fn usage(&self, prefix: &str) -> String {
        let mut usage = format!("{prefix}{}", self.name);
        for argument in self.arguments {
            usage.push(' ');
            usage.push_str(&argument.to_string());
        }
        usage
    }
}

impl ArgumentSpec {
    #[doc(hidden)]
    pub const fn new(name: &'static str, kind: ArgumentKind) -> Self {
        Self { name, kind }
    }

    /// The name: the field's name, or for a tuple variant's field its `name` or its type.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How it is taken from the text.
    pub fn kind(&self) -> ArgumentKind {
        self.kind
    }
}

/// As the usage line shows it: `<amount>`, `[reason]`, `<text…>`, `[text…]`.
impl fmt::Display for ArgumentSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name;
        match self.kind {
            ArgumentKind::Required => write!(f, "<{name}>"),
            ArgumentKind::Optional => write!(f, "[{name}]"),
            ArgumentKind::Rest => write!(f, "<{name}…>"),
            ArgumentKind::OptionalRest => write!(f, "[{name}…]"),
        }
    }
}
