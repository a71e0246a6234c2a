//! `finchat poll`: polls the forwarder API, prints each event whole on one JSON line, and keeps the
//! cursor in a file; says on stderr when a poll fails, and tries again later.

use std::time::Duration;

use finchat_client::polling::{FileCursor, PollingConsumer};

use crate::connection::{Connection, runtime};
use crate::exit::{self, Error, Exit};
use crate::printer::Printer;

/// The wait after a poll that found nothing new.
const IDLE: Duration = Duration::from_secs(2);
/// The first wait after a failure; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Arguments of `finchat poll`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    connection: Connection,
    /// The file that keeps the `since` cursor between runs.
    #[arg(long, value_name = "FILE")]
    since_file: String,
    /// Events per poll.
    #[arg(long, default_value_t = 20)]
    page_size: u32,
    /// Poll one page and stop, instead of polling until interrupted; a failed poll is status 3.
    #[arg(long)]
    once: bool,
    /// Print a summary of each event (type, event_id, sender, room_id, summary) instead of all of it.
    #[arg(long)]
    summary: bool,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let client = args.connection.client()?;
    runtime()?.block_on(async {
        let (dispatcher, printer) = Printer::dispatcher(args.summary);
        let consumer = PollingConsumer::new(client, dispatcher, FileCursor::new(&args.since_file))
            .page_size(args.page_size);
        let cannot_poll =
            |e| Error::caused(format!("cannot poll {}", args.connection.base_url()), e);
        if args.once {
            let poll = consumer.poll_once().await.map_err(cannot_poll)?;
            printer.finish()?;
            if poll.failed {
                return Err(Error::new(
                    "a polled event cannot be read (see the log); the cursor stays before it",
                ));
            }
            return Ok(Exit::Done);
        }
        printer.stop_on_ctrl_c();
        let mut backoff = FIRST_BACKOFF;
        loop {
            // Not raced against the stop signal: a poll runs to its end, so the event in hand is
            // printed and its cursor saved.
            let wait = match consumer.poll_once().await {
                Ok(poll) if !poll.failed => {
                    backoff = FIRST_BACKOFF;
                    if poll.more { Duration::ZERO } else { IDLE }
                }
                // An event that cannot be read, or stdout gone (then the printer stops us).
                Ok(_) => next_backoff(&mut backoff),
                Err(error) => {
                    let wait = next_backoff(&mut backoff);
                    tracing::warn!(
                        "{}; trying again in {}s",
                        exit::chain(&cannot_poll(error)),
                        wait.as_secs()
                    );
                    wait
                }
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = printer.stopped() => return printer.finish(),
            }
        }
    })
}

fn next_backoff(backoff: &mut Duration) -> Duration {
    let wait = *backoff;
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
    wait
}
