//! The polling consumer under test, as a process of its own so that it can be killed with `kill -9`:
//! the real `PollingConsumer` with a `FileCursor`, whose handler appends each event id to a file
//! and fsyncs it before returning `Ok`. It prints `saving` before each cursor save (so the
//! runner can kill it right then) and exits 0 once it has handled `--expect` distinct events.
//!
//! `poll-consumer --base-url URL --app-id ID --cursor FILE --handled FILE --expect N
//! [--page-size N] [--max-backoff-ms N] [--limit-secs N]`, the secret in `FINCHAT_SECRET`.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::polling::{CursorStore, DeadLetter, FileCursor, PollingConsumer};
use finchat_client::token::StoreFuture;
use finchat_client::{Client, Dispatcher, HandlerError, HandlerResult};
use tokio::sync::Notify;

/// The consumer's handled-id log and the ids it holds.
struct Handled {
    file: Mutex<std::fs::File>,
    seen: Mutex<HashSet<String>>,
    expect: usize,
    done: Notify,
}

impl Handled {
    fn record(&self, event_id: &str) -> HandlerResult {
        {
            let mut file = self
                .file
                .lock()
                .map_err(|_| HandlerError::msg("the handled log's lock is poisoned"))?;
            // One write of the whole line, then fsync: the id is on record before `Ok`.
            file.write_all(format!("{event_id}\n").as_bytes())?;
            file.sync_data()?;
        }
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| HandlerError::msg("the seen set's lock is poisoned"))?;
        seen.insert(event_id.to_owned());
        if seen.len() >= self.expect {
            self.done.notify_one();
        }
        Ok(())
    }
}

/// A `FileCursor` that says `saving` on stdout before each save: of the cursor, and of each event
/// passed inside the page in hand.
struct Announced(FileCursor);

impl Announced {
    fn announce() {
        let mut out = io::stdout().lock();
        // The runner may be gone; the save goes on regardless.
        writeln!(out, "saving").and_then(|()| out.flush()).ok();
    }
}

impl CursorStore for Announced {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        self.0.load()
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        Self::announce();
        self.0.save(since)
    }

    fn load_passed(&self, since: Option<&str>) -> StoreFuture<'_, io::Result<Vec<String>>> {
        self.0.load_passed(since)
    }

    fn save_passed(&self, since: Option<&str>, key: &str) -> StoreFuture<'_, io::Result<()>> {
        Self::announce();
        self.0.save_passed(since, key)
    }

    fn default_dead_letter(&self) -> Arc<dyn DeadLetter> {
        self.0.default_dead_letter()
    }
}

fn args() -> Result<HashMap<String, String>, String> {
    let mut args = HashMap::new();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument `{flag}`"))?;
        let value = it.next().ok_or_else(|| format!("`{flag}` needs a value"))?;
        args.insert(name.to_owned(), value);
    }
    Ok(args)
}

fn required<'a>(args: &'a HashMap<String, String>, name: &str) -> Result<&'a str, String> {
    args.get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("`--{name}` is required"))
}

fn number(args: &HashMap<String, String>, name: &str, default: u64) -> Result<u64, String> {
    args.get(name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| format!("`--{name} {v}` is not a number"))
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let handled_path = PathBuf::from(required(&args, "handled")?);
    let seen: HashSet<String> = match std::fs::read_to_string(&handled_path) {
        Ok(text) => text.lines().map(str::to_owned).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => HashSet::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", handled_path.display()).into()),
    };
    let expect = usize::try_from(number(&args, "expect", 0)?)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&handled_path)?;
    let handled = Arc::new(Handled {
        file: Mutex::new(file),
        done: Notify::new(),
        expect,
        seen: Mutex::new(seen),
    });
    let already = handled.seen.lock().map(|s| s.len()).unwrap_or(0);
    if already >= expect {
        return Ok(());
    }
    let client = Client::builder()
        .base_url(required(&args, "base-url")?)
        .app_id(required(&args, "app-id")?)
        .secret(std::env::var("FINCHAT_SECRET").unwrap_or_default())
        .build()?;
    let dispatcher = Dispatcher::new(Arc::clone(&handled))
        .on_event(|handled, event| async move { handled.record(&event.event_id) });
    let page_size = u32::try_from(number(&args, "page-size", 100)?)?;
    let max_backoff = Duration::from_millis(number(&args, "max-backoff-ms", 500)?);
    let limit = Duration::from_secs(number(&args, "limit-secs", 600)?);
    let consumer = PollingConsumer::new(
        client,
        dispatcher,
        Announced(FileCursor::new(required(&args, "cursor")?)),
    )
    .page_size(page_size)
    .idle_interval(Duration::from_millis(20))
    .max_backoff(max_backoff);
    let all_handled = Arc::clone(&handled);
    let finished = tokio::time::timeout(
        limit,
        consumer.run_until(async move { all_handled.done.notified().await }),
    )
    .await;
    match finished {
        Ok(result) => Ok(result?),
        Err(_) => Err(format!("not every event was handled within {limit:?}").into()),
    }
}
