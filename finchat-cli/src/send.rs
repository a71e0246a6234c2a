//! `finchat send` and `finchat update`: send content (or replace a card) to rooms and users, one JSON
//! line per target on stdout, a progress line on a terminal, and a non-zero exit when any target
//! did not get it.

use std::io::IsTerminal;

use finchat_client::{Delivery, SendReport};
use finchat_cui::{EventId, Fcid, RoomId};

use crate::connection::{Connection, runtime};
use crate::exit::{Error, Exit};
use crate::{input, output};

/// The targets and content of a send.
#[derive(clap::Args)]
pub struct Targets {
    /// A room to send to (repeatable).
    #[arg(long = "room", value_name = "ROOM_ID")]
    rooms: Vec<RoomId>,
    /// A user to send to, in their direct room with the app (repeatable).
    #[arg(long = "fcid", value_name = "FCID")]
    fcids: Vec<Fcid>,
    /// A file of room ids, one per line (blank lines and `#` comments skipped); `-`: stdin.
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

pub fn send(args: &SendArgs) -> Result<Exit, Error> {
    run(&args.connection, &args.targets, None)
}

pub fn update(args: &UpdateArgs) -> Result<Exit, Error> {
    run(&args.connection, &args.targets, Some(&args.origin))
}

fn run(
    connection: &Connection,
    targets: &Targets,
    origin: Option<&EventId>,
) -> Result<Exit, Error> {
    if targets.content == "-" && targets.rooms_file.as_deref() == Some("-") {
        return Err(Error::new(
            "stdin can be read once: give the content or `--rooms-file` as a file",
        ));
    }
    let (_, content) = input::read_content(&targets.content)?;
    let rooms = rooms(targets)?;
    let client = connection.client()?;
    let total = rooms.len() + targets.fcids.len();
    let show_progress = std::io::stderr().is_terminal() && total > targets.batch_size;
    let messages = client.messages();
    let (request, doing) = match origin {
        Some(origin) => (
            messages.update_cui(origin.clone(), content),
            "cannot update the card",
        ),
        None => (messages.send(content), "cannot send"),
    };
    let request = request
        .rooms(rooms)
        .fcids(targets.fcids.iter().cloned())
        .batch_size(targets.batch_size)
        .concurrency(targets.concurrency);
    let request = if show_progress {
        request.on_progress(|done, total| output::error_text(format_args!("\rsent {done}/{total}")))
    } else {
        request
    };
    let result = runtime()?.block_on(request.send());
    if show_progress {
        output::error_line("");
    }
    let report = result.map_err(|e| Error::caused(doing, e))?;
    print_report(&report)
}

/// One line per target; [`Exit::Problems`] when any did not certainly get it. A reader that went away
/// does not change what happened to the targets.
fn print_report(report: &SendReport) -> Result<Exit, Error> {
    for result in &report.results {
        let line = serde_json::to_string(result)
            .map_err(|e| Error::caused("cannot write the report", e))?;
        match output::line(line) {
            Ok(()) => {}
            Err(error) if error.is_closed_stdout() => break,
            Err(error) => return Err(error),
        }
    }
    let failed = report
        .results
        .iter()
        .filter(|r| !matches!(r.delivery, Delivery::Sent { .. }))
        .count();
    if failed > 0 {
        output::error_line(format_args!(
            "finchat: {failed} of {} targets did not certainly get the message",
            report.results.len()
        ));
        Ok(Exit::Problems)
    } else {
        Ok(Exit::Done)
    }
}

fn rooms(targets: &Targets) -> Result<Vec<RoomId>, Error> {
    let mut rooms = targets.rooms.clone();
    if let Some(path) = &targets.rooms_file {
        let text = input::read_text(path)?;
        let name = input::name(path);
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let room = line
                .parse::<RoomId>()
                .map_err(|e| Error::caused(format!("{name}:{}", number + 1), e))?;
            rooms.push(room);
        }
    }
    Ok(rooms)
}
