//! Helpers of the fuzz targets: the HTML oracle and the structured content generator, kept in a
//! library so `cargo test` here checks that the oracle catches what it must.

pub mod content_gen;
pub mod html_check;
