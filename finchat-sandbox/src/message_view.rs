//! How one message's content is drawn on the sandbox's pages: the room page and the card
//! playground share it, so a card looks the same in both.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use finchat_cui::render::{HtmlOptions, escape_html as esc, html_card};
use finchat_cui::{EventId, MessageContent, MxcUri};

use super::page::MEDIA_BASE;

/// How a card sits on a page.
pub(crate) struct CardFrame<'a> {
    /// The id of the card's form; the ids of its elements start with it.
    pub dom_id: String,
    /// The card's event (its `data-event-id`), for a card in a room.
    pub event_id: Option<&'a EventId>,
    /// Where the card's form posts.
    pub action: String,
    /// Notes drawn right after elements, by index (the playground's problems).
    pub notes: BTreeMap<usize, Vec<String>>,
}

/// Draws `content` as the room page shows it: a card as finchat-cui's form (focusable, so that a
/// link to it moves the focus there), text as text, media through the page's media route, and
/// any other content as its JSON.
pub(crate) fn write_content(
    out: &mut String,
    content: &MessageContent,
    frame: &CardFrame<'_>,
) -> fmt::Result {
    match content {
        MessageContent::Text(text) | MessageContent::Alert(text) => {
            writeln!(
                out,
                "<div class=\"sb-bubble sb-text\">{}</div>",
                esc(&text.body)
            )?;
        }
        MessageContent::Cui(cui) => {
            let mut options = HtmlOptions::new()
                .form_action(frame.action.as_str())
                .media_base_url(MEDIA_BASE)
                .id_prefix(frame.dom_id.as_str());
            options.notes.clone_from(&frame.notes);
            let html = html_card(&cui.info, &options);
            let event = frame
                .event_id
                .map(|id| format!(" data-event-id=\"{}\"", esc(id.as_str())))
                .unwrap_or_default();
            let tag = format!(
                "<form id=\"{}\"{event} tabindex=\"-1\" class=\"cui-card\"",
                esc(&frame.dom_id)
            );
            out.push_str(&html.replacen("<form class=\"cui-card\"", &tag, 1));
        }
        MessageContent::TextCard(card) => {
            let info = &card.info;
            writeln!(
                out,
                "<div class=\"sb-textcard\"><strong>{}</strong><div>{}</div>\
                 <a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a></div>",
                esc(&info.title),
                esc(&info.description),
                esc(info.url.as_str()),
                esc(&info.btntext)
            )?;
        }
        MessageContent::Image(image) => {
            writeln!(
                out,
                "<figure class=\"sb-image\"><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                esc(&media_url(&image.o_url)),
                esc(&image.body),
                esc(&image.body)
            )?;
        }
        MessageContent::File(file) => {
            writeln!(
                out,
                "<div class=\"sb-bubble sb-file\">文件：<a href=\"{}\" download=\"{}\">{}</a></div>",
                esc(&media_url(&file.o_url)),
                esc(&file.body),
                esc(&file.body)
            )?;
        }
        other => {
            let json = serde_json::to_string_pretty(other).unwrap_or_default();
            writeln!(out, "<pre class=\"sb-other\">{}</pre>", esc(&json))?;
        }
    }
    Ok(())
}

/// Where the page downloads `uri`.
fn media_url(uri: &MxcUri) -> String {
    format!("{MEDIA_BASE}/{}/{}", uri.server_name(), uri.media_id())
}
