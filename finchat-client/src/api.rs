//! The API areas, one module each: `client.messages()`, `client.media()`, …

pub mod media;
pub mod messages;
pub mod report;
