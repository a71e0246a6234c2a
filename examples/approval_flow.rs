//! The whole round trip on a local FinChat, with no credentials: the sandbox and an approval bot in one
//! process. The bot sends an approval card written with `cui!`; a simulated approver submits it
//! through the sandbox (as the page's form does); the bot receives it as a typed `CuiForm` and closes
//! the card with update-cui.
//!
//! Run: `cargo run --example approval_flow` (add `-- --serve` to keep the sandbox running and submit
//! cards yourself in the browser).
//!
//! With `FINCHAT_BASE_URL`, `FINCHAT_APP_ID`, `FINCHAT_SECRET` and `FINCHAT_ROOM` set, it talks to a
//! real FinChat instead: it sends the card to that room and polls for the answer.

use std::collections::BTreeMap;
use std::error::Error;
use std::time::Duration;

use finchat_client::polling::{MemoryCursor, PollingConsumer};
use finchat_client::{Client, Receiver};
use finchat_examples::approval::{ApprovalBot, Claim};
use finchat_sandbox::{Sandbox, SandboxConfig};

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

#[tokio::main]
async fn main() -> Result<()> {
    let serve = std::env::args().any(|a| a == "--serve");
    if std::env::var("FINCHAT_BASE_URL").is_ok() {
        return against_real_finchat().await;
    }

    // 1. The bot's callback: a receiver on a free local port.
    let callback_token = "sandbox-callback-token";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback = format!("http://{}/callback", listener.local_addr()?);

    // 2. The sandbox, pushing events to that callback.
    let config = SandboxConfig::new().callback(&callback, callback_token);
    let sandbox = Sandbox::serve(config, ("127.0.0.1", 0)).await?;
    println!("1. sandbox running at {}", sandbox.url);

    // 3. The bot: a client of the sandbox, and its receiver.
    let bot = ApprovalBot::new(sandbox.client().build()?);
    let receiver = Receiver::new(bot.dispatcher(), callback_token)?.app_id(sandbox.handle.app_id());
    tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
    println!("2. bot listening for callbacks at {callback}");

    // 4. The bot sends the card to an approver's direct room.
    let handle = &sandbox.handle;
    let approver = handle
        .users()
        .into_iter()
        .next()
        .ok_or("the sandbox has no people")?;
    let room = handle
        .direct_room(&approver)
        .ok_or("no direct room with the approver")?;
    let claim = Claim {
        id: 42,
        applicant: "张三".into(),
        amount: 1200,
    };
    let card = bot.ask(room.clone(), claim).await?;
    println!("3. bot sent approval card {card} to {room} ({approver})");
    println!("   page: {}", sandbox.page_url(&approver, &room));

    if serve {
        println!(
            "4. serving; open the page above, fill in the card and press a button (Ctrl-C to stop)"
        );
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }

    // 5. The approver answers, as the page's form would.
    let info = BTreeMap::from([
        ("amount".to_owned(), "1500".to_owned()),
        ("comment".to_owned(), "差旅费已核".to_owned()),
        ("decision".to_owned(), "同意".to_owned()),
    ]);
    let submitted = handle.submit(&approver, &room, &card, info)?;
    println!("4. {approver} submitted the card (event {submitted})");

    // 6. The bot gets it as a typed form and closes the card.
    let decided = tokio::time::timeout(Duration::from_secs(10), bot.wait_for(1)).await?;
    let decision = &decided[0];
    println!(
        "5. bot received {:?} from {} for claim #{}",
        decision.form, decision.approver, decision.claim.id
    );
    let redrawn = handle
        .messages(&room)
        .into_iter()
        .find(|m| m.event_id == card)
        .ok_or("the card is gone")?;
    let status = redrawn
        .content
        .card()
        .map(|c| c.status.as_str().to_owned())
        .unwrap_or_default();
    println!(
        "6. the card now reads: {:?} (status {status})",
        redrawn.content.to_plain_text().lines().last().unwrap_or("")
    );
    if status != "disable" {
        return Err("the card was not closed".into());
    }
    println!("done: the card went out, came back typed, and was closed in place");
    Ok(())
}

/// With FINCHAT_* set: send the card to FINCHAT_ROOM on a real FinChat and poll for the answer.
async fn against_real_finchat() -> Result<()> {
    let client = Client::from_env()?;
    let room = std::env::var("FINCHAT_ROOM")
        .map_err(|_| "set FINCHAT_ROOM to the room to send the card to")?
        .parse()?;
    let bot = ApprovalBot::new(client.clone());
    let card = bot
        .ask(
            room,
            Claim {
                id: 42,
                applicant: "张三".into(),
                amount: 1200,
            },
        )
        .await?;
    println!("sent approval card {card}; waiting for an answer (polling; Ctrl-C to stop)");
    let consumer = PollingConsumer::new(client, bot.dispatcher(), MemoryCursor::default());
    let waiting = bot.clone();
    consumer
        .run_until(async move {
            waiting.wait_for(1).await;
        })
        .await?;
    println!("received {:?}", bot.decided()[0].form);
    Ok(())
}
