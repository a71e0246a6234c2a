//! What `listen` and `poll` print: each event whole, as received, on one JSON line (or a five-field
//! summary), and the signal that ends them: Ctrl-C, or a stdout that can take no more.

use std::sync::{Arc, Mutex, PoisonError};

use finchat_client::events::{Event, EventContent};
use finchat_client::{Dispatcher, HandlerError};
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::exit::{Error, Exit};
use crate::output;

/// Prints the events handed to it, and says when the command should stop.
pub struct Printer {
    summary: bool,
    stop: Notify,
    failure: Mutex<Option<Error>>,
}

impl Printer {
    /// A dispatcher that prints every event, whole or (`summary`) in short, and its printer.
    pub fn dispatcher(summary: bool) -> (Dispatcher<Printer>, Arc<Printer>) {
        let printer = Printer {
            summary,
            stop: Notify::new(),
            failure: Mutex::new(None),
        };
        let dispatcher = Dispatcher::new(printer)
            .on_event(|printer, event| async move { printer.print(&event) });
        let printer = Arc::clone(dispatcher.state());
        (dispatcher, printer)
    }

    /// Stops the command on Ctrl-C (call it inside the runtime).
    pub fn stop_on_ctrl_c(self: &Arc<Self>) {
        let printer = Arc::clone(self);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_err() {
                tracing::warn!("cannot wait for Ctrl-C; stop the process another way");
                return;
            }
            printer.stop.notify_one();
        });
    }

    /// Completes when the command should stop.
    pub async fn stopped(&self) {
        self.stop.notified().await;
    }

    /// How the command ends: done, or the write error that stopped it.
    pub fn finish(&self) -> Result<Exit, Error> {
        let failure = self.lock_failure().take();
        failure.map_or(Ok(Exit::Done), Err)
    }

    /// Prints `event`. When stdout cannot take it, the event counts as not handled (FinChat pushes
    /// it again; the poll cursor stays before it) and the command stops.
    fn print(&self, event: &Event) -> Result<(), HandlerError> {
        let line = if self.summary {
            summary(event)
        } else {
            serde_json::to_value(event)?
        };
        output::line(line).map_err(|error| {
            let message = error.to_string();
            self.lock_failure().get_or_insert(error);
            self.stop.notify_one();
            HandlerError::msg(message)
        })
    }

    fn lock_failure(&self) -> std::sync::MutexGuard<'_, Option<Error>> {
        // A poisoned lock still holds a usable `Option`.
        self.failure.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Type, id, sender, room and what the event says.
fn summary(event: &Event) -> Value {
    let summary = match &event.content {
        EventContent::Message(message) | EventContent::Test(message) => {
            json!({"msgtype": message.msgtype(), "text": message.to_plain_text()})
        }
        EventContent::Submission(submission) => {
            json!({"action": submission.action.as_str(), "info": submission.info})
        }
        _ => serde_json::to_value(event).map_or(Value::Null, |e| e["content"].clone()),
    };
    json!({
        "type": event.event_type(),
        "event_id": event.event_id,
        "sender": event.sender,
        "room_id": event.room_id,
        "summary": summary,
    })
}
