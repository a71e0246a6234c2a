//! `finchat listen` and `finchat poll`: receive events (webhook callbacks, or the polling API) and
//! print each as one JSON line: its type, id, and a summary of its content.

use std::io::Write;
use std::process::ExitCode;

use finchat_client::events::{Event, EventContent};
use finchat_client::polling::{FileCursor, PollingConsumer};
use finchat_client::{Dispatcher, Receiver};
use serde_json::{Value, json};

use crate::connection::{Connection, runtime};

/// Arguments of `finchat listen`.
#[derive(clap::Args)]
pub struct ListenArgs {
    /// The port to listen on (0: any free one; the address is printed on stderr).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on; use 0.0.0.0 to accept pushes from other hosts.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The callback token configured for the app (pushes with another one are refused).
    #[arg(long, env = "FINCHAT_CALLBACK_TOKEN", hide_env_values = true)]
    token: String,
    /// Also require this app id on pushes that carry one.
    #[arg(long)]
    app_id: Option<String>,
    /// The path events are PUT to.
    #[arg(long, default_value = "/callback")]
    path: String,
    /// The path shortcut searches are POSTed to (answered with no results).
    #[arg(long, default_value = "/search")]
    search_path: String,
}

/// Arguments of `finchat poll`.
#[derive(clap::Args)]
pub struct PollArgs {
    #[command(flatten)]
    connection: Connection,
    /// The file that keeps the `since` cursor between runs.
    #[arg(long, value_name = "FILE")]
    since_file: String,
    /// Events per poll.
    #[arg(long, default_value_t = 20)]
    page_size: u32,
    /// Poll one page and stop, instead of polling until interrupted.
    #[arg(long)]
    once: bool,
}

/// One line per event: type, id, sender, room and what it says.
fn line(event: &Event) -> Value {
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

fn print(event: &Event) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", line(event));
    let _ = out.flush();
}

fn printer() -> Dispatcher<()> {
    Dispatcher::new(()).on_event(|_, event| async move {
        print(&event);
        Ok(())
    })
}

pub fn listen(args: &ListenArgs) -> ExitCode {
    let result = runtime().and_then(|rt| {
        rt.block_on(async {
            let receiver = Receiver::new(printer(), args.token.as_str())
                .events_path(&args.path)
                .search_path(&args.search_path);
            let receiver = match &args.app_id {
                Some(app_id) => receiver.app_id(app_id),
                None => receiver,
            };
            let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
                .await
                .map_err(|e| {
                    format!(
                        "finchat listen: cannot listen on {}:{}: {e}",
                        args.host, args.port
                    )
                })?;
            let addr = listener
                .local_addr()
                .map_err(|e| format!("finchat listen: {e}"))?;
            eprintln!(
                "listening on {addr}{} (PUT events) and {addr}{} (POST searches)",
                args.path, args.search_path
            );
            axum::serve(listener, receiver.router())
                .with_graceful_shutdown(async {
                    tokio::signal::ctrl_c().await.ok();
                })
                .await
                .map_err(|e| format!("finchat listen: {e}"))
        })
    });
    finish(result)
}

pub fn poll(args: &PollArgs) -> ExitCode {
    let result = runtime().and_then(|rt| {
        rt.block_on(async {
            let client = args.connection.client()?;
            let consumer =
                PollingConsumer::new(client, printer(), FileCursor::new(&args.since_file))
                    .page_size(args.page_size);
            if args.once {
                consumer
                    .poll_once()
                    .await
                    .map(drop)
                    .map_err(|e| format!("finchat poll: {e}"))
            } else {
                consumer
                    .run_until(async {
                        tokio::signal::ctrl_c().await.ok();
                    })
                    .await
                    .map_err(|e| format!("finchat poll: {e}"))
            }
        })
    });
    finish(result)
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(1)
        }
    }
}
