//! `finchat send` and `finchat update`: send content (or replace a card) to rooms and users, one JSON
//! line per target on stdout, a progress line on a terminal, and a non-zero exit when any target
//! did not get it.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use finchat_client::{Delivery, SendReport};
use finchat_cui::{EventId, Fcid, MessageContent, RoomId};

use crate::connection::{Connection, runtime};
use crate::input;

/// The targets and content of a send.
#[derive(clap::Args)]
pub struct Targets {
    /// A room to send to (repeatable).
    #[arg(long = "room", value_name = "ROOM_ID")]
    rooms: Vec<RoomId>,
    /// A user to send to, in their direct room with the app (repeatable).
    #[arg(long = "fcid", value_name = "FCID")]
    fcids: Vec<Fcid>,
    /// A file of room ids, one per line (blank lines and `#` comments skipped).
    #[arg(long, value_name = "FILE")]
    rooms_file: Option<String>,
    /// Targets per request.
    #[arg(long, default_value_t = 100)]
    batch_size: usize,
    /// Requests at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// The content: a JSON file (`-`: stdin) with the content, or a whole request with `content`.
    #[arg(value_name = "CONTENT.json")]
    content: String,
}

/// Arguments of `finchat send`.
#[derive(clap::Args)]
pub struct SendArgs {
    #[command(flatten)]
    connection: Connection,
    #[command(flatten)]
    targets: Targets,
}

/// Arguments of `finchat update`.
#[derive(clap::Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    connection: Connection,
    /// The event id of the card to replace.
    #[arg(long, value_name = "EVENT_ID")]
    origin: EventId,
    #[command(flatten)]
    targets: Targets,
}

pub fn send(args: &SendArgs) -> ExitCode {
    run(&args.connection, &args.targets, None)
}

pub fn update(args: &UpdateArgs) -> ExitCode {
    run(&args.connection, &args.targets, Some(&args.origin))
}

fn run(connection: &Connection, targets: &Targets, origin: Option<&EventId>) -> ExitCode {
    let prepared = (|| {
        let content = read_content(&targets.content)?;
        let rooms = rooms(targets)?;
        let client = connection.client()?;
        Ok::<_, String>((content, rooms, client))
    })();
    let (content, rooms, client) = match prepared {
        Ok(prepared) => prepared,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let total = rooms.len() + targets.fcids.len();
    let show_progress = std::io::stderr().is_terminal() && total > targets.batch_size;
    let messages = client.messages();
    let request = match origin {
        Some(origin) => messages.update_cui(origin.clone(), content),
        None => messages.send(content),
    };
    let request = request
        .rooms(rooms)
        .fcids(targets.fcids.iter().cloned())
        .batch_size(targets.batch_size)
        .concurrency(targets.concurrency);
    let request = if show_progress {
        request.on_progress(|done, total| {
            eprint!("\rsent {done}/{total}");
            let _ = std::io::stderr().flush();
        })
    } else {
        request
    };
    let result = runtime().and_then(|rt| {
        rt.block_on(request.send())
            .map_err(|e| format!("finchat: {e}"))
    });
    if show_progress {
        eprintln!();
    }
    match result {
        Ok(report) => print_report(&report),
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
    }
}

fn print_report(report: &SendReport) -> ExitCode {
    let mut out = std::io::stdout().lock();
    for result in &report.results {
        let line = serde_json::to_string(result).unwrap_or_default();
        let _ = writeln!(out, "{line}");
    }
    let failed = report
        .results
        .iter()
        .filter(|r| !matches!(r.delivery, Delivery::Sent { .. }))
        .count();
    if failed > 0 {
        eprintln!(
            "finchat: {failed} of {} targets did not certainly get the message",
            report.results.len()
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn read_content(path: &str) -> Result<MessageContent, String> {
    let input = input::read(path)?;
    serde_json::from_value(input.content)
        .map_err(|e| format!("{}: not message content: {e}", input.name))
}

fn rooms(targets: &Targets) -> Result<Vec<RoomId>, String> {
    let mut rooms = targets.rooms.clone();
    if let Some(path) = &targets.rooms_file {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let room = line
                .parse()
                .map_err(|e| format!("{path}:{}: {e}", number + 1))?;
            rooms.push(room);
        }
    }
    Ok(rooms)
}
