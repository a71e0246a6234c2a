//! The options that reach a FinChat server, shared by the subcommands that call the API.

use finchat_client::Client;

use crate::exit::Error;

/// Where the server is and who the app is; each also read from its environment variable.
#[derive(clap::Args)]
pub struct Connection {
    /// The server, e.g. `https://finchat.example.org`.
    #[arg(long, env = "FINCHAT_BASE_URL", value_name = "URL")]
    base_url: String,
    /// The app's id.
    #[arg(long, env = "FINCHAT_APP_ID", value_name = "ID")]
    app_id: String,
    /// The app's secret (prefer the environment variable: a flag shows in the process list).
    #[arg(
        long,
        env = "FINCHAT_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    secret: String,
}

impl Connection {
    /// The server, as given.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client of the server.
    pub fn client(&self) -> Result<Client, Error> {
        Client::builder()
            .base_url(&self.base_url)
            .app_id(&self.app_id)
            .secret(self.secret.as_str())
            .build()
            .map_err(|e| Error::caused("cannot make a client", e))
    }
}

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::caused("cannot start the async runtime", e))
}
