//! `finchat listen`: receives webhook callbacks, answers them as an app should, and prints each
//! event whole on one JSON line.

use std::sync::Arc;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use finchat_client::Receiver;
use finchat_client::receiver::{Server, check_callback_token};

use crate::connection::runtime;
use crate::exit::{Error, Exit};
use crate::output;
use crate::printer::Printer;

/// Arguments of `finchat listen`.
#[derive(clap::Args)]
pub struct Args {
    /// The port to listen on (0: any free one; the address is printed on stderr).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on; use 0.0.0.0 to accept pushes from other hosts.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The callback token configured for the app (pushes with another one are refused; 16
    /// characters or more).
    #[arg(long, env = "FINCHAT_CALLBACK_TOKEN", hide_env_values = true, value_parser = CallbackToken)]
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
    /// Print a summary of each event (type, event_id, sender, room_id, summary) instead of all of it.
    #[arg(long)]
    summary: bool,
}

/// Reads `--token`, refusing an empty or short one (a usage error) without quoting it, as clap's own
/// "invalid value" message would.
#[derive(Clone)]
struct CallbackToken;

impl TypedValueParser for CallbackToken {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let refuse = |reason: &dyn std::fmt::Display| {
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("invalid value for '--token': {reason}\n"),
            )
            .with_cmd(cmd)
        };
        let token = value
            .to_str()
            .ok_or_else(|| refuse(&"the callback token is not UTF-8"))?;
        check_callback_token(token).map_err(|e| refuse(&e))?;
        Ok(token.to_owned())
    }
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    runtime()?.block_on(async {
        let (dispatcher, printer) = Printer::dispatcher(args.summary);
        let receiver = Receiver::new(dispatcher, args.token.as_str())
            .map_err(|e| Error::caused("cannot receive", e))?
            .events_path(&args.path)
            .search_path(&args.search_path);
        let receiver = match &args.app_id {
            Some(app_id) => receiver.app_id(app_id),
            None => receiver,
        };
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| {
                Error::caused(format!("cannot listen on {}:{}", args.host, args.port), e)
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::caused("cannot tell the address listened on", e))?;
        output::error_line(format_args!(
            "listening on {addr}{} (PUT events) and {addr}{} (POST searches)",
            args.path, args.search_path
        ));
        printer.stop_on_ctrl_c();
        let stopping = Arc::clone(&printer);
        // With a header-read timeout (and the router's body-read timeout): a client that sends its
        // request slowly does not hold a connection for ever.
        Server::new()
            .serve(listener, receiver.router(), async move {
                stopping.stopped().await;
            })
            .await
            .map_err(|e| Error::caused(format!("cannot serve on {addr}"), e))?;
        printer.finish()
    })
}
