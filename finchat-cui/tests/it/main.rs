//! Integration tests of finchat-cui: the documented samples, builders, validation rules, properties,
//! schemas and rendering.

mod builders;
mod fixtures;
mod properties;
mod rules;
mod schema;
mod support;
