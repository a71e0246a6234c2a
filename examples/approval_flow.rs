//! The whole round trip on a local FinChat, with no credentials: the sandbox and an approval bot in one
//! process. The bot asks two approvers in the finance room to approve a claim; one of them first
//! types a word for the amount, then an amount above the claim, and gets the card back with the
//! errors each time (only they see it); then approves; the other approver's click, which came too
//! late, is answered with a notice. A second claim, sent to a third person, expires undecided.
//!
//! Run: `cargo run --example approval_flow` (add `-- --serve` to keep the sandbox running and submit
//! cards yourself in the browser).
//!
//! With `FINCHAT_BASE_URL`, `FINCHAT_APP_ID`, `FINCHAT_SECRET` and `FINCHAT_ROOM` set, it talks to a
//! real FinChat instead: it sends the card to that room and polls for the answer.

use std::collections::BTreeMap;
use std::error::Error;
use std::time::{Duration, Instant};

use finchat_client::cards::{CardRegistry, MemoryCardStore};
use finchat_client::polling::{MemoryCursor, PollingConsumer};
use finchat_client::{Client, Receiver};
use finchat_cui::{CuiContent, EventId, Fcid, MessageContent, RoomId, Status};
use finchat_examples::approval::{self, ApprovalForm, Claim};
use finchat_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

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

    // 3. The bot: a card registry (in memory here; `SqliteCardStore` keeps cards across restarts,
    //    `RedisCardStore` shares them between instances), its decisions, and its receiver.
    let registry = CardRegistry::new(sandbox.client().build()?, MemoryCardStore::new());
    let receiver = Receiver::new(approval::dispatcher(&registry), callback_token)?
        .app_id(sandbox.handle.app_id());
    tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
    let expiry = registry.spawn_expiry(Duration::from_millis(100), |card| async move {
        println!("   (the bot hears that card {} expired)", card.id);
        Ok(())
    });
    println!("2. bot listening for callbacks at {callback}");

    // 4. The bot asks 张三 and 李四 to approve claim #42 in the finance room.
    let handle = &sandbox.handle;
    let people = handle.users();
    let [alice, bob, carol] = [&people[0], &people[1], &people[2]];
    let finance = handle
        .rooms()
        .into_iter()
        .find(|r| r.as_str().starts_with("!finance"))
        .ok_or("the sandbox has no finance room")?;
    let claim = Claim {
        id: 42,
        applicant: "王五".into(),
        amount: 1200,
    };
    let approvers = [alice.clone(), bob.clone()];
    let asked = approval::ask(
        &registry,
        &claim,
        finance.clone(),
        approvers,
        Duration::from_secs(3600),
    )
    .await?;
    let card = asked.card.copies[0].origin_event.clone();
    println!("3. bot asked {alice} and {bob} to approve claim #42 in {finance} (card {card})");
    println!("   page: {}", sandbox.page_url(alice, &finance));

    if serve {
        println!(
            "4. serving; open the page above, fill in the card and press a button (Ctrl-C to stop)"
        );
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }

    // 5. 张三 types a word for the amount: the card comes back to her with the error.
    handle.submit(
        alice,
        &finance,
        &card,
        info(&[("amount", "一千二"), ("decision", "同意")]),
    )?;
    let hers = wait_for(handle, alice, &finance, &card, |c| text(c).contains('⚠')).await?;
    println!(
        "4. {alice} typed 一千二; her card came back:\n{}",
        indent(&text(&hers))
    );
    // ... then more than was claimed: the bot's rule sends it back too.
    handle.submit(
        alice,
        &finance,
        &card,
        info(&[("amount", "1500"), ("decision", "同意")]),
    )?;
    let hers = wait_for(handle, alice, &finance, &card, |c| {
        text(c).contains("不能超过")
    })
    .await?;
    println!(
        "5. {alice} approved ¥1500; her card came back:\n{}",
        indent(&text(&hers))
    );
    let his = seen(handle, bob, &finance, &card)?;
    println!(
        "   {bob} still sees the card as it was sent: {}",
        !text(&his).contains('⚠')
    );

    // 6. She approves ¥1200, and 李四 presses 驳回 at the same moment.
    handle.submit(
        alice,
        &finance,
        &card,
        info(&[
            ("amount", "1200"),
            ("comment", "差旅费已核"),
            ("decision", "同意"),
        ]),
    )?;
    handle.submit(bob, &finance, &card, info(&[("decision", "驳回")]))?;
    let decided = tokio::time::timeout(
        Duration::from_secs(10),
        registry.decision::<ApprovalForm>(asked.id()),
    )
    .await??
    .ok_or("the claim expired instead")?;
    println!(
        "6. decided once: {:?} by {} (outcome: {})",
        decided.form,
        decided.by,
        decided.outcome.unwrap_or_default()
    );
    let closed = wait_for(handle, carol, &finance, &card, |c| {
        c.info.status == Status::Disable
    })
    .await?;
    println!(
        "   everyone sees the card {}: {:?}",
        closed.info.status,
        text(&closed).lines().last().unwrap_or("")
    );
    let notice = wait_for_notice(handle, bob).await?;
    println!("   {bob}'s late click was answered: {notice:?}");

    // 7. Claim #43 goes to 王五 with a deadline of one second, and expires undecided.
    let late = Claim {
        id: 43,
        applicant: "赵六".into(),
        amount: 300,
    };
    let direct = handle
        .direct_room(carol)
        .ok_or("no direct room with 王五")?;
    let asked = approval::ask(
        &registry,
        &late,
        direct.clone(),
        [carol.clone()],
        Duration::from_secs(1),
    )
    .await?;
    let expired = tokio::time::timeout(
        Duration::from_secs(10),
        registry.decision::<ApprovalForm>(asked.id()),
    )
    .await??;
    let shown = seen(handle, carol, &direct, &asked.card.copies[0].origin_event)?;
    println!(
        "7. claim #43 expired undecided: {} (the card reads {:?}, {})",
        expired.is_none(),
        text(&shown).lines().last().unwrap_or(""),
        shown.info.status
    );
    expiry.abort();
    if !text(&closed).contains("已同意") || expired.is_some() || !notice.contains("已由") {
        return Err("the flow did not end as it should".into());
    }
    println!("done: sent, sent back with errors, decided once, answered late, expired");
    Ok(())
}

fn info(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn text(card: &CuiContent) -> String {
    MessageContent::Cui(card.clone()).to_plain_text()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("     | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `person` sees of the card `card` in `room`.
fn seen(
    handle: &SandboxHandle,
    person: &Fcid,
    room: &RoomId,
    card: &EventId,
) -> Result<CuiContent> {
    let message = handle
        .messages(room)
        .into_iter()
        .find(|m| &m.event_id == card)
        .ok_or("the card is gone")?;
    match message.content_for(person) {
        MessageContent::Cui(card) => Ok(card.clone()),
        _ => Err("not a card".into()),
    }
}

/// Waits (up to 10 s) until what `person` sees of the card passes `done`.
async fn wait_for(
    handle: &SandboxHandle,
    person: &Fcid,
    room: &RoomId,
    card: &EventId,
    done: impl Fn(&CuiContent) -> bool,
) -> Result<CuiContent> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let card = seen(handle, person, room, card)?;
        if done(&card) {
            return Ok(card);
        }
        if Instant::now() > deadline {
            return Err(format!("the card did not change as expected:\n{}", text(&card)).into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits (up to 10 s) for the first text the bot sends `person`.
async fn wait_for_notice(handle: &SandboxHandle, person: &Fcid) -> Result<String> {
    let direct = handle.direct_room(person).ok_or("no direct room")?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let notice = handle
            .messages(&direct)
            .into_iter()
            .find(|m| matches!(m.content, MessageContent::Text(_)));
        if let Some(notice) = notice {
            return Ok(notice.content.to_plain_text());
        }
        if Instant::now() > deadline {
            return Err(format!("no notice reached {person}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// With FINCHAT_* set: send the card to FINCHAT_ROOM on a real FinChat and poll for the answer.
async fn against_real_finchat() -> Result<()> {
    let client = Client::from_env()?;
    let room: RoomId = std::env::var("FINCHAT_ROOM")
        .map_err(|_| "set FINCHAT_ROOM to the room to send the card to")?
        .parse()?;
    let registry = CardRegistry::new(client.clone(), MemoryCardStore::new());
    let claim = Claim {
        id: 42,
        applicant: "张三".into(),
        amount: 1200,
    };
    let asked = approval::ask(&registry, &claim, room, [], Duration::from_secs(3600)).await?;
    println!(
        "sent approval card {}; waiting for an answer (polling; Ctrl-C to stop)",
        asked.id()
    );
    let consumer = PollingConsumer::new(
        client,
        approval::dispatcher(&registry),
        MemoryCursor::default(),
    );
    let waiting = registry.clone();
    let id = asked.id().clone();
    consumer
        .run_until(async move {
            waiting.wait_closed(&id).await.ok();
        })
        .await?;
    match registry.decision::<ApprovalForm>(asked.id()).await? {
        Some(decided) => println!("decided: {:?} by {}", decided.form, decided.by),
        None => println!("the card expired undecided"),
    }
    Ok(())
}
