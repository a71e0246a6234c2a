//! The card record as the durable stores keep it (its JSON is a format a newer version must still
//! read, so it is snapshotted, and it reads back whole), and what a decision tells of itself. The
//! lifecycle itself is tested against the sandbox (finchat-sandbox's `tests/it/cards.rs`).

use finchat_client::cards::{CardCopy, CardId, CardRecord, CardRegistry, MemoryCardStore, Phase};
use finchat_client::events::Event;
use finchat_client::{Dispatcher, HandlerError, Target};
use finchat_cui::{Card, CuiContent, CuiForm, EventId, Submission};
use finchat_test_support::logs::Logs;
use finchat_test_support::snapshot::snapshot;
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer};

fn record() -> CardRecord {
    let alice = "@alice:example.org".parse().unwrap();
    let content = CuiContent::new(
        Card::form()
            .shared(false)
            .text("报销申请 #42")
            .input(finchat_cui::element::TextInput::new("amount").value("1200")),
    );
    let copies = vec![
        CardCopy {
            target: Target::Room("!finance:example.org".parse().unwrap()),
            origin_event: "$card1:example.org".parse().unwrap(),
        },
        CardCopy {
            target: Target::User("@bob:example.org".parse().unwrap()),
            origin_event: "$card2:example.org".parse().unwrap(),
        },
    ];
    let mut card = CardRecord::new(
        CardId::new("claim-42"),
        "ApprovalForm",
        content.clone(),
        copies,
    );
    card.created_ms = 1_700_000_000_000;
    card.revision = 3;
    card.deadline_ms = Some(1_700_086_400_000);
    card.labels.insert("claim".into(), "42".into());
    card.data = serde_json::json!({"id": 42, "applicant": "王五", "amount": 1200});
    card.approvers = vec![
        "@alice:example.org".parse().unwrap(),
        "@bob:example.org".parse().unwrap(),
    ];
    card.per_user
        .insert("@alice:example.org".parse().unwrap(), content);
    card.user_phases.insert(
        alice,
        Phase::Decided {
            by: "@alice:example.org".parse().unwrap(),
            event: "$submitted:example.org".parse().unwrap(),
            at_ms: 1_700_000_100_000,
            outcome: Some("已同意 ¥1200".into()),
            submission: Some(Submission::new().with("amount", "1200")),
        },
    );
    card.user_phases.insert(
        "@bob:example.org".parse().unwrap(),
        Phase::Deciding {
            by: "@bob:example.org".parse().unwrap(),
            event: "$other:example.org".parse().unwrap(),
            until_ms: 1_700_000_120_000,
        },
    );
    card
}

#[test]
fn a_card_record_is_kept_as_this_json_and_reads_back_whole() {
    let card = record();
    snapshot("cards_record", &card);
    let json = serde_json::to_string(&card).unwrap();
    let read: CardRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(read, card);
}

#[test]
fn every_phase_is_tagged_by_its_name() {
    let phases = [
        Phase::Open,
        Phase::Expiring { until_ms: 1 },
        Phase::Expired { at_ms: 2 },
    ];
    snapshot("cards_phases", &phases);
}

#[derive(CuiForm)]
struct Approval {
    amount: u32,
}

/// Answers a send or an update-cui to rooms: each room got it, as the event `$card:example.org`.
fn answer_rooms(request: &Recorded) -> Reply {
    let results: Vec<Value> = request.json()["room_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|room| json!({"room_id": room, "errcode": "", "error": "", "event_id": "$card:example.org"}))
        .collect();
    Reply::ok(json!({"room_id_result": results}))
}

/// Alice's submission of `values` on the card `origin`.
fn submission(origin: &EventId, values: Value) -> Event {
    serde_json::from_value(json!({
        "event_id": "$submitted:example.org",
        "type": "finstore.room.interactcui",
        "sender": "@alice:example.org",
        "timestamp": 1_700_000_000_000_i64,
        "room_id": "!finance:example.org",
        "room_type": "multi_room",
        "origin_event": origin,
        "content": {"action": "submit", "info": values},
    }))
    .unwrap()
}

/// How many `finchat.handler` spans closed: one per handler run.
fn handler_runs(logs: &Logs) -> usize {
    logs.text()
        .lines()
        .filter(|line| {
            // The innermost span of the closing line is the handler's.
            line.rfind("finchat.handler{").is_some_and(|start| {
                let rest = &line[start..];
                rest.find("}: ").is_some_and(|end| {
                    !rest[..end].contains("}:") && rest[end..].contains(": close")
                })
            })
        })
        .count()
}

#[tokio::test]
async fn a_failed_decision_is_one_failed_handler_run_inside_the_event() {
    let server = TestServer::with_tokens(|r, _| answer_rooms(r)).await;
    let registry = CardRegistry::new(server.client().build().unwrap(), MemoryCardStore::new());
    let card = CuiContent::new(
        Card::form()
            .text("报销申请 #42")
            .input(finchat_cui::element::TextInput::new("amount")),
    );
    let sent = registry
        .ask::<Approval>(card)
        .room("!finance:example.org".parse().unwrap())
        .send()
        .await
        .unwrap();
    let dispatcher =
        Dispatcher::new(()).on_decision::<Approval, _, _>(&registry, |_, decision| async move {
            tracing::info!(amount = decision.form.amount, "asking the ledger");
            Err(HandlerError::msg("the ledger is down"))
        });
    let event = submission(&sent.card.copies[0].origin_event, json!({"amount": "1200"}));

    let (logs, _guard) = Logs::capture();
    let span = tracing::info_span!("finchat.event");
    let error = tracing::Instrument::instrument(dispatcher.dispatch(event), span)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("the ledger is down"), "{error}");
    assert_eq!(handler_runs(&logs), 1, "{}", logs.text());
    logs.closed(
        "finchat.handler",
        &["handler=\"on_decision\"", "outcome=\"error\""],
    );
    logs.line_with(&["finchat.event", "finchat.handler", "asking the ledger"]);
}
