//! `finchat token`: fetches an app access token and prints it as JSON.

use std::process::ExitCode;
use std::time::SystemTime;

use crate::connection::{Connection, runtime};

/// Arguments of `finchat token`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    connection: Connection,
}

pub fn run(args: &Args) -> ExitCode {
    let result = (|| {
        let client = args.connection.client()?;
        let token = runtime()?
            .block_on(client.access_token())
            .map_err(|e| format!("finchat token: {e}"))?;
        let expires_in = token
            .expires_at
            .duration_since(SystemTime::now())
            .map_or(0, |d| d.as_secs());
        // Printing the token is what this command is for; it goes to stdout only.
        let line = serde_json::json!({
            "app_access_token": token.token.expose(),
            "expires_in": expires_in,
            "token_type": "Bearer",
        });
        println!("{line}");
        Ok::<_, String>(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
    }
}
