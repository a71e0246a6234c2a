//! Rendering content for people: the plain-text fallback and the HTML preview of a card.
//!
//! [`plain_text`] gives what a notification or a client without cards can show, for any content;
//! [`card_text`] does the same for a card alone, e.g. as its `body`. [`html_card`] draws a card as a
//! plain HTML form (no JavaScript) and [`html_page`] wraps any content in a standalone page with its
//! stylesheet, for previews and debugging.
//!
//! ```
//! use finchat_cui::element::{Reply, TextInput};
//! use finchat_cui::render::{html_card, html_page, HtmlOptions};
//! use finchat_cui::{Card, MessageContent, Status};
//!
//! let card = Card::form()
//!     .text("报销申请 #42")
//!     .input(TextInput::new("amount").placeholder("金额").value("1200"))
//!     .reply(Reply::new("decision", "同意"))
//!     .reply(Reply::new("decision", "驳回"));
//! assert_eq!(card.to_plain_text(), "报销申请 #42\n金额: 1200\n[ 同意 ]\n[ 驳回 ]");
//!
//! // The card as an HTML form: handled cards come out read-only.
//! let options = HtmlOptions::new().form_action("/cui/submit");
//! let html = html_card(&card.with_status(Status::Disable), &options);
//! assert!(html.starts_with(r#"<form class="cui-card" data-status="disable""#));
//! assert!(html.contains("<fieldset disabled>"));
//!
//! // A whole page for any content, with the stylesheet inline.
//! let page = html_page(&MessageContent::from(card), &options);
//! assert!(page.starts_with("<!doctype html>"));
//! ```

mod html;
pub(crate) mod links;
mod options;
mod page;
mod relations;
mod text;

pub use html::{Escaped, escape_html, html_card};
pub use options::HtmlOptions;
pub use page::html_page;
pub use text::{card_text, plain_text};

pub(crate) use relations::label_of;

/// The stylesheet [`html_page`] inlines; include it in your own page when you embed [`html_card`]
/// fragments.
///
/// Besides the `cui-*` classes it sets the page's `body` padding and background; it loads no fonts,
/// images or other external resources.
pub const STYLESHEET: &str = include_str!("render/preview.css");

use crate::{Card, MessageContent};

impl MessageContent {
    /// The plain-text fallback of this content; see [`plain_text`].
    pub fn to_plain_text(&self) -> String {
        plain_text(self)
    }
}

impl Card {
    /// What a platform without cards can show for this card; see [`card_text`].
    pub fn to_plain_text(&self) -> String {
        card_text(self)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::element::{Divider, Dropdown, Reply, TextInput};
    use crate::{Card, Color};

    /// An expense approval, exclusive to the approver, as an app would send it.
    pub(crate) fn approval_card() -> Card {
        Card::form()
            .text("报销申请 #42")
            .text("申请人：张三 · 差旅费 · 3 张发票")
            .element(
                Divider::new()
                    .height(1)
                    .background(Color::parse("#e5e6eb").unwrap()),
            )
            .image("mxc://example.org/Receipt42".parse().unwrap())
            .input(
                TextInput::new("amount")
                    .placeholder("金额（元）")
                    .value("1200"),
            )
            .dropdown(
                Dropdown::new("dept")
                    .placeholder("费用归属部门")
                    .option("财务部", "fin")
                    .option("运营部", "ops")
                    .value("ops"),
            )
            .input(TextInput::new("comment").placeholder("审批意见"))
            .reply(Reply::new("decision", "同意"))
            .reply(Reply::new("decision", "驳回"))
            .openurl(
                "查看详情",
                "https://oa.example.org/expense/42".parse().unwrap(),
            )
            .exclusive_to(["@manager:example.org".parse().unwrap()])
    }
}
