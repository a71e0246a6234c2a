//! The wire form of content, cards, elements and dropdown options: reading them forgivingly (a field
//! that does not fit keeps the whole object as received, with every reason) and writing what cannot
//! derive `Serialize`. Each object is read through a table of named fields ([`field_table`]).

mod card;
mod content;
mod content_info;
mod element;
mod field_error;
mod field_table;
mod lenient;
mod options;
mod write;

pub(crate) use content::why_not_typed as why_content_is_not_typed;
pub(crate) use element::{KNOWN_PAIRS, why_not_typed as why_element_is_not_typed};
pub(crate) use field_error::json_type;
