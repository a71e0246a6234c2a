//! `finchat token`: fetches an app access token and prints it as JSON.

use std::time::SystemTime;

use crate::connection::{Connection, runtime};
use crate::exit::{Error, Exit};
use crate::output;

/// Arguments of `finchat token`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    connection: Connection,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let client = args.connection.client()?;
    let token = runtime()?
        .block_on(client.access_token())
        .map_err(|e| Error::caused("cannot get an access token", e))?;
    let expires_in = token
        .expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    // Printing the token is what this command is for; it goes to stdout only.
    output::line(serde_json::json!({
        "app_access_token": token.token.expose(),
        "expires_in": expires_in,
        "token_type": "Bearer",
    }))?;
    Ok(Exit::Done)
}
