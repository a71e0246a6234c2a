//! The options that reach a FinChat server, shared by the subcommands that call the API.

use finchat_client::Client;

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
    /// A client, or the line to print.
    pub fn client(&self) -> Result<Client, String> {
        Client::builder()
            .base_url(&self.base_url)
            .app_id(&self.app_id)
            .secret(self.secret.as_str())
            .build()
            .map_err(|e| format!("finchat: {e}"))
    }
}

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("finchat: cannot start the async runtime: {e}"))
}
