//! The activity inspector: the page `/sandbox/inspector`, which shows the activity log (the bot's
//! API calls and the pushes) drawn on the server and refreshed by its script, and
//! `GET /sandbox/api/activity`, the same as JSON.

use std::fmt::{self, Write};
use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use finchat_cui::RoomId;
use finchat_cui::render::escape_html as esc;
use serde_json::{Value, json};

use super::activity::{
    ACTIVITY_LIMIT, Activity, ActivityEntry, ApiCall, Filter, Kind, PushActivity, PushAnswer,
    PushState,
};
use super::page::enc;
use super::shared::Shared;
use super::world::World;

/// The inspector page.
pub(crate) const PAGE: &str = "/sandbox/inspector";
/// Its script, served apart so that the page's policy allows no inline script.
pub(crate) const SCRIPT: &str = "/sandbox/inspector.js";
const SCRIPT_SOURCE: &str = include_str!("inspector.js");
/// The activity as JSON.
pub(crate) const ENDPOINT: &str = "/sandbox/api/activity";
/// How many entries are shown when no `limit` is asked for.
const DEFAULT_LIMIT: usize = 200;

/// The filters of a query string (`room`, `kind`, `limit`), and what was wrong with any of them
/// (a wrong one is left out).
fn filter(raw: Option<&str>) -> (Filter, Vec<String>) {
    let mut filter = Filter {
        room: None,
        kind: None,
        limit: DEFAULT_LIMIT,
    };
    let mut errors = Vec::new();
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.trim();
        match name.as_ref() {
            "room" if value.is_empty() => filter.room = None,
            "room" => match value.parse::<RoomId>() {
                Ok(room) => filter.room = Some(room),
                Err(e) => errors.push(format!("room `{value}`: {e}")),
            },
            "kind" => match value {
                "" | "all" => filter.kind = None,
                "call" | "calls" => filter.kind = Some(Kind::Call),
                "push" | "pushes" => filter.kind = Some(Kind::Push),
                other => errors.push(format!("kind `{other}`: use `call`, `push` or `all`")),
            },
            "limit" if value.is_empty() => filter.limit = DEFAULT_LIMIT,
            "limit" => match value.parse::<usize>().ok().filter(|n| *n > 0) {
                Some(limit) => filter.limit = limit.min(ACTIVITY_LIMIT),
                None => errors.push(format!(
                    "limit `{value}` is not a positive number (at most {ACTIVITY_LIMIT} are kept)"
                )),
            },
            _ => {}
        }
    }
    (filter, errors)
}

/// `GET /sandbox/api/activity?room=&kind=call|push&limit=`: `{"entries": […], "rev": n}`, the
/// newest first (200 unless `limit` says otherwise); `rev` changes whenever the log does.
pub(crate) async fn activity_json(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (filter, errors) = filter(raw.as_deref());
    if !errors.is_empty() {
        let error = errors.join("; ");
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
    }
    let (entries, rev) = shared.activity.select(&filter);
    Json(json!({ "entries": entries, "rev": rev })).into_response()
}

/// `GET /sandbox/inspector.js`.
pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT_SOURCE,
    )
        .into_response()
}

/// `GET /sandbox/inspector?room=&kind=&limit=`: the page, drawn with the filters of its query.
pub(crate) async fn show(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let (filter, errors) = filter(raw.as_deref());
    let (entries, rev) = shared.activity.select(&filter);
    let rooms = shared.read(room_choices);
    let page = Page {
        app_id: &shared.config.app_id,
        rooms: &rooms,
        filter: &filter,
        errors: &errors,
        entries: &entries,
        rev,
    };
    let mut html = String::new();
    // Writing into a String never fails.
    let _ = page.write(&mut html);
    Html(html).into_response()
}

/// Every room, with what the room filter calls it.
fn room_choices(state: &World) -> Vec<(RoomId, String)> {
    state
        .rooms
        .iter()
        .map(|room| {
            let label = match (&room.direct_with, &room.name) {
                (Some(person), _) => format!("direct: {}", state.name_of(person)),
                (None, Some(name)) if !name.is_empty() => name.clone(),
                _ => "group".to_owned(),
            };
            (room.room_id.clone(), format!("{label} · {}", room.room_id))
        })
        .collect()
}

/// What the page shows.
struct Page<'a> {
    app_id: &'a str,
    rooms: &'a [(RoomId, String)],
    filter: &'a Filter,
    errors: &'a [String],
    entries: &'a [ActivityEntry],
    rev: u64,
}

impl Page<'_> {
    fn write(&self, out: &mut String) -> fmt::Result {
        write!(
            out,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>活动记录 · FinChat sandbox</title>\n<style>\n{}{}</style>\n</head>\n\
             <body class=\"sb sb-inspector\">\n",
            include_str!("page.css"),
            include_str!("inspector.css"),
        )?;
        write!(
            out,
            "<header class=\"sb-header\">\n<span class=\"sb-brand\">FinChat sandbox</span>\n\
             <nav class=\"sb-pages\" aria-label=\"页面\"><a href=\"/\">房间</a>\
             <a href=\"/sandbox/playground\">卡片试验台</a>\
             <a href=\"{PAGE}\" aria-current=\"page\">活动记录</a></nav>\n\
             <span class=\"sb-status\">app <code>{}</code> · the newest {ACTIVITY_LIMIT} calls \
             and pushes, in memory · times in UTC</span>\n</header>\n",
            esc(self.app_id)
        )?;
        out.push_str("<main class=\"sb-inspector-main\">\n<h1>活动记录 <span lang=\"en\">(activity)</span></h1>\n");
        self.write_filters(out)?;
        for error in self.errors {
            writeln!(
                out,
                "<p class=\"sb-error\" role=\"alert\">{}</p>",
                esc(error)
            )?;
        }
        writeln!(
            out,
            "<ol class=\"sb-activity\" id=\"activity\" data-rev=\"{}\" aria-label=\"Activity, newest first\">",
            self.rev
        )?;
        if self.entries.is_empty() {
            out.push_str("<li class=\"sb-empty\">No activity yet.</li>\n");
        }
        for entry in self.entries {
            write_entry(out, entry)?;
        }
        writeln!(
            out,
            "</ol>\n</main>\n<script src=\"{SCRIPT}\" defer></script>\n</body>\n</html>"
        )
    }

    fn write_filters(&self, out: &mut String) -> fmt::Result {
        write!(
            out,
            "<form class=\"sb-filter\" id=\"activity-filter\" method=\"get\" action=\"{PAGE}\">\n\
             <label for=\"activity-room\">Room</label>\n\
             <select id=\"activity-room\" name=\"room\">\n<option value=\"\">All rooms</option>\n"
        )?;
        let chosen = self.filter.room.as_ref();
        let known = chosen.is_none_or(|room| self.rooms.iter().any(|(id, _)| id == room));
        if let (Some(room), false) = (chosen, known) {
            // A room the sandbox does not have (any more) stays chosen.
            writeln!(
                out,
                "<option value=\"{0}\" selected>{0}</option>",
                esc(room.as_str())
            )?;
        }
        for (room, label) in self.rooms {
            writeln!(
                out,
                "<option value=\"{}\"{}>{}</option>",
                esc(room.as_str()),
                selected(chosen == Some(room)),
                esc(label)
            )?;
        }
        out.push_str(
            "</select>\n<label for=\"activity-kind\">Kind</label>\n\
             <select id=\"activity-kind\" name=\"kind\">\n",
        );
        let kinds = [
            ("all", "Calls and pushes", None),
            ("call", "API calls", Some(Kind::Call)),
            ("push", "Pushes", Some(Kind::Push)),
        ];
        for (value, label, kind) in kinds {
            writeln!(
                out,
                "<option value=\"{value}\"{}>{label}</option>",
                selected(self.filter.kind == kind)
            )?;
        }
        out.push_str("</select>\n");
        if self.filter.limit != DEFAULT_LIMIT {
            writeln!(
                out,
                "<input type=\"hidden\" name=\"limit\" value=\"{}\">",
                self.filter.limit
            )?;
        }
        out.push_str("<button type=\"submit\">Show</button>\n</form>\n");
        Ok(())
    }
}

fn selected(yes: bool) -> &'static str {
    if yes { " selected" } else { "" }
}

/// One entry; `inspector.js` draws the same markup.
fn write_entry(out: &mut String, entry: &ActivityEntry) -> fmt::Result {
    match &entry.detail {
        Activity::Call(call) => write_call(out, entry, call),
        Activity::Push(push) => write_push(out, entry, push),
    }
}

fn write_call(out: &mut String, entry: &ActivityEntry, call: &ApiCall) -> fmt::Result {
    let refused = call.is_refused();
    write!(
        out,
        "<li class=\"sb-entry sb-call{}\" data-seq=\"{}\">\n<div class=\"sb-entry-head\">\
         <time>{}</time> <span class=\"sb-what\"><code>{}</code> <code>{}</code></span> \
         <span class=\"sb-code\">{}</span>",
        if refused { " sb-refused" } else { "" },
        entry.seq,
        clock(entry.at_ms),
        esc(&call.method),
        esc(&call.path),
        call.status
    )?;
    if let Some(errcode) = &call.errcode {
        write!(out, " <span class=\"sb-code\">{}</span>", esc(errcode))?;
    }
    out.push_str("</div>\n");
    if !call.rooms.is_empty() {
        out.push_str("<div class=\"sb-meta\">rooms: ");
        for (i, room) in call.rooms.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write!(
                out,
                "<a href=\"{PAGE}?room={}\"><code>{}</code></a>",
                esc(&enc(room.as_str())),
                esc(room.as_str())
            )?;
        }
        out.push_str("</div>\n");
    }
    if !call.problems.is_empty() {
        out.push_str(
            "<div class=\"sb-label\">Validation problems</div>\n<ul class=\"sb-problems\">\n",
        );
        for problem in &call.problems {
            writeln!(out, "<li>{}</li>", esc(problem))?;
        }
        out.push_str("</ul>\n");
    }
    if !call.results.is_empty() {
        out.push_str(
            "<div class=\"sb-label\">Per-target results</div>\n<ul class=\"sb-results\">\n",
        );
        for result in &call.results {
            let outcome = match (&result.event_id, &result.errcode) {
                (Some(event_id), None) => format!("ok {event_id}"),
                _ => format!(
                    "{}: {}",
                    result.errcode.as_deref().unwrap_or("failed"),
                    result.error.as_deref().unwrap_or("")
                ),
            };
            writeln!(
                out,
                "<li class=\"{}\"><code>{}</code> → {}</li>",
                if result.is_ok() { "sb-ok" } else { "sb-failed" },
                esc(&result.target),
                esc(&outcome)
            )?;
        }
        out.push_str("</ul>\n");
    }
    write_json(out, entry.seq, "Request", call.request.as_ref())?;
    write_json(out, entry.seq, "Response", call.response.as_ref())?;
    out.push_str("</li>\n");
    Ok(())
}

fn write_push(out: &mut String, entry: &ActivityEntry, push: &PushActivity) -> fmt::Result {
    let state = state_name(push.state);
    write!(
        out,
        "<li class=\"sb-entry sb-push sb-state-{state}\" data-seq=\"{}\">\n\
         <div class=\"sb-entry-head\"><time>{}</time> <span class=\"sb-what\">push \
         <code>{}</code> <code>{}</code></span> <span class=\"sb-code\">{state}</span></div>\n",
        entry.seq,
        clock(entry.at_ms),
        esc(&push.event_type),
        esc(&push.event_id),
    )?;
    let room = push.room.as_ref().map(RoomId::as_str).unwrap_or("none");
    writeln!(
        out,
        "<div class=\"sb-meta\">room <code>{}</code> · sender <code>{}</code></div>",
        esc(room),
        esc(push.sender.as_deref().unwrap_or("none"))
    )?;
    if push.attempts.is_empty() {
        let why = match push.state {
            PushState::Dropped => "No attempt: dropped unsent with the backlog.",
            _ => "No answer yet.",
        };
        writeln!(out, "<p class=\"sb-meta\">{why}</p>")?;
    } else {
        out.push_str("<div class=\"sb-label\">Attempts</div>\n<ol class=\"sb-attempts\">\n");
        for attempt in &push.attempts {
            let (class, answer) = match &attempt.answer {
                PushAnswer::Acked => ("sb-ok", "acked (200)".to_owned()),
                PushAnswer::Refused { status } => ("sb-failed", format!("refused: HTTP {status}")),
                PushAnswer::Failed { error } => ("sb-failed", format!("failed: {error}")),
            };
            writeln!(
                out,
                "<li class=\"{class}\"><time>{}</time> {}</li>",
                clock(attempt.at_ms),
                esc(&answer)
            )?;
        }
        out.push_str("</ol>\n");
    }
    write_json(out, entry.seq, "Event", Some(&push.event))?;
    out.push_str("</li>\n");
    Ok(())
}

fn state_name(state: PushState) -> &'static str {
    match state {
        PushState::Delivering => "delivering",
        PushState::Retrying => "retrying",
        PushState::Delivered => "delivered",
        PushState::Dropped => "dropped",
    }
}

/// A JSON body in a `<details>` block, closed.
fn write_json(out: &mut String, seq: u64, what: &str, value: Option<&Value>) -> fmt::Result {
    let Some(value) = value else {
        return Ok(());
    };
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    writeln!(
        out,
        "<details data-key=\"{seq}-{what}\"><summary>{what}</summary><pre>{}</pre></details>",
        esc(&text)
    )
}

/// `hh:mm:ss.mmm` (UTC) of a time in milliseconds since the epoch.
fn clock(ms: i64) -> String {
    let day_ms = ms.rem_euclid(86_400_000);
    let seconds = day_ms / 1000;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        day_ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_come_from_the_query_and_a_wrong_one_is_named() {
        let (filter, errors) = filter_of("room=%21finance%3Asandbox&kind=push&limit=5");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            filter.room.as_ref().map(RoomId::as_str),
            Some("!finance:sandbox")
        );
        assert_eq!((filter.kind, filter.limit), (Some(Kind::Push), 5));

        let (filter, errors) = filter_of("kind=everything&limit=0&room=");
        assert_eq!(
            (filter.kind, filter.limit, filter.room),
            (None, DEFAULT_LIMIT, None)
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("`everything`"), "{errors:?}");
    }

    fn filter_of(query: &str) -> (Filter, Vec<String>) {
        filter(Some(query))
    }

    #[test]
    fn clock_shows_the_time_of_day_in_utc_to_the_millisecond() {
        assert_eq!(clock(86_400_000 + 3_723_045), "01:02:03.045");
    }
}
