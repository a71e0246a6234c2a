//! The typed wire model of FinChat message content: text, text cards, images, files and interactive
//! CUI cards (`m.cui`), with builders, validation that reports every problem at once, plain-text and
//! HTML rendering, JSON Schema, and typed access to what users submit.
//!
//! Receiving is forgiving: unknown msgtypes, element types and fields are kept and round-trip
//! unchanged. Sending is strict: [`MessageContent::validate`] names every broken rule by its path.
//!
//! Three ways to write a card, all giving the same JSON: the builders below, the [`cui!`] DSL (grammar,
//! examples and return type in [`dsl`]), and [`macro@CuiForm`], which makes a struct a form and reads a
//! submission back into it.
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `macros` | on | the `cui!` DSL and `#[derive(CuiForm)]` / `#[derive(CuiChoice)]` / `#[derive(CuiCommands)]` (finchat-cui-macros) |
//! | `schema` | on | JSON Schemas of content, cards and submissions (`schema`, `CuiForm::schema`; schemars) |
//!
//! A crate that only reads and writes content (as finchat-client does) can turn both off.
//!
//! ```
//! use finchat_cui::element::{Dropdown, Reply, TextInput};
//! use finchat_cui::{Card, MessageContent, Status, Submission};
//!
//! // An approval form, without any macro.
//! let card = Card::form()
//!     .text("报销申请 #42")
//!     .input(TextInput::new("amount").placeholder("金额").value("1200"))
//!     .dropdown(Dropdown::new("dept").option("财务部", "fin").option("运营部", "ops").value("fin"))
//!     .reply(Reply::new("decision", "同意"))
//!     .reply(Reply::new("decision", "驳回"));
//! let content = MessageContent::from(card.clone()).validated()?;
//! let json = serde_json::to_string(&content)?;
//! assert!(json.starts_with(r#"{"msgtype":"m.cui","version":"0.1.0","body":"[交互卡片]","info":{"type":"form""#));
//!
//! // What comes back when a user presses 同意.
//! let submission: Submission =
//!     serde_json::from_str(r#"{"action":"submit","info":{"amount":"1200","dept":"fin","decision":"同意"}}"#)?;
//! assert_eq!(submission.get::<u32>("amount")?, 1200);
//!
//! // The update that closes the card.
//! let closed = MessageContent::from(card.with_status(Status::Disable));
//! assert_eq!(closed.card().unwrap().status, Status::Disable);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

mod card;
mod checked_string;
mod color;
pub mod commands;
pub mod content;
#[doc = include_str!("dsl.md")]
pub mod dsl {}
#[doc(hidden)]
pub mod __private;
pub mod element;
mod form;
mod http_url;
mod id;
pub mod lint;
mod problem;
pub mod render;
#[cfg(feature = "schema")]
pub mod schema;
mod submission;
pub mod template;
mod type_name;
mod validate;
mod wire;
mod word_list;

pub use card::{Card, CardType, Status};
pub use color::{Color, ColorError};
pub use commands::{CommandError, CommandErrorKind, CuiCommands};
pub use content::cui::Version;
pub use content::textcard::OpenType;
pub use content::{
    CuiContent, FileContent, FileInfo, ImageContent, ImageInfo, MessageContent, OtherContent,
    TextCardContent, TextCardInfo, TextContent,
};
pub use element::Element;
#[cfg(feature = "macros")]
#[doc = include_str!("form/cui_choice.md")]
pub use finchat_cui_macros::CuiChoice;
#[cfg(feature = "macros")]
#[doc = include_str!("commands/cui_commands.md")]
pub use finchat_cui_macros::CuiCommands;
#[cfg(feature = "macros")]
#[doc = include_str!("form/cui_form.md")]
pub use finchat_cui_macros::CuiForm;
/// Writes a FinChat message like the card it shows; see [`dsl`] for the grammar and the return type.
#[cfg(feature = "macros")]
pub use finchat_cui_macros::cui;
pub use form::{CuiChoice, CuiForm, FormErrors};
pub use http_url::{HttpUrl, UrlError};
pub use id::{EventId, Fcid, IdError, MxcUri, RoomId};
pub use lint::{Lint, LintKind, Lints};
pub use problem::{Path, Problem, ProblemKind, Problems, Segment};
pub use submission::{Action, FromSubmitted, Submission, SubmissionError, SubmissionErrorKind};
pub use validate::SENDABLE_MSGTYPES;
pub use word_list::UnknownWordError;

/// This crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
