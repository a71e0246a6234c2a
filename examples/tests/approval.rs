//! The approval bot's user stories, told with finchat-test on the sandbox with a paused clock: values
//! sent back as errors in the card, a decision made once while a second approver clicks at the same
//! moment, an outsider's click refused, and a claim that expires.

use std::collections::BTreeMap;
use std::time::Duration;

use finchat_client::cards::{CardRegistry, MemoryCardStore};
use finchat_cui::Status;
use finchat_examples::approval::{self, Claim};
use finchat_test::{PushAnswer, TestWorld};

fn claim(id: u32, amount: u32) -> Claim {
    Claim {
        id,
        applicant: "王五".into(),
        amount,
    }
}

/// The world with the approval bot served, its cards in memory, and its expiry sweep running.
async fn world_with_bot() -> (TestWorld, CardRegistry) {
    let world = TestWorld::start().await;
    let registry = CardRegistry::new(world.client(), MemoryCardStore::new());
    world.serve(approval::dispatcher(&registry));
    registry.spawn_expiry(Duration::from_secs(1), |_| async { Ok(()) });
    (world, registry)
}

#[tokio::test(start_paused = true)]
async fn an_approver_corrects_the_amount_and_approves_while_the_other_clicks_too_late() {
    let (world, registry) = world_with_bot().await;
    let finance = world.room("财务部");
    let (zhang, li, wang) = (
        world.person("张三"),
        world.person("李四"),
        world.person("王五"),
    );
    let approvers = [zhang.fcid().clone(), li.fcid().clone()];
    let hour = Duration::from_secs(3600);
    approval::ask(
        &registry,
        &claim(42, 1200),
        finance.id().clone(),
        approvers,
        hour,
    )
    .await
    .unwrap();
    world.settle().await;
    finance
        .last_card()
        .assert_status(Status::Input)
        .assert_contains("报销申请 #42");

    // A word for the amount: the card comes back to 张三 alone, with the error under the input.
    zhang
        .fill(&finance)
        .set("amount", "一千二")
        .press("同意")
        .await
        .unwrap();
    let hers = zhang.card_in(&finance);
    hers.assert_status(Status::Input);
    hers.assert_contains("提交未成功：1 处需要修改");
    assert_eq!(
        hers.errors(),
        [
            "⚠ 提交未成功：1 处需要修改",
            "⚠ “一千二”无效，应为0 到 4294967295 之间的整数"
        ]
    );
    assert_eq!(hers.value("amount"), Some("一千二"), "her value is kept");
    li.card_in(&finance).assert_not_contains("⚠");

    // More than was claimed: the bot's own rule sends it back.
    zhang
        .fill(&finance)
        .set("amount", "1500")
        .press("同意")
        .await
        .unwrap();
    zhang
        .card_in(&finance)
        .assert_contains("不能超过申请金额 ¥1200");

    // 张三 approves ¥1000 and 李四 presses 驳回 before the bot has answered her: one decision.
    let card = finance.last_card().event_id().clone();
    let values = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    };
    let sandbox = world.sandbox();
    sandbox
        .submit(
            zhang.fcid(),
            finance.id(),
            &card,
            values(&[
                ("amount", "1000"),
                ("comment", "差旅费已核"),
                ("decision", "同意"),
            ]),
        )
        .unwrap();
    sandbox
        .submit(
            li.fcid(),
            finance.id(),
            &card,
            values(&[("decision", "驳回")]),
        )
        .unwrap();
    world.settle().await;
    for person in [&zhang, &li, &wang] {
        person
            .card_in(&finance)
            .assert_status(Status::Disable)
            .assert_contains("已同意：@alice:sandbox ¥1000（差旅费已核）");
    }
    li.direct_room()
        .assert_posted("此卡片已由 @alice:sandbox 处理");
    // The closed card shows the values decided, not those it was sent with.
    let closed = finance.last_card();
    assert_eq!(closed.value("amount"), Some("1000"));
    assert_eq!(closed.value("comment"), Some("差旅费已核"));

    // A closed card takes no more clicks.
    assert!(li.press(&finance, "驳回").await.is_err());
    // Every push, the room creations and the four submissions, was acked at its first attempt: the
    // sandbox pushes one event at a time, so 李四's click reached the bot after the decision and was
    // answered with the notice, not refused and redelivered.
    let pushes = world.pushes();
    let submissions = pushes
        .iter()
        .filter(|p| p.event_type == "finstore.room.interactcui")
        .count();
    assert_eq!(submissions, 4, "{pushes:?}");
    for push in &pushes {
        assert!(
            matches!(push.attempts.as_slice(), [only] if only.answer == PushAnswer::Acked),
            "{push:?}"
        );
    }
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("approval_story_transcript", world.transcript());
    });
}

#[tokio::test(start_paused = true)]
async fn an_outsider_cannot_decide_and_an_unanswered_claim_expires() {
    let (world, registry) = world_with_bot().await;
    let wang = world.person("王五");
    let direct = wang.direct_room();
    approval::ask(
        &registry,
        &claim(43, 300),
        direct.id().clone(),
        [world.person("张三").fcid().clone()],
        Duration::from_secs(600),
    )
    .await
    .unwrap();
    world.settle().await;

    wang.press(&direct, "同意").await.unwrap();
    direct.assert_posted("你不是此卡片的审批人");
    direct.last_card().assert_status(Status::Input);

    // Ten minutes pass at once: the card closes as expired, once.
    world.advance(Duration::from_secs(601)).await;
    direct
        .last_card()
        .assert_status(Status::Disable)
        .assert_contains("已过期，未作决定");
    let closing = world
        .update_calls()
        .iter()
        .filter(|call| {
            call.request
                .as_ref()
                .is_some_and(|r| r.to_string().contains("已过期"))
        })
        .count();
    assert_eq!(closing, 1, "the card is closed once");
}
