//! `finchat gobelieve …`: send any FinChat content to GoBelieve (a card goes as its plain-text
//! fallback) and grant user tokens.

use clap::ValueEnum;
use finchat_client::gobelieve::{Client, Content, GrantRequest, Platform};

use crate::connection::runtime;
use crate::exit::{Error, Exit};
use crate::{input, output};

/// Arguments of `finchat gobelieve`.
#[derive(clap::Args)]
pub struct Args {
    /// The server, e.g. `https://api.gobelieve.io`.
    #[arg(long, env = "GOBELIEVE_BASE_URL", value_name = "URL")]
    base_url: String,
    /// The app's id.
    #[arg(long, env = "GOBELIEVE_APPID", value_name = "ID")]
    appid: u64,
    /// The app's secret (prefer the environment variable: a flag shows in the process list).
    #[arg(
        long,
        env = "GOBELIEVE_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    secret: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Send to a user (POST /messages/peers).
    SendPeer(Peer),
    /// Send to a group (POST /messages/groups).
    SendGroup(Peer),
    /// Send to a chat room (POST /messages/rooms).
    SendRoom(Peer),
    /// Send a system message to a user (POST /messages/systems).
    SendSystem(ToReceiver),
    /// Notify a user while online (POST /messages/notifications).
    Notify(ToReceiver),
    /// Notify a group (POST /messages/groups/notifications).
    NotifyGroup(ToGroup),
    /// Grant a user's permanent token (POST /auth/grant); prints `{"token": …}`.
    Grant(GrantArgs),
}

/// The content of a send.
#[derive(clap::Args)]
struct Body {
    /// Send text as `{"text": …}`, the form of GoBelieve's client SDKs, instead of as it is.
    #[arg(long)]
    sdk_text: bool,
    /// Any FinChat content, as JSON (`-`: stdin); a card goes as its plain-text fallback.
    #[arg(value_name = "CONTENT.json")]
    content: String,
}

#[derive(clap::Args)]
struct Peer {
    /// The sending user's uid.
    #[arg(long, value_name = "N")]
    sender: u64,
    /// The receiving user's uid, or the group's or room's id.
    #[arg(long, value_name = "N")]
    receiver: u64,
    #[command(flatten)]
    body: Body,
}

#[derive(clap::Args)]
struct ToReceiver {
    /// The receiving user's uid.
    #[arg(long, value_name = "N")]
    receiver: u64,
    #[command(flatten)]
    body: Body,
}

#[derive(clap::Args)]
struct ToGroup {
    /// The group's id.
    #[arg(long, value_name = "N")]
    group: u64,
    #[command(flatten)]
    body: Body,
}

#[derive(clap::Args)]
struct GrantArgs {
    /// The user's uid.
    #[arg(long, value_name = "N")]
    uid: u64,
    /// The user's name.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// The user's platform.
    #[arg(long, value_enum)]
    platform: Option<PlatformArg>,
    /// The user's device.
    #[arg(long, value_name = "ID")]
    device_id: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlatformArg {
    Ios,
    Android,
    Web,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    output::line(run_command(args)?)?;
    Ok(Exit::Done)
}

/// The line to print.
fn run_command(args: &Args) -> Result<serde_json::Value, Error> {
    let client = Client::builder()
        .base_url(&args.base_url)
        .appid(args.appid)
        .secret(args.secret.as_str())
        .build()
        .map_err(|e| Error::caused("cannot make a GoBelieve client", e))?;
    let runtime = runtime()?;
    let messages = client.messages();
    // Each send: its content, and the call that sends it.
    let (content, result) = match &args.command {
        Command::SendPeer(to) => {
            let content = read_content(&to.body)?;
            let call = messages.peer(to.sender, to.receiver, content.clone());
            (content, runtime.block_on(call))
        }
        Command::SendGroup(to) => {
            let content = read_content(&to.body)?;
            let call = messages.group(to.sender, to.receiver, content.clone());
            (content, runtime.block_on(call))
        }
        Command::SendRoom(to) => {
            let content = read_content(&to.body)?;
            let call = messages.room(to.sender, to.receiver, content.clone());
            (content, runtime.block_on(call))
        }
        Command::SendSystem(to) => {
            let content = read_content(&to.body)?;
            let call = messages.system(to.receiver, content.clone());
            (content, runtime.block_on(call))
        }
        Command::Notify(to) => {
            let content = read_content(&to.body)?;
            let call = messages.notification(to.receiver, content.clone());
            (content, runtime.block_on(call))
        }
        Command::NotifyGroup(to) => {
            let content = read_content(&to.body)?;
            let call = messages.group_notification(to.group, content.clone());
            (content, runtime.block_on(call))
        }
        Command::Grant(grant) => return grant_token(&client, &runtime, grant),
    };
    result.map_err(|e| Error::caused("cannot send to GoBelieve", e))?;
    Ok(serde_json::json!({"outcome": "sent", "content": content.as_str()}))
}

fn grant_token(
    client: &Client,
    runtime: &tokio::runtime::Runtime,
    grant: &GrantArgs,
) -> Result<serde_json::Value, Error> {
    let mut request = GrantRequest::new(grant.uid, &grant.name);
    if let Some(platform) = grant.platform {
        request = request.platform(match platform {
            PlatformArg::Ios => Platform::Ios,
            PlatformArg::Android => Platform::Android,
            PlatformArg::Web => Platform::Web,
        });
    }
    if let Some(device_id) = &grant.device_id {
        request = request.device_id(device_id);
    }
    let grant = runtime
        .block_on(client.users().grant(request))
        .map_err(|e| Error::caused("cannot grant a GoBelieve token", e))?;
    // Printing the token is what this command is for; it goes to stdout only.
    Ok(serde_json::json!({"token": grant.token.expose()}))
}

/// The content file as GoBelieve content. It is checked as FinChat would check it, so that one
/// file serves both systems.
fn read_content(body: &Body) -> Result<Content, Error> {
    let (name, content) = input::read_content(&body.content)?;
    content
        .validate()
        .map_err(|problems| Error::caused(format!("{name}: not sent"), problems))?;
    let text = content.to_plain_text();
    Ok(if body.sdk_text {
        Content::sdk_text(text)
    } else {
        Content::text(text)
    })
}
