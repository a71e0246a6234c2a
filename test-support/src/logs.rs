//! Capturing what is logged: [`Logs::capture`] collects everything `tracing` emits on this thread,
//! so that a test can check a span's fields, a warning's reason, and that no secret shows.

use std::io::Write;
use std::sync::{Arc, Mutex, Once};

use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::{DefaultGuard, Interest};
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::fmt::format::FmtSpan;

/// Everything logged on this thread while the guard lives, spans' closing lines included (they show
/// every field a span recorded).
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Starts capturing, at every level, until the guard is dropped. Only this thread's spans and
    /// events are caught: run the test on one (`#[tokio::test]`'s runtime is current-thread).
    pub fn capture() -> (Logs, DefaultGuard) {
        static ALWAYS_ASK: Once = Once::new();
        ALWAYS_ASK.call_once(|| {
            // Ignored if the binary already has a global subscriber.
            tracing::subscriber::set_global_default(AlwaysAsk).ok();
        });
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::CLOSE)
            .with_ansi(false)
            .without_time()
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        tracing::callsite::rebuild_interest_cache();
        (logs, guard)
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Panics, showing the logs, when `secret` appears anywhere in them.
    #[track_caller]
    pub fn assert_never(&self, secret: &str) {
        let text = self.text();
        assert!(!text.contains(secret), "`{secret}` is in the logs:\n{text}");
    }

    /// The first line containing every one of `parts`; panics, showing the logs, when there is none.
    #[track_caller]
    pub fn line_with(&self, parts: &[&str]) -> String {
        let text = self.text();
        text.lines()
            .find(|line| parts.iter().all(|part| line.contains(part)))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no line with all of {parts:?} in the logs:\n{text}"))
    }

    /// The closing line of a `span` that closed with all of `fields` (the line shows every field
    /// the span recorded, e.g. `outcome="ok"`); panics, showing the logs, when none did.
    #[track_caller]
    pub fn closed(&self, span: &str, fields: &[&str]) -> String {
        let text = self.text();
        // The context ends with the span that closes: `…:outer{…}:span{…}: target: close`.
        let ends_with_span = |line: &str| {
            let Some(start) = line.rfind(&format!("{span}{{")) else {
                return false;
            };
            let rest = &line[start..];
            rest.find("}: ")
                .is_some_and(|end| !rest[..end].contains("}:") && rest[end..].contains(": close"))
        };
        text.lines()
            .find(|line| ends_with_span(line) && fields.iter().all(|f| line.contains(f)))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                panic!("no `{span}` closed with all of {fields:?} in the logs:\n{text}")
            })
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The global subscriber of a test binary that captures: it records nothing, but has every callsite
/// asked each time. Without it, a span first met by a test that captures nothing (on another thread)
/// can be cached as uninteresting for the whole process, and a capturing test would miss it.
struct AlwaysAsk;

impl Subscriber for AlwaysAsk {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
