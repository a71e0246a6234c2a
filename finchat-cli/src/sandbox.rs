//! `finchat sandbox`: a local FinChat where a person sees and submits a bot's cards.

use std::path::PathBuf;
use std::time::Duration;

use clap::error::ErrorKind;
use finchat_cui::Fcid;
use finchat_sandbox::{RunningSandbox, Sandbox, SandboxConfig, SandboxWorld};

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
    /// A person in the sandbox: an fcid, then the display name (the rest of the value; without
    /// one, the fcid's localpart), e.g. '@zhang:corp.example 张三'. Repeat it for each person; the
    /// default three (@alice, @bob, @carol:sandbox) are then left out. Each gets a direct room with
    /// the bot, and everyone is in the group room !finance:sandbox.
    #[arg(long = "person", value_name = "FCID [NAME]", value_parser = parse_account)]
    people: Vec<Account>,
    /// The app's bot account: an fcid, then its display name, e.g. '@helper:corp.example 小助手'
    /// (default '@finchat-bot:sandbox 机器人').
    #[arg(long, value_name = "FCID [NAME]", value_parser = parse_account)]
    bot: Option<Account>,
    /// A world file (JSON) naming the bot, the people and the group rooms:
    /// {"bot": {"fcid", "name"}, "people": [{"fcid", "name"}], "rooms": [{"room_id", "name",
    /// "members"}]}; `bot` and `rooms` may be left out. Not with --person or --bot. With --state,
    /// the state file's world is served once it exists; the page's Reset button seeds this one.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["people", "bot"])]
    world: Option<PathBuf>,
}

/// An account given as `FCID [NAME]` (`--person`, `--bot`).
#[derive(Debug, Clone)]
struct Account {
    /// The value as given, to name it in an error.
    given: String,
    fcid: String,
    name: String,
}

/// Reads `FCID [NAME]`: the fcid up to the first whitespace, the name after it (trimmed; without
/// one, the fcid's localpart). An fcid that is not one is a usage error naming the value.
fn parse_account(value: &str) -> Result<Account, String> {
    let trimmed = value.trim();
    let (fcid, name) = trimmed
        .split_once(char::is_whitespace)
        .map_or((trimmed, ""), |(fcid, name)| (fcid, name.trim()));
    let parsed: Fcid = fcid.parse().map_err(|_| {
        format!("{fcid:?} is not an fcid (@localpart:server); write 'FCID NAME', e.g. '@zhang:corp.example 张三'")
    })?;
    let name = if name.is_empty() {
        parsed.localpart()
    } else {
        name
    };
    Ok(Account {
        given: value.to_owned(),
        fcid: fcid.to_owned(),
        name: name.to_owned(),
    })
}

/// The world of `--person` and `--bot`, or `None` for the standard one; a world they make that is
/// not valid (a person twice, a person with the bot's fcid) is a usage error naming the flag.
fn world_of_flags(args: &Args) -> Result<Option<SandboxWorld>, clap::Error> {
    if args.people.is_empty() && args.bot.is_none() {
        return Ok(None);
    }
    let mut world = if args.people.is_empty() {
        SandboxWorld::standard()
    } else {
        SandboxWorld::new()
    };
    if let Some(bot) = &args.bot {
        world = world.bot(&bot.fcid, &bot.name);
    }
    for person in &args.people {
        world = world.person(&person.fcid, &person.name);
    }
    let Err(error) = world.validate() else {
        return Ok(Some(world));
    };
    let problems: Vec<String> = error
        .problems_found()
        .iter()
        .map(|problem| match (person_at(args, problem.path()), &args.bot) {
            (Some(person), _) => format!(
                "invalid value '{}' for '--person <FCID [NAME]>': {}",
                person.given,
                problem.message()
            ),
            // Without --person the people are the default three, fine but for the bot clashing
            // with one. (`parse_account` already checked the bot's fcid and name.)
            (None, Some(bot)) if args.people.is_empty() => format!(
                "invalid value '{}' for '--bot <FCID [NAME]>': {:?} is one of the default people; \
                 choose another fcid, or name the people with --person",
                bot.given, bot.fcid
            ),
            _ => problem.to_string(),
        })
        .collect();
    Err(clap::Error::raw(
        ErrorKind::ValueValidation,
        // clap writes `error: ` before the first.
        format!("{}\n", problems.join("\nerror: ")),
    ))
}

/// The `--person` a problem's path (`people[i]…`) is about.
fn person_at<'a>(args: &'a Args, path: &str) -> Option<&'a Account> {
    let index = path.strip_prefix("people[")?.split(']').next()?;
    args.people.get(index.parse::<usize>().ok()?)
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let world = match &args.world {
        // The file's name and each problem's place are in the message.
        Some(path) => Some(SandboxWorld::from_file(path).map_err(|e| Error::new(e.to_string()))?),
        None => world_of_flags(args).unwrap_or_else(|usage| usage.exit()),
    };
    runtime()?.block_on(serve(args, world))
}

async fn serve(args: &Args, world: Option<SandboxWorld>) -> Result<Exit, Error> {
    let mut config = SandboxConfig::new()
        .app_id(&args.app_id)
        .secret(args.secret.as_str())
        .token_lifetime(Duration::from_secs(args.token_lifetime));
    if let Some(world) = world {
        config = config.world(world);
    }
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
    let bot = handle.bot();
    let name = |fcid: &Fcid| handle.name(fcid).unwrap_or_default();
    output::line(format_args!("  bot       {bot} {}", name(&bot)))?;
    for user in handle.users() {
        let room = handle
            .direct_room(&user)
            .map_or_else(String::new, |r| format!("direct room {r}"));
        output::line(format_args!("  person    {user} {}  {room}", name(&user)))?;
    }
    for room in handle.group_rooms() {
        let members: Vec<String> = handle
            .members(&room)
            .iter()
            .filter(|m| **m != bot)
            .map(name)
            .collect();
        output::line(format_args!(
            "  room      {room} {}  with {}",
            handle.room_name(&room).unwrap_or_default(),
            members.join(", ")
        ))?;
    }
    output::line(format_args!(
        "  use it     FINCHAT_BASE_URL={} FINCHAT_APP_ID={} FINCHAT_SECRET={}",
        sandbox.url, args.app_id, args.secret
    ))
}
