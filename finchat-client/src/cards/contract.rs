//! What every [`CardStore`] must do, as one check each store's tests run against a real instance.

use finchat_cui::{Card, CuiContent, EventId, RoomId};

use super::store::{CardFilter, CardStore, StoreError};
use super::{CardCopy, CardId, CardRecord, Phase};
use crate::Target;

fn event(n: &str) -> EventId {
    format!("${n}:contract.example")
        .parse()
        .expect("an event id")
}

/// A card `id` of `kind` with one copy per origin, created at `created_ms`.
pub(crate) fn card(id: &str, kind: &str, origins: &[&str], created_ms: i64) -> CardRecord {
    let room: RoomId = "!room:contract.example".parse().expect("a room id");
    let copies = origins
        .iter()
        .map(|o| CardCopy {
            target: Target::Room(room.clone()),
            origin_event: event(o),
        })
        .collect();
    let content = CuiContent::new(Card::form().text(format!("card {id}")));
    let mut card = CardRecord::new(CardId::new(id), kind, content, copies);
    card.created_ms = created_ms;
    card
}

/// Runs every check against `store`, which must be empty.
pub(crate) async fn check(store: &dyn CardStore) {
    insert_get_and_origins(store).await;
    compare_and_set(store).await;
    find_by_kind_labels_and_liveness(store).await;
    due_follows_wakes_at(store).await;
    remove_forgets_the_card_and_its_indexes(store).await;
}

async fn insert_get_and_origins(store: &dyn CardStore) {
    let mut a = card("a", "Approval", &["a1", "a2"], 1);
    a.labels.insert("claim".into(), "42".into());
    a.data = serde_json::json!({"claim": 42, "applicant": "张三"});
    a.approvers = vec!["@alice:contract.example".parse().expect("fcid")];
    store.insert(&a).await.expect("insert a");
    assert_eq!(
        store.get(&a.id).await.expect("get"),
        Some(a.clone()),
        "a card reads back whole"
    );
    for origin in ["a1", "a2"] {
        let found = store.by_origin(&event(origin)).await.expect("by_origin");
        assert_eq!(
            found.map(|c| c.id),
            Some(a.id.clone()),
            "copy {origin} finds its card"
        );
    }
    assert_eq!(
        store.by_origin(&event("nobody")).await.expect("by_origin"),
        None
    );
    assert_eq!(store.get(&CardId::new("nobody")).await.expect("get"), None);

    let same_id = card("a", "Approval", &["other"], 2);
    assert!(
        matches!(store.insert(&same_id).await, Err(StoreError::Exists(id)) if id == a.id),
        "a second card with the same id is refused"
    );
    let same_origin = card("b", "Approval", &["a2"], 2);
    assert!(
        matches!(store.insert(&same_origin).await, Err(StoreError::Exists(_))),
        "a second card with a copy's event is refused"
    );
    assert_eq!(
        store.get(&CardId::new("b")).await.expect("get"),
        None,
        "a refused insert keeps nothing"
    );
    store.remove(&a.id).await.expect("remove a");
}

async fn compare_and_set(store: &dyn CardStore) {
    let c = card("cas", "Approval", &["cas1"], 1);
    store.insert(&c).await.expect("insert");
    let mut next = c.clone();
    next.revision = 2;
    next.phase = Phase::Decided {
        by: "@bob:contract.example".parse().expect("fcid"),
        event: event("submitted"),
        at_ms: 5,
        outcome: Some("已同意".into()),
        submission: Some(finchat_cui::Submission::new().with("decision", "同意")),
    };
    assert!(
        store.replace(&next).await.expect("replace"),
        "revision 1 → 2 is written"
    );
    assert_eq!(store.get(&c.id).await.expect("get"), Some(next.clone()));
    assert_eq!(store.revision(&c.id).await.expect("revision"), Some(2));
    assert_eq!(
        store
            .revision(&CardId::new("nobody"))
            .await
            .expect("revision"),
        None
    );

    let mut stale = c.clone();
    stale.revision = 2;
    stale.kind = "Stale".into();
    assert!(
        !store.replace(&stale).await.expect("replace"),
        "a write over revision 1 loses to 2"
    );
    let mut skip = next.clone();
    skip.revision = 4;
    assert!(
        !store.replace(&skip).await.expect("replace"),
        "a write that skips a revision loses"
    );
    assert_eq!(
        store.get(&c.id).await.expect("get"),
        Some(next),
        "a lost write changes nothing"
    );

    let missing = card("missing", "Approval", &["m1"], 1);
    assert!(
        !store.replace(&missing).await.expect("replace"),
        "a card that is not kept is not written"
    );
    assert_eq!(store.get(&missing.id).await.expect("get"), None);

    // Many writers, each reading and retrying on the new revision: every change lands once.
    let counter = card("counter", "Counter", &["n1"], 1);
    store.insert(&counter).await.expect("insert");
    let writers = (0..8).map(|_| increment(store, &counter.id));
    futures_join(writers).await;
    let kept = store.get(&counter.id).await.expect("get").expect("kept");
    assert_eq!(
        (kept.revision, kept.data),
        (9, serde_json::json!(8)),
        "8 changes, none lost"
    );
    store.remove(&c.id).await.expect("remove");
    store.remove(&counter.id).await.expect("remove");
}

/// Adds one to the counter card `id` (its `data`) as a writer must: read it, change it, and
/// compare-and-set it, reading again and retrying whenever another writer came first.
pub(crate) async fn increment(store: &dyn CardStore, id: &CardId) {
    loop {
        let mut kept = store.get(id).await.expect("get").expect("kept");
        kept.revision += 1;
        let n = kept.data.as_u64().unwrap_or(0);
        kept.data = serde_json::json!(n + 1);
        if store.replace(&kept).await.expect("replace") {
            return;
        }
    }
}

/// Runs the futures concurrently on this task (the store is borrowed, so they cannot be spawned).
async fn futures_join<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    let mut pending: Vec<_> = futures.map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
}

async fn find_by_kind_labels_and_liveness(store: &dyn CardStore) {
    let mut one = card("f1", "Approval", &["f1"], 10);
    one.labels.insert("claim".into(), "42".into());
    let mut two = card("f2", "Approval", &["f2"], 20);
    two.labels.insert("claim".into(), "42".into());
    two.labels.insert("dept".into(), "fin".into());
    let mut three = card("f3", "Poll", &["f3"], 30);
    three.labels.insert("claim".into(), "42".into());
    let mut decided = card("f4", "Approval", &["f4"], 40);
    decided.labels.insert("claim".into(), "42".into());
    for c in [&three, &two, &one, &decided] {
        store.insert(c).await.expect("insert");
    }
    let mut closed = decided.clone();
    closed.revision = 2;
    closed.phase = Phase::Expired { at_ms: 50 };
    assert!(store.replace(&closed).await.expect("replace"));

    let ids = |cards: Vec<CardRecord>| {
        cards
            .into_iter()
            .map(|c| c.id.to_string())
            .collect::<Vec<_>>()
    };
    let all = store.find(&CardFilter::all()).await.expect("find");
    assert_eq!(
        ids(all),
        ["f1", "f2", "f3", "f4"],
        "every card, oldest first"
    );
    let approvals = store
        .find(&CardFilter::kind("Approval"))
        .await
        .expect("find");
    assert_eq!(ids(approvals), ["f1", "f2", "f4"]);
    let live = store
        .find(&CardFilter::kind("Approval").label("claim", "42").live())
        .await
        .expect("find");
    assert_eq!(ids(live), ["f1", "f2"], "the decided card is not live");
    let both = CardFilter::all().label("claim", "42").label("dept", "fin");
    assert_eq!(
        ids(store.find(&both).await.expect("find")),
        ["f2"],
        "all labels must match"
    );
    let none = CardFilter::kind("Approval").label("claim", "43");
    assert!(store.find(&none).await.expect("find").is_empty());
    for id in ["f1", "f2", "f3", "f4"] {
        store.remove(&CardId::new(id)).await.expect("remove");
    }
}

async fn due_follows_wakes_at(store: &dyn CardStore) {
    let mut soon = card("soon", "Approval", &["d1"], 1);
    soon.deadline_ms = Some(100);
    let mut later = card("later", "Approval", &["d2"], 2);
    later.deadline_ms = Some(200);
    let never = card("never", "Approval", &["d3"], 3);
    for c in [&later, &never, &soon] {
        store.insert(c).await.expect("insert");
    }
    let ids = |cards: Vec<CardRecord>| {
        cards
            .into_iter()
            .map(|c| c.id.to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        store.due(99, 10).await.expect("due").is_empty(),
        "nothing before its deadline"
    );
    assert_eq!(ids(store.due(100, 10).await.expect("due")), ["soon"]);
    assert_eq!(
        ids(store.due(1_000, 10).await.expect("due")),
        ["soon", "later"],
        "soonest first"
    );
    assert_eq!(
        ids(store.due(1_000, 1).await.expect("due")),
        ["soon"],
        "at most `limit`"
    );

    // An expiry under way wakes when its lease lapses; a closed card never again.
    let mut expiring = soon.clone();
    expiring.revision = 2;
    expiring.phase = Phase::Expiring { until_ms: 500 };
    assert!(store.replace(&expiring).await.expect("replace"));
    assert_eq!(ids(store.due(300, 10).await.expect("due")), ["later"]);
    assert_eq!(
        ids(store.due(500, 10).await.expect("due")),
        ["later", "soon"]
    );
    let mut expired = expiring.clone();
    expired.revision = 3;
    expired.phase = Phase::Expired { at_ms: 501 };
    assert!(store.replace(&expired).await.expect("replace"));
    assert_eq!(ids(store.due(10_000, 10).await.expect("due")), ["later"]);
    for id in ["soon", "later", "never"] {
        store.remove(&CardId::new(id)).await.expect("remove");
    }
}

async fn remove_forgets_the_card_and_its_indexes(store: &dyn CardStore) {
    let mut gone = card("gone", "Approval", &["g1"], 1);
    gone.deadline_ms = Some(1);
    store.insert(&gone).await.expect("insert");
    store.remove(&gone.id).await.expect("remove");
    store
        .remove(&gone.id)
        .await
        .expect("removing twice is fine");
    assert_eq!(store.get(&gone.id).await.expect("get"), None);
    assert_eq!(
        store.by_origin(&event("g1")).await.expect("by_origin"),
        None
    );
    assert!(store.due(10, 10).await.expect("due").is_empty());
    assert!(
        store
            .find(&CardFilter::all())
            .await
            .expect("find")
            .is_empty()
    );
    store
        .insert(&gone)
        .await
        .expect("its id and events are free again");
    store.remove(&gone.id).await.expect("remove");
}
