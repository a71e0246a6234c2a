//! The page a person uses: pick who you are, pick a room, read its messages, fill in its cards (drawn
//! by finchat-cui's HTML renderer, in their current state, per person for exclusive cards) and talk to
//! the bot.

use std::fmt::{self, Write};

use finchat_cui::render::{STYLESHEET, escape_html as esc};
use finchat_cui::{EventId, Fcid, RoomId};

use super::message_view::{CardFrame, write_content};
use super::world::{Room, SandboxMessage, World};

/// Where the page serves media, without the API's token.
pub(crate) const MEDIA_BASE: &str = "/sandbox/media";

/// Where the page's script is served.
pub(crate) const SCRIPT: &str = "/sandbox/page.js";
/// The page's script: it redraws the page when the sandbox changes.
pub(crate) const SCRIPT_SOURCE: &str = include_str!("page.js");

/// What the page shows.
pub(crate) struct View {
    pub person: Fcid,
    pub room: Option<RoomId>,
    pub error: Option<String>,
    pub live: bool,
    /// A line about the callback pushes, if there is a callback.
    pub push_status: Option<String>,
}

/// The HTML id of a card: `card-` and its event id without `$` and `:`.
pub fn card_dom_id(event_id: &EventId) -> String {
    let plain: String = event_id
        .as_str()
        .chars()
        .filter(|c| *c != '$' && *c != ':')
        .collect();
    format!("card-{plain}")
}

/// `text` URL-encoded for a query string.
pub(crate) fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The page of `person` in `room`.
pub(crate) fn page_url(person: &Fcid, room: Option<&RoomId>) -> String {
    match room {
        Some(room) => format!("/?as={}&room={}", enc(person.as_str()), enc(room.as_str())),
        None => format!("/?as={}", enc(person.as_str())),
    }
}

/// The whole page.
pub(crate) fn render(state: &World, app_id: &str, view: &View) -> String {
    let mut out = String::new();
    // Writing into a String never fails.
    let _ = write_page(&mut out, state, app_id, view);
    out
}

/// The start of each of the sandbox's pages, up to its open `<body>` with `body_attributes`
/// (written as given): its title, finchat-cui's stylesheet (the pages draw cards) and the
/// sandbox's.
pub(crate) fn write_document_start(
    out: &mut String,
    title: &str,
    body_attributes: fmt::Arguments<'_>,
) -> fmt::Result {
    write!(
        out,
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLESHEET}\n{}</style>\n</head>\n\
         <body {body_attributes}>\n",
        esc(title),
        include_str!("page.css"),
    )
}

/// A mistake in what the page was asked for, announced above the page's content.
pub(crate) fn write_error(out: &mut String, error: &str) -> fmt::Result {
    writeln!(
        out,
        "<p class=\"sb-error\" role=\"alert\">{}</p>",
        esc(error)
    )
}

/// How a room is called for `person`.
fn room_label(state: &World, room: &Room) -> String {
    match (&room.direct_with, &room.name) {
        (Some(_), _) => format!("{}（直聊）", state.bot.name),
        (None, Some(name)) if !name.is_empty() => name.clone(),
        _ => room.room_id.to_string(),
    }
}

fn write_page(out: &mut String, state: &World, app_id: &str, view: &View) -> fmt::Result {
    let person = &view.person;
    let room = view
        .room
        .as_ref()
        .and_then(|r| state.room(r))
        .filter(|r| r.has_member(person));
    let title = match room {
        Some(room) => format!(
            "{} · {} · FinChat sandbox",
            state.name_of(person),
            room_label(state, room)
        ),
        None => format!("{} · FinChat sandbox", state.name_of(person)),
    };
    write_document_start(
        out,
        &title,
        format_args!(
            "class=\"sb\" data-rev=\"{}\" data-as=\"{}\"",
            state.rev,
            esc(person.as_str())
        ),
    )?;
    out.push_str("<a class=\"sb-skip\" href=\"#messages\">跳到消息</a>\n");
    write_header(out, state, app_id, view)?;
    out.push_str("<div class=\"sb-layout\">\n");
    write_room_list(out, state, person, room.map(|r| &r.room_id))?;
    out.push_str("<main class=\"sb-room\" id=\"messages\" tabindex=\"-1\">\n");
    if let Some(error) = &view.error {
        write_error(out, error)?;
    }
    match room {
        Some(room) => write_room(out, state, person, room)?,
        None => out.push_str("<p class=\"sb-empty\">选择左侧的房间。</p>\n"),
    }
    out.push_str("</main>\n</div>\n");
    if view.live {
        writeln!(out, "<script src=\"{SCRIPT}\" defer></script>")?;
    }
    out.push_str("</body>\n</html>\n");
    Ok(())
}

fn write_header(out: &mut String, state: &World, app_id: &str, view: &View) -> fmt::Result {
    out.push_str("<header class=\"sb-header\">\n<span class=\"sb-brand\">FinChat sandbox</span>\n<nav class=\"sb-people\" aria-label=\"我是\">我是：");
    for person in &state.people {
        let current = person.fcid == view.person;
        let room = state.direct_room(&person.fcid).map(|r| &r.room_id);
        write!(
            out,
            "<a href=\"{}\" data-fcid=\"{}\" title=\"{}\"{}>{}</a>",
            esc(&page_url(&person.fcid, room)),
            esc(person.fcid.as_str()),
            esc(person.fcid.as_str()),
            if current {
                " aria-current=\"page\""
            } else {
                ""
            },
            esc(&person.name)
        )?;
    }
    out.push_str("</nav>\n");
    writeln!(
        out,
        "<a class=\"sb-tool\" href=\"{}\">卡片试验台</a>\n<a class=\"sb-tool\" href=\"{}\">活动记录</a>",
        super::playground::PATH,
        super::inspector::PAGE
    )?;
    write!(
        out,
        "<span class=\"sb-status\">app <code>{}</code> · bot <code>{}</code>",
        esc(app_id),
        esc(state.bot.fcid.as_str())
    )?;
    if let Some(status) = &view.push_status {
        write!(out, " · {}", esc(status))?;
    }
    out.push_str("</span>\n");
    write_reset_button(out, &view.person)?;
    out.push_str("</header>\n");
    Ok(())
}

/// The Reset button: a form of its own, posting who is looking so that they come back to their page.
fn write_reset_button(out: &mut String, person: &Fcid) -> fmt::Result {
    writeln!(
        out,
        "<form class=\"sb-reset\" method=\"post\" action=\"{}\">\
         <input type=\"hidden\" name=\"as\" value=\"{}\">\
         <button type=\"submit\" title=\"清空所有消息、文件和事件，回到初始的人员和房间\">重置沙盒</button></form>",
        super::reset::FORM_PATH,
        esc(person.as_str())
    )
}

fn write_room_list(
    out: &mut String,
    state: &World,
    person: &Fcid,
    current: Option<&RoomId>,
) -> fmt::Result {
    out.push_str("<nav class=\"sb-rooms\" aria-label=\"房间\">\n<h2>房间</h2>\n<ul>\n");
    for room in state.rooms.iter().filter(|r| r.has_member(person)) {
        writeln!(
            out,
            "<li><a href=\"{}\" data-room-id=\"{}\"{}>{}</a></li>",
            esc(&page_url(person, Some(&room.room_id))),
            esc(room.room_id.as_str()),
            if current == Some(&room.room_id) {
                " aria-current=\"page\""
            } else {
                ""
            },
            esc(&room_label(state, room))
        )?;
    }
    out.push_str("</ul>\n</nav>\n");
    Ok(())
}

fn write_room(out: &mut String, state: &World, person: &Fcid, room: &Room) -> fmt::Result {
    writeln!(
        out,
        "<h1 data-room-id=\"{}\">{}<small>{}</small></h1>",
        esc(room.room_id.as_str()),
        esc(&room_label(state, room)),
        esc(room.room_id.as_str())
    )?;
    if let Some(topic) = room.topic.as_deref().filter(|t| !t.is_empty()) {
        writeln!(out, "<p class=\"sb-meta\">群公告：{}</p>", esc(topic))?;
    }
    out.push_str("<ol class=\"sb-messages\">\n");
    if room.messages.is_empty() {
        out.push_str("<li class=\"sb-empty\">还没有消息。</li>\n");
    }
    for message in &room.messages {
        write_message(out, state, person, room, message)?;
    }
    out.push_str("</ol>\n");
    let hint = if room.is_direct() {
        format!("对{}说…", state.bot.name)
    } else {
        format!("群聊中机器人只收到 @{} 的消息", state.bot.name)
    };
    writeln!(
        out,
        "<form class=\"sb-say\" method=\"post\" action=\"/sandbox/say\">\
         <input type=\"hidden\" name=\"as\" value=\"{}\"><input type=\"hidden\" name=\"room\" value=\"{}\">\
         <input type=\"text\" name=\"body\" placeholder=\"{}\" aria-label=\"消息\" required autocomplete=\"off\">\
         <button type=\"submit\">发送</button></form>",
        esc(person.as_str()),
        esc(room.room_id.as_str()),
        esc(&hint)
    )
}

fn write_message(
    out: &mut String,
    state: &World,
    person: &Fcid,
    room: &Room,
    message: &SandboxMessage,
) -> fmt::Result {
    let mine = &message.sender == person;
    writeln!(
        out,
        "<li class=\"sb-message{}\" id=\"msg-{}\" data-message-id=\"{}\" data-sender=\"{}\">\
         <div class=\"sb-meta\">{} · {}</div>",
        if mine { " sb-mine" } else { "" },
        esc(&card_dom_id(&message.event_id)["card-".len()..]),
        esc(message.event_id.as_str()),
        esc(message.sender.as_str()),
        esc(&state.name_of(&message.sender)),
        clock(message.timestamp)
    )?;
    let frame = CardFrame {
        dom_id: card_dom_id(&message.event_id),
        event_id: Some(&message.event_id),
        action: format!(
            "/sandbox/submit?as={}&room={}&event={}",
            enc(person.as_str()),
            enc(room.room_id.as_str()),
            enc(message.event_id.as_str())
        ),
        notes: Default::default(),
    };
    write_content(out, message.content_for(person), &frame)?;
    out.push_str("</li>\n");
    Ok(())
}

/// `hh:mm:ss UTC` of a timestamp in milliseconds.
fn clock(ms: i64) -> String {
    let seconds = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02} UTC",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}
