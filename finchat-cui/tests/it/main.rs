//! Integration tests of finchat-cui: the documented samples, builders, validation rules, properties,
//! schemas, TypeScript declarations and rendering.

mod builders;
mod commands;
mod cui;
mod fixtures;
mod form;
// The workspace's "tool not installed" rule, shared as a file: depending on finchat-test-support would
// build finchat-client and its HTTP stack for these tests.
#[path = "../../../test-support/src/missing.rs"]
mod missing;
mod properties;
mod readme;
mod rules;
mod schema;
mod support;
mod typescript;
