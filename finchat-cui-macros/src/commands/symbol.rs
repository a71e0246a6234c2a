//! The attribute names of `#[derive(CuiCommands)]`, in one place.

pub const PREFIX: &str = "prefix";
pub const RENAME_RULE: &str = "rename_rule";
pub const DESCRIPTION: &str = "description";
pub const RENAME: &str = "rename";
pub const ALIAS: &str = "alias";
pub const NAME: &str = "name";
pub const REST: &str = "rest";

/// What `#[cui(…)]` takes above the enum.
pub const ENUM_ATTRS: &[&str] = &[PREFIX, RENAME_RULE];
/// What `#[cui(…)]` takes on a variant (a command).
pub const VARIANT_ATTRS: &[&str] = &[DESCRIPTION, RENAME, ALIAS];
/// What `#[cui(…)]` takes on a variant's field (an argument).
pub const FIELD_ATTRS: &[&str] = &[NAME, REST];
/// The only attribute that may be written more than once on one place.
pub const REPEATABLE: &[&str] = &[ALIAS];

/// Words from other derives (teloxide, serde, clap) and the attribute that does that job here.
pub const ENUM_HABITS: &[(&str, &str)] = &[("rename_all", RENAME_RULE), ("command_prefix", PREFIX)];
pub const VARIANT_HABITS: &[(&str, &str)] = &[
    ("help", DESCRIPTION),
    ("about", DESCRIPTION),
    ("aliases", ALIAS),
    ("command", RENAME),
    ("name", RENAME),
];
pub const FIELD_HABITS: &[(&str, &str)] = &[("rename", NAME), ("trailing", REST)];

/// The prefix when the enum has none.
pub const DEFAULT_PREFIX: &str = "/";

/// The `rename_rule`s, and what each makes of `ExpenseReport`.
pub const RENAME_RULES: &[&str] = &[
    "lowercase",
    "UPPERCASE",
    "snake_case",
    "kebab-case",
    "camelCase",
    "PascalCase",
    "SCREAMING_SNAKE_CASE",
];
