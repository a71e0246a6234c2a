//! The card registry and the submission lifecycle against the sandbox: decided once, approvers,
//! errors back into the card, a failing handler, expiry, patches and bulk refresh, and a store that
//! fails or hangs.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use finchat_client::cards::{
    CardError, CardFilter, CardId, CardRecord, CardRegistry, CardStore, FieldError,
    MemoryCardStore, Phase, RegisterRequest, Registered, StoreError, StoreResult, Verdict,
};
use finchat_client::events::Event;
use finchat_client::token::StoreFuture;
use finchat_client::{Client, Dispatcher, HandlerError};
use finchat_cui::{CuiChoice, CuiContent, CuiForm, EventId, Fcid, RoomId, Status};
use finchat_sandbox::RunningSandbox;

use super::support::{approval_card, client, fcid, room, start};

#[derive(Debug, Clone, Copy, PartialEq, Eq, CuiChoice)]
enum Decision {
    #[cui(label = "同意", value = "同意")]
    Approve,
    #[cui(label = "驳回", value = "驳回")]
    Reject,
}

#[derive(Debug, Clone, PartialEq, CuiForm)]
struct ApprovalForm {
    amount: u32,
    decision: Decision,
    comment: Option<String>,
}

/// The bot under test: how many decisions its handler took.
#[derive(Default)]
struct Bot {
    decided: AtomicUsize,
}

fn dispatcher(registry: &CardRegistry, bot: Arc<Bot>) -> Dispatcher<Arc<Bot>> {
    Dispatcher::new(bot).on_decision::<ApprovalForm, _, _>(registry, |bot, decision| async move {
        if decision.form.amount > 10_000 {
            return Ok(Verdict::rejected([FieldError::new(
                "amount",
                "超出审批额度",
            )]));
        }
        bot.decided.fetch_add(1, Ordering::SeqCst);
        Ok(Verdict::decided(format!(
            "{} {:?} ¥{}",
            decision.by, decision.form.decision, decision.form.amount
        )))
    })
}

struct World {
    sandbox: RunningSandbox,
    client: Client,
    registry: CardRegistry,
}

async fn world_with(store: Arc<dyn CardStore>) -> World {
    let sandbox = start(finchat_sandbox::SandboxConfig::new()).await;
    let client = client(&sandbox);
    let registry = CardRegistry::with_store(client.clone(), store);
    World {
        sandbox,
        client,
        registry,
    }
}

async fn world() -> World {
    world_with(Arc::new(MemoryCardStore::new())).await
}

fn card() -> CuiContent {
    CuiContent::new(approval_card())
}

fn info(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl World {
    /// `person` submits the card `origin` in `room`; the event the bot receives.
    fn submit(
        &self,
        person: &Fcid,
        room: &RoomId,
        origin: &EventId,
        values: &[(&str, &str)],
    ) -> Event {
        let id = self
            .sandbox
            .handle
            .submit(person, room, origin, info(values))
            .unwrap();
        self.event(&id)
    }

    fn event(&self, id: &EventId) -> Event {
        self.sandbox
            .handle
            .events()
            .into_iter()
            .find(|e| e.event_id == id.as_str())
            .unwrap()
    }

    /// What `person` sees of the card `origin` in `room`.
    fn seen(&self, person: &Fcid, room: &RoomId, origin: &EventId) -> CuiContent {
        let message = self
            .sandbox
            .handle
            .messages(room)
            .into_iter()
            .find(|m| &m.event_id == origin)
            .unwrap();
        match message.content_for(person).clone() {
            finchat_cui::MessageContent::Cui(card) => card,
            other => panic!("not a card: {other:?}"),
        }
    }

    /// The texts the bot sent to `person`'s direct room.
    fn notices_to(&self, person: &Fcid) -> Vec<String> {
        let direct = self.sandbox.handle.direct_room(person).unwrap();
        self.sandbox
            .handle
            .messages(&direct)
            .into_iter()
            .filter(|m| matches!(m.content, finchat_cui::MessageContent::Text(_)))
            .map(|m| m.content.to_plain_text())
            .collect()
    }
}

/// Sends and registers the card of `request`; it, and the event id of its first copy.
async fn registered(request: RegisterRequest<'_>) -> (Registered, EventId) {
    let sent = request.send().await.unwrap();
    let origin = sent.card.copies[0].origin_event.clone();
    (sent, origin)
}

fn text_of(card: &CuiContent) -> String {
    finchat_cui::MessageContent::Cui(card.clone()).to_plain_text()
}

#[tokio::test]
async fn a_card_is_decided_once_and_a_late_click_gets_a_notice() {
    let w = world().await;
    let finance = room("finance");
    let (alice, bob) = (fcid("alice"), fcid("bob"));
    let (sent, origin) = registered(
        w.registry
            .ask::<ApprovalForm>(card())
            .room(finance.clone())
            .approvers([alice.clone(), bob.clone()]),
    )
    .await;
    // Both click before the bot has handled either.
    let by_alice = w.submit(
        &alice,
        &finance,
        &origin,
        &[("amount", "1500"), ("decision", "同意")],
    );
    let by_bob = w.submit(&bob, &finance, &origin, &[("decision", "驳回")]);
    let bot = Arc::new(Bot::default());
    let dispatcher = dispatcher(&w.registry, Arc::clone(&bot));

    dispatcher.dispatch(by_alice.clone()).await.unwrap();
    dispatcher.dispatch(by_bob).await.unwrap();
    dispatcher.dispatch(by_alice).await.unwrap(); // a redelivery

    assert_eq!(bot.decided.load(Ordering::SeqCst), 1, "decided once");
    for person in [&alice, &bob, &fcid("carol")] {
        let seen = w.seen(person, &finance, &origin);
        assert_eq!(seen.info.status, Status::Disable, "{person} sees it closed");
        assert!(
            text_of(&seen).contains("@alice:sandbox Approve ¥1500"),
            "{}",
            text_of(&seen)
        );
    }
    let notices = w.notices_to(&bob);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("@alice:sandbox"), "{notices:?}");
    assert!(
        w.notices_to(&alice).is_empty(),
        "the redelivery is not answered with a notice"
    );
    let kept = w.registry.get(sent.id()).await.unwrap().unwrap();
    assert!(
        matches!(&kept.phase, Phase::Decided { by, .. } if by == &alice),
        "{:?}",
        kept.phase
    );
    let decided = w
        .registry
        .decision::<ApprovalForm>(sent.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((decided.form.amount, decided.by), (1500, alice));
}

#[tokio::test]
async fn a_submission_from_someone_not_an_approver_is_answered_and_changes_nothing() {
    let w = world().await;
    let finance = room("finance");
    let (sent, origin) = registered(
        w.registry
            .ask::<ApprovalForm>(card())
            .room(finance.clone())
            .approvers([fcid("alice")]),
    )
    .await;
    let carol = fcid("carol");
    let by_carol = w.submit(&carol, &finance, &origin, &[("decision", "同意")]);
    let bot = Arc::new(Bot::default());
    dispatcher(&w.registry, Arc::clone(&bot))
        .dispatch(by_carol)
        .await
        .unwrap();
    assert_eq!(bot.decided.load(Ordering::SeqCst), 0);
    assert_eq!(w.seen(&carol, &finance, &origin).info.status, Status::Input);
    assert_eq!(w.notices_to(&carol).len(), 1);

    // Someone with no direct room with the bot cannot be told: the submission is acknowledged all
    // the same (asking FinChat to deliver it again would change nothing).
    let outsider: Fcid = "@dave:sandbox".parse().unwrap();
    let mut event = w.submit(&carol, &finance, &origin, &[("decision", "驳回")]);
    event.sender = outsider.to_string();
    dispatcher(&w.registry, Arc::clone(&bot))
        .dispatch(event)
        .await
        .unwrap();
    assert_eq!(
        w.registry.get(sent.id()).await.unwrap().unwrap().revision,
        1,
        "the card did not change"
    );
}

#[tokio::test]
async fn values_that_do_not_read_come_back_as_errors_in_the_submitters_own_copy() {
    let w = world().await;
    let finance = room("finance");
    let (alice, bob) = (fcid("alice"), fcid("bob"));
    let (_, origin) =
        registered(w.registry.ask::<ApprovalForm>(card()).room(finance.clone())).await;
    let bot = Arc::new(Bot::default());
    let dispatcher = dispatcher(&w.registry, Arc::clone(&bot));

    let wrong = w.submit(
        &alice,
        &finance,
        &origin,
        &[
            ("amount", "一千二"),
            ("comment", "急"),
            ("decision", "同意"),
        ],
    );
    dispatcher.dispatch(wrong).await.unwrap();
    assert_eq!(bot.decided.load(Ordering::SeqCst), 0);
    let hers = w.seen(&alice, &finance, &origin);
    assert_eq!(hers.info.status, Status::Input);
    let json = serde_json::to_string(&hers).unwrap();
    assert!(json.contains("提交未成功：1 处需要修改"), "{json}");
    assert!(
        json.contains(r#""value":"一千二""#) && json.contains(r#""value":"急""#),
        "her values are kept: {json}"
    );
    assert!(json.contains("⚠ “一千二”无效"), "{json}");
    assert_eq!(
        w.seen(&bob, &finance, &origin),
        card(),
        "the others' card does not change"
    );

    // Over the limit: the handler sends it back.
    let over = w.submit(
        &alice,
        &finance,
        &origin,
        &[("amount", "20000"), ("decision", "同意")],
    );
    dispatcher.dispatch(over).await.unwrap();
    let json = serde_json::to_string(&w.seen(&alice, &finance, &origin)).unwrap();
    assert!(
        json.contains("⚠ 超出审批额度") && json.contains(r#""value":"20000""#),
        "{json}"
    );
    assert_eq!(w.seen(&bob, &finance, &origin), card());

    let right = w.submit(
        &alice,
        &finance,
        &origin,
        &[("amount", "1200"), ("decision", "同意")],
    );
    dispatcher.dispatch(right).await.unwrap();
    assert_eq!(bot.decided.load(Ordering::SeqCst), 1);
    for person in [&alice, &bob] {
        let seen = w.seen(person, &finance, &origin);
        assert_eq!(seen.info.status, Status::Disable);
        assert!(
            !text_of(&seen).contains('⚠'),
            "the errors are gone: {}",
            text_of(&seen)
        );
    }
}

#[tokio::test]
async fn a_failing_handler_puts_the_card_back_and_the_event_is_not_acknowledged() {
    let w = world().await;
    let finance = room("finance");
    let alice = fcid("alice");
    let (sent, origin) =
        registered(w.registry.ask::<ApprovalForm>(card()).room(finance.clone())).await;
    let event = w.submit(&alice, &finance, &origin, &[("decision", "同意")]);
    let calls = Arc::new(AtomicUsize::new(0));
    let failing = Dispatcher::new(Arc::clone(&calls)).on_decision::<ApprovalForm, _, _>(
        &w.registry,
        |calls, _decision| async move {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 => Err(HandlerError::msg("the ledger is down")),
                1 => panic!("a bug in the handler"),
                _ => Ok(Verdict::decided("已同意")),
            }
        },
    );
    for _ in 0..2 {
        assert!(
            failing.dispatch(event.clone()).await.is_err(),
            "not acknowledged"
        );
        assert_eq!(
            w.seen(&alice, &finance, &origin).info.status,
            Status::Input,
            "put back"
        );
        assert_eq!(
            w.registry.get(sent.id()).await.unwrap().unwrap().phase,
            Phase::Open
        );
    }
    failing.dispatch(event).await.unwrap();
    assert_eq!(
        w.seen(&alice, &finance, &origin).info.status,
        Status::Disable
    );
}

#[tokio::test]
async fn a_handler_over_its_deadline_is_stopped_and_the_card_put_back() {
    let w = world().await;
    let registry = w
        .registry
        .clone()
        .handler_deadline(Duration::from_millis(200));
    let finance = room("finance");
    let alice = fcid("alice");
    let (sent, origin) =
        registered(registry.ask::<ApprovalForm>(card()).room(finance.clone())).await;
    let event = w.submit(&alice, &finance, &origin, &[("decision", "同意")]);
    let hanging = Dispatcher::new(()).on_decision::<ApprovalForm, _, _>(&registry, |_, _| async {
        std::future::pending::<()>().await;
        Ok(Verdict::decided("never"))
    });
    let error = hanging.dispatch(event).await.unwrap_err();
    assert!(error.to_string().contains("longer than"), "{error}");
    assert_eq!(w.seen(&alice, &finance, &origin).info.status, Status::Input);
    assert_eq!(
        registry.get(sent.id()).await.unwrap().unwrap().phase,
        Phase::Open,
        "open again, so that the redelivery is decided"
    );
}

#[tokio::test]
async fn a_card_expires_once_across_instances_and_a_late_click_is_answered() {
    let w = world().await;
    let store: Arc<dyn CardStore> = Arc::new(MemoryCardStore::new());
    let first = CardRegistry::with_store(w.client.clone(), Arc::clone(&store));
    let second = CardRegistry::with_store(w.client.clone(), Arc::clone(&store));
    let alice = fcid("alice");
    let direct = w.sandbox.handle.direct_room(&alice).unwrap();
    let (sent, origin) = registered(
        first
            .ask::<ApprovalForm>(card())
            .fcid(alice.clone())
            .deadline(Duration::from_millis(50)),
    )
    .await;
    let late = w.submit(&alice, &direct, &origin, &[("decision", "同意")]);
    assert_eq!(
        first.expire_due(|_| async { Ok(()) }).await.unwrap(),
        0,
        "not yet"
    );
    tokio::time::sleep(Duration::from_millis(120)).await;

    let heard = Arc::new(AtomicUsize::new(0));
    let hear = |heard: Arc<AtomicUsize>| {
        move |card: CardRecord| {
            let heard = Arc::clone(&heard);
            async move {
                assert_eq!(card.kind, "ApprovalForm");
                heard.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }
    };
    let (a, b) = tokio::join!(
        first.expire_due(hear(Arc::clone(&heard))),
        second.expire_due(hear(Arc::clone(&heard)))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "closed by one instance");
    assert_eq!(heard.load(Ordering::SeqCst), 1, "heard once");
    assert_eq!(
        first.expire_due(hear(Arc::clone(&heard))).await.unwrap(),
        0,
        "and never again"
    );
    let seen = w.seen(&alice, &direct, &origin);
    assert_eq!(seen.info.status, Status::Disable);
    assert!(text_of(&seen).contains("已过期"), "{}", text_of(&seen));
    assert!(
        first
            .decision::<ApprovalForm>(sent.id())
            .await
            .unwrap()
            .is_none(),
        "no decision"
    );

    // A click that reaches the bot after the card was closed as expired is answered, never decided.
    let bot = Arc::new(Bot::default());
    dispatcher(&second, Arc::clone(&bot))
        .dispatch(late)
        .await
        .unwrap();
    assert_eq!(
        bot.decided.load(Ordering::SeqCst),
        0,
        "an expired card takes no decision"
    );
    assert_eq!(w.notices_to(&alice).len(), 1);
}

#[tokio::test]
async fn an_expiry_handler_over_its_deadline_is_stopped_and_the_card_tried_again_later() {
    let w = world().await;
    let registry = w
        .registry
        .clone()
        .handler_deadline(Duration::from_millis(100));
    let (sent, _) = registered(
        registry
            .ask::<ApprovalForm>(card())
            .fcid(fcid("alice"))
            .deadline(Duration::from_millis(10)),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;

    let finished = Arc::new(AtomicUsize::new(0));
    let slow = |finished: Arc<AtomicUsize>| {
        move |_: CardRecord| {
            let finished = Arc::clone(&finished);
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                finished.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }
    };
    assert_eq!(
        registry
            .expire_due(slow(Arc::clone(&finished)))
            .await
            .unwrap(),
        0,
        "not expired: its handler did not finish"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        finished.load(Ordering::SeqCst),
        0,
        "the handler was stopped at its deadline, not left running beside the next try"
    );
    let kept = registry.get(sent.id()).await.unwrap().unwrap();
    assert!(
        matches!(kept.phase, Phase::Expiring { .. }),
        "{:?}",
        kept.phase
    );

    // Its lease has lapsed: the next sweep takes the card again.
    assert_eq!(registry.expire_due(|_| async { Ok(()) }).await.unwrap(), 1);
    let kept = registry.get(sent.id()).await.unwrap().unwrap();
    assert!(
        matches!(kept.phase, Phase::Expired { .. }),
        "{:?}",
        kept.phase
    );
}

#[tokio::test]
async fn patch_changes_one_element_of_every_copy_and_refresh_every_matching_card() {
    let w = world().await;
    let (finance, direct) = (
        room("finance"),
        w.sandbox.handle.direct_room(&fcid("bob")).unwrap(),
    );
    let one = w
        .registry
        .send(card())
        .rooms([finance.clone(), direct.clone()])
        .kind("approval")
        .label("claim", "42")
        .send()
        .await
        .unwrap();
    assert_eq!(one.card.copies.len(), 2);
    let other = w
        .registry
        .send(card())
        .room(finance.clone())
        .kind("approval")
        .label("claim", "43")
        .send()
        .await
        .unwrap();

    let updated = w
        .registry
        .patch(one.id(), |card| {
            assert!(card.set_value("amount", "1500"));
            card.push_line("金额已调整");
        })
        .await
        .unwrap();
    assert!(updated.all_delivered(), "{:?}", updated.report);
    assert_eq!(updated.card.revision, 2);
    for copy in &one.card.copies {
        let room = match &copy.target {
            finchat_client::Target::Room(r) => r.clone(),
            _ => unreachable!(),
        };
        let json = serde_json::to_string(&w.seen(&fcid("bob"), &room, &copy.origin_event)).unwrap();
        assert!(
            json.contains(r#""value":"1500""#) && json.contains("金额已调整"),
            "{json}"
        );
    }

    let refreshed = w
        .registry
        .refresh(
            &CardFilter::kind("approval").label("claim", "42").live(),
            |card| card.push_line("报销单已修改"),
        )
        .await
        .unwrap();
    assert_eq!(refreshed.updated.len(), 1);
    assert!(refreshed.failed.is_empty());
    let changed = &refreshed.updated[0];
    assert_eq!(
        (changed.card.id.clone(), changed.card.revision),
        (one.id().clone(), 3)
    );
    assert!(changed.all_delivered(), "{:?}", changed.report);
    for copy in &one.card.copies {
        let finchat_client::Target::Room(room) = &copy.target else {
            unreachable!()
        };
        let text = text_of(&w.seen(&fcid("bob"), room, &copy.origin_event));
        assert!(
            text.contains("报销单已修改") && text.contains("金额已调整"),
            "every copy shows the refresh, over the patch: {text}"
        );
    }
    let origin = &other.card.copies[0].origin_event;
    assert_eq!(
        w.seen(&fcid("bob"), &finance, origin),
        card(),
        "claim 43 is not touched"
    );

    let invalid = w
        .registry
        .patch(one.id(), |card| card.content().info.elements.clear())
        .await;
    assert!(
        matches!(invalid, Err(CardError::Invalid { .. })),
        "{invalid:?}"
    );
    assert_eq!(
        w.registry.get(one.id()).await.unwrap().unwrap().revision,
        3,
        "nothing invalid is kept"
    );
    let unknown = w.registry.patch(&CardId::new("nope"), |_| {}).await;
    assert!(matches!(unknown, Err(CardError::Unknown(_))), "{unknown:?}");
}

#[tokio::test]
async fn a_card_sent_again_under_its_id_is_not_sent_twice() {
    let w = world().await;
    let finance = room("finance");
    let send = || {
        w.registry
            .send(card())
            .room(finance.clone())
            .id(CardId::new("claim-42"))
    };
    let first = send().send().await.unwrap();
    assert_eq!(first.id().as_str(), "claim-42");
    assert_eq!(first.report.results.len(), 1);
    let again = send().send().await.unwrap();
    assert_eq!(again.card, first.card, "the card kept under the id");
    assert!(again.report.results.is_empty(), "{:?}", again.report);
    let cards = w
        .sandbox
        .handle
        .messages(&finance)
        .into_iter()
        .filter(|m| m.content.card().is_some())
        .count();
    assert_eq!(cards, 1, "sent once");
}

#[tokio::test]
async fn two_instances_racing_on_one_card_decide_it_once() {
    let w = world().await;
    let store: Arc<dyn CardStore> = Arc::new(MemoryCardStore::new());
    let registries: Vec<CardRegistry> = (0..2)
        .map(|_| CardRegistry::with_store(w.client.clone(), Arc::clone(&store)))
        .collect();
    let finance = room("finance");
    let (sent, origin) = registered(
        registries[0]
            .ask::<ApprovalForm>(card())
            .room(finance.clone()),
    )
    .await;
    let events: Vec<Event> = ["alice", "bob", "carol"]
        .iter()
        .map(|p| w.submit(&fcid(p), &finance, &origin, &[("decision", "同意")]))
        .collect();
    let bot = Arc::new(Bot::default());
    let dispatchers: Vec<_> = registries
        .iter()
        .map(|r| Arc::new(dispatcher(r, Arc::clone(&bot))))
        .collect();
    // Every event to both instances at once, until each is acknowledged by one of them.
    let mut tasks = Vec::new();
    for event in &events {
        for d in &dispatchers {
            let (d, event) = (Arc::clone(d), event.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    if d.dispatch(event.clone()).await.is_ok() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(bot.decided.load(Ordering::SeqCst), 1);
    let kept = store.get(sent.id()).await.unwrap().unwrap();
    assert!(matches!(kept.phase, Phase::Decided { .. }));
}

/// A store whose every call fails, or never answers.
struct BrokenStore {
    hangs: bool,
}

impl BrokenStore {
    fn answer<'a, T: Send + 'a>(&self) -> StoreFuture<'a, StoreResult<T>> {
        let hangs = self.hangs;
        Box::pin(async move {
            if hangs {
                std::future::pending::<()>().await;
            }
            Err(StoreError::unavailable("connection refused"))
        })
    }
}

impl CardStore for BrokenStore {
    fn insert<'a>(&'a self, _: &'a CardRecord) -> StoreFuture<'a, StoreResult<()>> {
        self.answer()
    }
    fn get<'a>(&'a self, _: &'a CardId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        if self.hangs {
            return self.answer();
        }
        Box::pin(async { Ok(None) })
    }
    fn by_origin<'a>(&'a self, _: &'a EventId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        self.answer()
    }
    fn replace<'a>(&'a self, _: &'a CardRecord) -> StoreFuture<'a, StoreResult<bool>> {
        self.answer()
    }
    fn find<'a>(&'a self, _: &'a CardFilter) -> StoreFuture<'a, StoreResult<Vec<CardRecord>>> {
        self.answer()
    }
    fn due(&self, _: i64, _: usize) -> StoreFuture<'_, StoreResult<Vec<CardRecord>>> {
        self.answer()
    }
    fn remove<'a>(&'a self, _: &'a CardId) -> StoreFuture<'a, StoreResult<()>> {
        self.answer()
    }
}

#[tokio::test]
async fn a_card_that_cannot_be_registered_is_closed_and_the_error_returned() {
    let w = world_with(Arc::new(BrokenStore { hangs: false })).await;
    let alice = fcid("alice");
    let direct = w.sandbox.handle.direct_room(&alice).unwrap();
    let error = w
        .registry
        .send(card())
        .room(direct.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, CardError::Store(StoreError::Unavailable(_))),
        "{error:?}"
    );
    let messages = w.sandbox.handle.messages(&direct);
    let sent = messages.last().unwrap();
    let seen = w.seen(&alice, &direct, &sent.event_id);
    assert_eq!(
        seen.info.status,
        Status::Disable,
        "nobody fills in a card whose answer would be lost"
    );
    assert!(text_of(&seen).contains("未能登记"), "{}", text_of(&seen));
}

#[tokio::test]
async fn a_store_that_fails_or_hangs_leaves_the_submission_unacknowledged() {
    for hangs in [false, true] {
        let w = world_with(Arc::new(BrokenStore { hangs })).await;
        let registry = w
            .registry
            .clone()
            .store_deadline(Duration::from_millis(100));
        let alice = fcid("alice");
        let direct = w.sandbox.handle.direct_room(&alice).unwrap();
        let origin = super::support::send_card(&w.client, &direct, approval_card()).await;
        let event = w.submit(&alice, &direct, &origin, &[("decision", "同意")]);
        let error = dispatcher(&registry, Arc::default())
            .dispatch(event)
            .await
            .unwrap_err();
        let expected = if hangs {
            "did not answer by_origin within 100ms"
        } else {
            "connection refused"
        };
        assert!(error.to_string().contains(expected), "{error}");
        let timed_out = registry.get(&CardId::new("x")).await;
        if hangs {
            assert!(
                matches!(
                    timed_out,
                    Err(CardError::Store(StoreError::TimedOut { .. }))
                ),
                "{timed_out:?}"
            );
        }
    }
}

#[tokio::test]
async fn exclusive_cards_are_decided_by_each_person_for_themselves() {
    let w = world().await;
    let finance = room("finance");
    let (alice, bob) = (fcid("alice"), fcid("bob"));
    let poll = CuiContent::new(approval_card().shared(false));
    let (_, origin) = registered(w.registry.ask::<ApprovalForm>(poll).room(finance.clone())).await;
    let bot = Arc::new(Bot::default());
    let dispatcher = dispatcher(&w.registry, Arc::clone(&bot));
    dispatcher
        .dispatch(w.submit(&alice, &finance, &origin, &[("decision", "同意")]))
        .await
        .unwrap();
    assert_eq!(
        w.seen(&alice, &finance, &origin).info.status,
        Status::Disable
    );
    assert_eq!(
        w.seen(&bob, &finance, &origin).info.status,
        Status::Input,
        "bob still decides"
    );
    dispatcher
        .dispatch(w.submit(&bob, &finance, &origin, &[("decision", "驳回")]))
        .await
        .unwrap();
    assert_eq!(bot.decided.load(Ordering::SeqCst), 2);
    assert!(text_of(&w.seen(&bob, &finance, &origin)).contains("Reject"));
    assert!(
        text_of(&w.seen(&alice, &finance, &origin)).contains("Approve"),
        "alice keeps hers"
    );
}

#[tokio::test]
async fn a_failing_handler_gives_the_submitter_their_exclusive_copy_back() {
    let w = world().await;
    let finance = room("finance");
    let (alice, bob) = (fcid("alice"), fcid("bob"));
    let poll = CuiContent::new(approval_card().shared(false));
    let (sent, origin) = registered(
        w.registry
            .ask::<ApprovalForm>(poll.clone())
            .room(finance.clone()),
    )
    .await;
    let event = w.submit(&alice, &finance, &origin, &[("decision", "同意")]);
    let calls = Arc::new(AtomicUsize::new(0));
    let flaky = Dispatcher::new(Arc::clone(&calls)).on_decision::<ApprovalForm, _, _>(
        &w.registry,
        |calls, _decision| async move {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 => Err(HandlerError::msg("the ledger is down")),
                _ => Ok(Verdict::decided("已同意")),
            }
        },
    );
    assert!(
        flaky.dispatch(event.clone()).await.is_err(),
        "not acknowledged"
    );
    assert_eq!(
        w.seen(&alice, &finance, &origin),
        poll,
        "hers is as sent again"
    );
    assert_eq!(w.seen(&bob, &finance, &origin), poll);
    let kept = w.registry.get(sent.id()).await.unwrap().unwrap();
    assert!(
        kept.per_user.is_empty() && kept.user_phases.is_empty(),
        "{kept:?}"
    );

    flaky.dispatch(event).await.unwrap();
    assert_eq!(
        w.seen(&alice, &finance, &origin).info.status,
        Status::Disable
    );
    assert_eq!(w.seen(&bob, &finance, &origin), poll, "bob still decides");
}

/// The bot: a registry on the SQLite file `cards`, and a receiver on `listener`, on `runtime`.
fn start_bot(
    runtime: &tokio::runtime::Runtime,
    sandbox: &RunningSandbox,
    cards: &std::path::Path,
    listener: std::net::TcpListener,
    bot: Arc<Bot>,
) -> CardRegistry {
    let store = finchat_client::cards::SqliteCardStore::open(cards).unwrap();
    let registry = CardRegistry::new(client(sandbox), store);
    let receiver =
        finchat_client::Receiver::new(dispatcher(&registry, bot), "restart-callback-token")
            .unwrap();
    runtime.spawn(async move {
        listener.set_nonblocking(true).unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, receiver.router()).await.ok();
    });
    registry
}

#[test]
fn a_pending_approval_completes_after_the_bot_restarts_on_the_same_sqlite_file() {
    let sandbox_runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let callback = format!("http://{}/callback", listener.local_addr().unwrap());
    let sandbox = sandbox_runtime.block_on(start(
        finchat_sandbox::SandboxConfig::new()
            .callback(&callback, "restart-callback-token")
            .time_scale(0.001),
    ));
    let dir = tempfile::tempdir().unwrap();
    let cards = dir.path().join("cards.sqlite");
    let (alice, finance) = (fcid("alice"), room("finance"));

    // The first run sends the approval, and stops (its runtime dropped) before anyone answers.
    let first = tokio::runtime::Runtime::new().unwrap();
    let before = Arc::new(Bot::default());
    let registry = start_bot(&first, &sandbox, &cards, listener, Arc::clone(&before));
    let sent = first
        .block_on(
            registry
                .ask::<ApprovalForm>(card())
                .room(finance.clone())
                .send(),
        )
        .unwrap();
    let origin = sent.card.copies[0].origin_event.clone();
    drop(registry);
    drop(first);

    // The approver answers while the bot is down: the push fails and is retried.
    let submitted = sandbox
        .handle
        .submit(
            &alice,
            &finance,
            &origin,
            info(&[("amount", "1200"), ("decision", "同意")]),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let delivered = |pushes: Vec<finchat_sandbox::PushRecord>| {
        pushes
            .into_iter()
            .find(|p| p.event_id == submitted.as_str())
    };
    assert!(
        delivered(sandbox.handle.pushes()).is_none(),
        "not delivered while the bot is down"
    );

    // The second run, on the same file and port, gets the redelivery and decides the card.
    let second = tokio::runtime::Runtime::new().unwrap();
    let listener = std::net::TcpListener::bind(
        callback
            .trim_start_matches("http://")
            .trim_end_matches("/callback"),
    )
    .unwrap();
    let after = Arc::new(Bot::default());
    let registry = start_bot(&second, &sandbox, &cards, listener, Arc::clone(&after));
    let decided = second
        .block_on(async {
            tokio::time::timeout(
                Duration::from_secs(30),
                registry.decision::<ApprovalForm>(sent.id()),
            )
            .await
        })
        .expect("decided within 30 s")
        .unwrap()
        .expect("decided, not expired");
    assert_eq!((decided.form.amount, decided.by), (1200, alice.clone()));
    assert_eq!(
        (
            before.decided.load(Ordering::SeqCst),
            after.decided.load(Ordering::SeqCst)
        ),
        (0, 1)
    );
    sandbox_runtime.block_on(super::support::wait_until(
        "the card shows the decision",
        || {
            sandbox.handle.messages(&finance).iter().any(|m| {
                m.event_id == origin
                    && m.content_for(&alice)
                        .card()
                        .is_some_and(|c| c.status == Status::Disable)
            })
        },
    ));
}

#[tokio::test]
async fn a_decision_the_receiver_gives_up_on_stops_its_handler() {
    let w = world().await;
    let finance = room("finance");
    let alice = fcid("alice");
    let (_, origin) =
        registered(w.registry.ask::<ApprovalForm>(card()).room(finance.clone())).await;
    let event = w.submit(&alice, &finance, &origin, &[("decision", "同意")]);
    let finished = Arc::new(AtomicUsize::new(0));
    let slow = Dispatcher::new(Arc::clone(&finished)).on_decision::<ApprovalForm, _, _>(
        &w.registry,
        |finished, _| async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            finished.fetch_add(1, Ordering::SeqCst);
            Ok(Verdict::decided("已同意"))
        },
    );
    // The receiver's own deadline drops the dispatch while the handler runs.
    let given_up = tokio::time::timeout(Duration::from_millis(50), slow.dispatch(event)).await;
    assert!(given_up.is_err());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        finished.load(Ordering::SeqCst),
        0,
        "the handler stopped with the dispatch"
    );
}
