//! Integration tests of finchat-cui: the documented samples, builders, validation rules, properties,
//! schemas and rendering.

mod builders;
mod commands;
mod cui;
mod fixtures;
mod form;
mod properties;
mod readme;
mod rules;
mod schema;
mod support;
