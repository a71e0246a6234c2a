//! The card record as the durable stores keep it: its JSON is a format a newer version must still
//! read, so it is snapshotted, and it reads back whole.

use finchat_client::Target;
use finchat_client::cards::{CardCopy, CardId, CardRecord, Phase};
use finchat_cui::{Card, CuiContent, Submission};
use finchat_test_support::snapshot::snapshot;

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
