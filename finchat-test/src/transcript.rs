//! Transcripts: a room's story as text, for reading a failure and for insta snapshots.
//!
//! ```text
//! == 财务部 (!finance:sandbox) ==
//! 机器人 ▸ card $00000004:sandbox · disable · updated 2 times
//!   | 报销申请 #42
//!   | 已同意：@alice:sandbox ¥1200（无意见）
//! 张三 ▸ submits $00000004:sandbox: amount=1200, decision=同意
//! 李四: 好的
//!
//! == 李四 ↔ 机器人 (!direct-bob:sandbox) ==
//! 机器人: 此卡片已由 @alice:sandbox 处理，你的提交未被采纳。
//! ```

use std::fmt::Write as _;

use finchat_client::events::{Event, EventContent};
use finchat_cui::render::plain_text;
use finchat_cui::{Fcid, MessageContent, RoomId};
use finchat_sandbox::SandboxMessage;

use super::world::TestWorld;

/// One line of the story: a message in the room, or a submission of one of its cards.
enum Entry<'a> {
    Message(&'a SandboxMessage),
    Submission(&'a Event),
}

impl Entry<'_> {
    fn event_id(&self) -> &str {
        match self {
            Entry::Message(message) => message.event_id.as_str(),
            Entry::Submission(event) => &event.event_id,
        }
    }
}

/// Every room with a message or a submission in it, in the sandbox's order.
pub(crate) fn world(world: &TestWorld) -> String {
    let events = world.sandbox().events();
    let rooms = world.sandbox().rooms();
    let parts: Vec<String> = rooms
        .iter()
        .filter_map(|room| story(world, room, &events))
        .collect();
    parts.join("\n")
}

/// One room's story (its heading alone when nothing happened in it).
pub(crate) fn room(world: &TestWorld, room: &RoomId) -> String {
    let events = world.sandbox().events();
    story(world, room, &events)
        .unwrap_or_else(|| format!("{}(nothing yet)\n", heading(world, room)))
}

/// `== 财务部 (!finance:sandbox) ==`.
fn heading(world: &TestWorld, room: &RoomId) -> String {
    format!("== {} ==\n", label(world, room))
}

/// How a room is called: `财务部 (!finance:sandbox)`, a direct room `李四 ↔ 机器人 (!direct-bob:sandbox)`.
pub(crate) fn label(world: &TestWorld, room: &RoomId) -> String {
    let handle = world.sandbox();
    if let Some(name) = handle.room_name(room) {
        return format!("{name} ({room})");
    }
    let bot = world.bot();
    let person = handle
        .users()
        .into_iter()
        .find(|p| handle.direct_room(p).as_ref() == Some(room));
    match person {
        Some(person) => format!("{} ↔ {} ({room})", name(world, &person), name(world, &bot)),
        None => room.to_string(),
    }
}

fn story(world: &TestWorld, room: &RoomId, events: &[Event]) -> Option<String> {
    let handle = world.sandbox();
    let messages = handle.messages(room);
    let mut entries: Vec<Entry<'_>> = messages.iter().map(Entry::Message).collect();
    entries.extend(
        events
            .iter()
            .filter(|e| e.room_id.as_deref() == Some(room.as_str()))
            .filter(|e| matches!(e.content, EventContent::Submission(_)))
            .map(Entry::Submission),
    );
    if entries.is_empty() {
        return None;
    }
    entries.sort_by(|a, b| a.event_id().cmp(b.event_id()));
    let updates = world.update_calls();
    let members = handle.members(room);
    let mut out = heading(world, room);
    for entry in entries {
        match entry {
            Entry::Message(message) => {
                let updated = updates
                    .iter()
                    .filter(|call| {
                        call.status == 200
                            && call.origin_event().as_ref() == Some(&message.event_id)
                    })
                    .count();
                write_message(&mut out, world, message, updated, &members);
            }
            Entry::Submission(event) => write_submission(&mut out, world, event),
        }
    }
    Some(out)
}

fn name(world: &TestWorld, fcid: &Fcid) -> String {
    world
        .sandbox()
        .name(fcid)
        .unwrap_or_else(|| fcid.to_string())
}

fn write_message(
    out: &mut String,
    world: &TestWorld,
    message: &SandboxMessage,
    updated: usize,
    members: &[Fcid],
) {
    let sender = name(world, &message.sender);
    match &message.content {
        MessageContent::Cui(_) => {
            let _ = write!(out, "{sender} ▸ {}", card_line(message, &message.content));
            match updated {
                0 => out.push('\n'),
                1 => out.push_str(" · updated once\n"),
                n => {
                    let _ = writeln!(out, " · updated {n} times");
                }
            }
            write_card_body(out, &message.content);
            for member in members {
                let own = message.content_for(member);
                if own != &message.content {
                    let status = own.card().map_or("", |c| c.status.as_str());
                    let _ = writeln!(
                        out,
                        "  {} sees their own copy · {status}",
                        name(world, member)
                    );
                    write_card_body(out, own);
                }
            }
        }
        content => {
            let text = plain_text(content).replace('\n', "\n  ");
            let _ = writeln!(out, "{sender}: {text}");
        }
    }
}

fn card_line(message: &SandboxMessage, content: &MessageContent) -> String {
    let status = content.card().map_or("", |c| c.status.as_str());
    format!("card {} · {status}", message.event_id)
}

fn write_card_body(out: &mut String, content: &MessageContent) {
    for line in plain_text(content).lines() {
        let _ = writeln!(out, "  | {line}");
    }
}

fn write_submission(out: &mut String, world: &TestWorld, event: &Event) {
    let EventContent::Submission(submission) = &event.content else {
        return;
    };
    let sender = event
        .sender
        .parse::<Fcid>()
        .map_or_else(|_| event.sender.clone(), |fcid| name(world, &fcid));
    let values: Vec<String> = submission
        .info
        .iter()
        .map(|(key, value)| match value.as_str() {
            Some(text) => format!("{key}={text}"),
            None => format!("{key}={value}"),
        })
        .collect();
    let card = event.origin_event.as_deref().unwrap_or("?");
    let _ = writeln!(out, "{sender} ▸ submits {card}: {}", values.join(", "));
}
