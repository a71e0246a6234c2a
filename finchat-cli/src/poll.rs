//! `finchat poll`: polls the forwarder API through the library's consumer, prints each event whole on
//! one JSON line, and keeps the cursor in a file; says on stderr when a try fails, and tries again
//! later.

use std::sync::Arc;

use finchat_client::polling::{FileCursor, PollFailure, PollingConsumer};

use crate::connection::{Connection, runtime};
use crate::exit::{self, Error, Exit};
use crate::printer::Printer;

/// What `finchat poll --help` adds: what is safe, and where given-up events go.
const SAFETY: &str = "\
Safe to stop at any point, even with kill -9: the cursor file moves only once every event of a
page is printed (or given up on), and it is replaced atomically; each event printed inside the
page is recorded in FILE.passed first. After a restart at most the event being printed when it
stopped is printed again.
Ctrl-C stops at once; a page being printed gets up to 5 s to finish.

An event that cannot be read is appended to FILE.dead-letter.jsonl (one JSON line: event_id,
attempts, last_error, time, event), and polling moves past it. An event that cannot be printed
(stdout gone) stops the command before it.";

/// Arguments of `finchat poll`.
#[derive(clap::Args)]
#[command(after_help = SAFETY)]
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
        let url = args.connection.base_url().to_owned();
        let consumer = PollingConsumer::new(client, dispatcher, FileCursor::new(&args.since_file))
            .page_size(args.page_size);
        if args.once {
            let poll = consumer
                .poll_once()
                .await
                .map_err(|e| Error::caused(format!("cannot poll {url}"), e))?;
            printer.finish()?;
            if let Some(failure) = poll.failure {
                return Err(Error::caused(
                    "an event was not printed; the cursor stays before it",
                    failure,
                ));
            }
            return Ok(Exit::Done);
        }
        // Listening before the first poll, so that Ctrl-C never kills the process mid-write. Not
        // for `--once`, which has no loop to stop: there Ctrl-C ends the process at once, which the
        // cursor makes safe.
        let interrupted = interrupted()?;
        let stop = {
            let printer = Arc::clone(&printer);
            async move {
                tokio::select! {
                    () = interrupted => {}
                    // stdout gone: the printer said so.
                    () = printer.stopped() => {}
                }
            }
        };
        consumer
            .on_failure(move |failure| warn(&url, failure))
            .run_until(stop)
            .await
            .map_err(|e| Error::caused(format!("cannot poll {}", args.connection.base_url()), e))?;
        printer.finish()
    })
}

/// One line on stderr per failed poll. An event that failed could not be printed: the printer has
/// stopped the command, and says why when it ends.
fn warn(url: &str, failure: &PollFailure<'_>) {
    if let PollFailure::Event { failure, .. } = failure {
        tracing::debug!(%failure, "event not printed; stopping");
        return;
    }
    tracing::warn!(
        "cannot poll {url}: {}; trying again in {}s",
        exit::chain(failure.error()),
        failure.retry_in().as_secs()
    );
}

/// Completes on Ctrl-C (SIGINT). The handler is installed before this returns.
fn interrupted() -> Result<impl Future<Output = ()>, Error> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())
            .map_err(|e| Error::caused("cannot listen for Ctrl-C", e))?;
        Ok(async move {
            interrupt.recv().await;
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}
