//! `finchat sandbox`: a local FinChat where a person sees and submits a bot's cards.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use finchat_sandbox::{Sandbox, SandboxConfig};

use crate::connection::runtime;

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

pub fn run(args: &Args) -> ExitCode {
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: &Args) -> ExitCode {
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
    let sandbox = match Sandbox::serve(config, (args.host.as_str(), args.port)).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!(
                "finchat: cannot start the sandbox on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::from(2);
        }
    };
    let handle = &sandbox.handle;
    println!("FinChat sandbox at {}", sandbox.url);
    println!("  app id    {}", args.app_id);
    println!("  secret    {}", args.secret);
    match &args.callback {
        Some(url) => println!("  callback  {url} (PUT, with the token given)"),
        None => println!("  callback  none: events are kept for polling (finchat poll)"),
    }
    match &args.state {
        Some(path) => println!("  state     {}", path.display()),
        None => println!("  state     in memory"),
    }
    println!("  bot       {}", handle.bot());
    for user in handle.users() {
        let name = handle.name(&user).unwrap_or_default();
        let room = handle
            .direct_room(&user)
            .map_or_else(String::new, |r| format!("direct room {r}"));
        println!("  person    {user} {name}  {room}");
    }
    println!(
        "  use it     FINCHAT_BASE_URL={} FINCHAT_APP_ID={} FINCHAT_SECRET={}",
        sandbox.url, args.app_id, args.secret
    );
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("finchat: cannot wait for Ctrl-C; stopping");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
