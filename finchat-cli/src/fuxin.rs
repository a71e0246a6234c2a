//! `finchat fuxin token` and `finchat fuxin refresh`: FuXin's two token calls, each printing the
//! grant as one JSON line in the API's own field names.

use finchat_client::Secret;
use finchat_client::fuxin::{Client, TokenGrant};

use crate::connection::runtime;
use crate::exit::{Error, Exit};
use crate::output;

/// Arguments of `finchat fuxin`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Ask getAccessToken for a grant; prints `{"accessToken", "expireIn", "refreshToken"}`.
    Token(TokenArgs),
    /// Trade a refresh token for the next grant (refreshToken); prints it as `token` does.
    Refresh(RefreshArgs),
}

/// Where FuXin is and who the enterprise is; each also read from its environment variable.
#[derive(clap::Args)]
struct Connection {
    /// The host of getAccessToken (and of refreshToken without `--refresh-base-url`).
    #[arg(long, env = "FUXIN_BASE_URL", value_name = "URL")]
    base_url: String,
    /// The host of refreshToken, when it is another.
    #[arg(long, env = "FUXIN_REFRESH_BASE_URL", value_name = "URL")]
    refresh_base_url: Option<String>,
    /// The enterprise id (eid).
    #[arg(long, env = "FUXIN_EID", value_name = "EID")]
    eid: String,
    /// The secret (prefer the environment variable: a flag shows in the process list).
    #[arg(
        long,
        env = "FUXIN_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    secret: String,
}

#[derive(clap::Args)]
struct TokenArgs {
    #[command(flatten)]
    connection: Connection,
}

#[derive(clap::Args)]
struct RefreshArgs {
    #[command(flatten)]
    connection: Connection,
    /// The refresh token of the current grant.
    #[arg(
        long,
        env = "FUXIN_REFRESH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    refresh_token: String,
}

impl Connection {
    fn client(&self) -> Result<Client, Error> {
        let mut builder = Client::builder()
            .base_url(&self.base_url)
            .eid(&self.eid)
            .secret(self.secret.as_str());
        if let Some(url) = &self.refresh_base_url {
            builder = builder.refresh_base_url(url);
        }
        builder
            .build()
            .map_err(|e| Error::caused("cannot make a FuXin client", e))
    }
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    match &args.command {
        Command::Token(args) => grant(&args.connection, None),
        Command::Refresh(args) => grant(&args.connection, Some(&args.refresh_token)),
    }
}

fn grant(connection: &Connection, refresh_token: Option<&str>) -> Result<Exit, Error> {
    let client = connection.client()?;
    let runtime = runtime()?;
    let grant = match refresh_token {
        None => runtime
            .block_on(client.get_access_token())
            .map_err(|e| Error::caused("cannot get a FuXin token", e))?,
        Some(token) => runtime
            .block_on(client.refresh_token(&Secret::new(token)))
            .map_err(|e| Error::caused("cannot refresh the FuXin token", e))?,
    };
    output::line(grant_json(&grant))?;
    Ok(Exit::Done)
}

/// The grant in the API's names. Printing the tokens is what this command is for; stdout only.
fn grant_json(grant: &TokenGrant) -> serde_json::Value {
    serde_json::json!({
        "accessToken": grant.access_token.expose(),
        "expireIn": grant.expire_in.as_secs(),
        "refreshToken": grant.refresh_token.as_ref().map(Secret::expose),
    })
}
