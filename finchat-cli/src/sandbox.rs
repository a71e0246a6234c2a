//! `finchat sandbox`: a local FinChat where a person sees and submits a bot's cards.

use std::path::PathBuf;
use std::time::Duration;

use finchat_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

use crate::connection::runtime;
use crate::exit::{self, Error, Exit};
use crate::output;

/// Arguments of `finchat sandbox`.
#[derive(clap::Args)]
pub struct Args {
    /// The port to serve on (0: any free one).
    #[arg(long, default_value_t = 8008)]
    port: u16,
    /// The address to serve on; use 0.0.0.0 to let other hosts in.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The app's id.
    #[arg(long, default_value = "sandbox-app", value_name = "ID")]
    app_id: String,
    /// The app's secret.
    #[arg(long, default_value = "sandbox-secret", value_name = "SECRET")]
    secret: String,
    /// Where events are PUT, as FinChat pushes them; without it they are only kept for polling.
    #[arg(long, value_name = "URL", requires = "token")]
    callback: Option<String>,
    /// The token each push carries, for the app to check.
    #[arg(long, value_name = "TOKEN", requires = "callback")]
    token: Option<String>,
    /// A JSON file that keeps the sandbox's world across restarts.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How long an app access token is valid, in seconds.
    #[arg(long, default_value_t = 7200, value_name = "SECONDS")]
    token_lifetime: u64,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    runtime()?.block_on(serve(args))
}

async fn serve(args: &Args) -> Result<Exit, Error> {
    let mut config = SandboxConfig::new()
        .app_id(&args.app_id)
        .secret(args.secret.as_str())
        .token_lifetime(Duration::from_secs(args.token_lifetime));
    if let (Some(url), Some(token)) = (&args.callback, &args.token) {
        config = config.callback(url, token.as_str());
    }
    if let Some(state) = &args.state {
        config = config.state_file(state);
    }
    let sandbox = Sandbox::serve(config, (args.host.as_str(), args.port))
        .await
        .map_err(|e| {
            Error::caused(
                format!("cannot start the sandbox on {}:{}", args.host, args.port),
                e,
            )
        })?;
    // A reader that went away misses the rest of this, not the sandbox.
    if let Err(error) = print_welcome(args, &sandbox)
        && !error.is_closed_stdout()
    {
        exit::report(&error);
    }
    if tokio::signal::ctrl_c().await.is_err() {
        output::error_line("finchat: cannot wait for Ctrl-C; stopping");
    }
    sandbox.shutdown().await;
    Ok(Exit::Done)
}

/// Where the sandbox is, who is in it, and how to point an app at it.
fn print_welcome(args: &Args, sandbox: &RunningSandbox) -> Result<(), Error> {
    let handle = &sandbox.handle;
    output::line(format_args!("FinChat sandbox at {}", sandbox.url))?;
    output::line(format_args!("  app id    {}", args.app_id))?;
    output::line(format_args!("  secret    {}", args.secret))?;
    match &args.callback {
        Some(url) => output::line(format_args!(
            "  callback  {url} (PUT, with the token given)"
        ))?,
        None => output::line("  callback  none: events are kept for polling (finchat poll)")?,
    }
    match &args.state {
        Some(path) => output::line(format_args!("  state     {}", path.display()))?,
        None => output::line("  state     in memory")?,
    }
    output::line(format_args!("  bot       {}", handle.bot()))?;
    for user in handle.users() {
        let name = handle.name(&user).unwrap_or_default();
        let room = handle
            .direct_room(&user)
            .map_or_else(String::new, |r| format!("direct room {r}"));
        output::line(format_args!("  person    {user} {name}  {room}"))?;
    }
    output::line(format_args!(
        "  use it     FINCHAT_BASE_URL={} FINCHAT_APP_ID={} FINCHAT_SECRET={}",
        sandbox.url, args.app_id, args.secret
    ))
}
