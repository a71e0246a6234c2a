//! The attribute names of `#[derive(CuiForm)]` and `#[derive(CuiChoice)]`, in one place.

/// The attribute both derives read: `#[cui(…)]`.
pub const CUI: &str = "cui";

pub const TITLE: &str = "title";
pub const SUBMIT: &str = "submit";
pub const LABEL: &str = "label";
pub const PLACEHOLDER: &str = "placeholder";
pub const KEY: &str = "key";
pub const DEFAULT: &str = "default";
pub const SKIP: &str = "skip";
pub const VALUE: &str = "value";

/// What `#[cui(…)]` takes above a `CuiForm` struct.
pub const STRUCT_ATTRS: &[&str] = &[TITLE, SUBMIT];
/// What `#[cui(…)]` takes on a `CuiForm` field.
pub const FIELD_ATTRS: &[&str] = &[LABEL, PLACEHOLDER, KEY, DEFAULT, SKIP];
/// What `#[cui(…)]` takes on a `CuiChoice` variant.
pub const VARIANT_ATTRS: &[&str] = &[LABEL, VALUE];
/// What `#[cui(…)]` takes above a `CuiChoice` enum: nothing.
pub const ENUM_ATTRS: &[&str] = &[];

/// Words from other derives (serde, clap) and the attribute that does that job here.
pub const STRUCT_HABITS: &[(&str, &str)] = &[("caption", SUBMIT), ("button", SUBMIT)];
pub const FIELD_HABITS: &[(&str, &str)] = &[
    ("rename", KEY),
    ("name", KEY),
    ("hint", PLACEHOLDER),
    ("ignore", SKIP),
];
pub const VARIANT_HABITS: &[(&str, &str)] = &[("rename", VALUE), ("name", LABEL), ("title", LABEL)];

/// The submit button's caption when the struct has no `submit`.
pub const DEFAULT_SUBMIT: &str = "提交";
