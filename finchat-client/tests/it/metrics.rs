//! The `metrics` counters move: events received, a redelivery answered from the dedupe store, a
//! handler failure, a token fetch, a per-target send failure, an update-cui call and a polled event
//! handed to the dead letter.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::Dispatcher;
use finchat_client::polling::{MemoryCursor, PollingConsumer};
use finchat_client::receiver::InMemoryDedupe;
use finchat_cui::{CuiContent, cui};
use metrics::{Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, SharedString, Unit};
use serde_json::json;

use crate::server::{Reply, TestServer};
use crate::telemetry::receiver::{put, start, start_with, text};

/// Each counter's total, keyed `name{label=value,…}`.
#[derive(Clone, Default)]
struct Totals(Arc<Mutex<BTreeMap<String, u64>>>);

impl Totals {
    fn get(&self, key: &str) -> u64 {
        self.0.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

/// One counter of [`Totals`].
struct Total {
    key: String,
    totals: Totals,
}

impl CounterFn for Total {
    fn increment(&self, value: u64) {
        *self
            .totals
            .0
            .lock()
            .unwrap()
            .entry(self.key.clone())
            .or_default() += value;
    }

    fn absolute(&self, value: u64) {
        self.totals
            .0
            .lock()
            .unwrap()
            .insert(self.key.clone(), value);
    }
}

/// A recorder that keeps counters in [`Totals`] and ignores the rest.
impl metrics::Recorder for Totals {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        let mut labels: Vec<String> = key
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        labels.sort();
        let key = if labels.is_empty() {
            key.name().to_owned()
        } else {
            format!("{}{{{}}}", key.name(), labels.join(","))
        };
        Counter::from_arc(Arc::new(Total {
            key,
            totals: self.clone(),
        }))
    }

    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }

    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

/// Runs `test` on a current-thread runtime with `totals` as this thread's recorder: every task of
/// that runtime runs on this thread, so it sees the recorder, and parallel tests do not.
fn with_totals(totals: &Totals, test: impl std::future::Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    metrics::with_local_recorder(totals, || runtime.block_on(test));
}

#[test]
fn the_receiver_counts_events_redeliveries_dedupe_hits_and_handler_failures() {
    let totals = Totals::default();
    with_totals(&totals, async {
        let addr = start().await;
        assert_eq!(put(addr, text("$1:x", "hello").to_string()).await, 200);
        assert_eq!(put(addr, text("$1:x", "hello").to_string()).await, 200);
        assert_eq!(put(addr, text("$2:x", "fail").to_string()).await, 500);
    });
    assert_eq!(
        totals.get("finchat_events_received_total{source=callback}"),
        3
    );
    assert_eq!(totals.get("finchat_redeliveries_total"), 1);
    assert_eq!(totals.get("finchat_dedupe_hits_total"), 1);
    assert_eq!(
        totals.get("finchat_handler_failures_total{reason=error}"),
        1
    );
}

#[test]
fn the_client_counts_token_fetches_send_failures_and_update_cui_calls() {
    let totals = Totals::default();
    with_totals(&totals, async {
        let server = TestServer::with_tokens(|_, _| {
            Reply::ok(json!({"room_id_result": [
                {"room_id": "!a:x", "event_id": "$1:x"},
                {"room_id": "!b:x", "errcode": "FC_ROOM_NOT_FOUND", "error": "no such room"},
            ]}))
        })
        .await;
        let client = server.client().build().unwrap();
        let card: CuiContent = cui! { <form><text>"done"</text></form> };
        let report = client
            .messages()
            .update_cui("$card:x".parse().unwrap(), card)
            .rooms(["!a:x".parse().unwrap(), "!b:x".parse().unwrap()])
            .send()
            .await
            .unwrap();
        assert!(!report.all_delivered());
    });
    assert_eq!(totals.get("finchat_token_fetches_total{outcome=ok}"), 1);
    assert_eq!(totals.get("finchat_update_cui_calls_total"), 1);
    assert_eq!(
        totals.get("finchat_send_failures_total{errcode=FC_ROOM_NOT_FOUND}"),
        1
    );
}

#[test]
fn the_polling_consumer_counts_events_handed_to_the_dead_letter() {
    let totals = Totals::default();
    with_totals(&totals, async {
        // Its `type` is not a string: it never parses, so it goes to the dead letter at once.
        let poison = json!({"event_id": "$poison:x", "type": 42, "content": {}});
        let server = TestServer::with_tokens(move |_, _| {
            Reply::ok(json!({"events": [poison.clone()], "since": "pos-1"}))
        })
        .await;
        let consumer = PollingConsumer::new(
            server.client().build().unwrap(),
            Dispatcher::new(()),
            MemoryCursor::default(),
        );
        let poll = consumer.poll_once().await.unwrap();
        assert_eq!(poll.dead_lettered, 1);
    });
    assert_eq!(totals.get("finchat_events_dead_lettered_total"), 1);
}

#[test]
fn the_receiver_counts_handled_ids_forgotten_before_their_ttl() {
    let totals = Totals::default();
    with_totals(&totals, async {
        // Room for two: each new event past them pushes out a handled id an hour before its TTL.
        let store = InMemoryDedupe::new(2, Duration::from_secs(3600));
        let addr = start_with(|receiver| receiver.dedupe(Arc::new(store))).await;
        for n in 0..5 {
            let id = format!("${n}:x");
            assert_eq!(put(addr, text(&id, "hello").to_string()).await, 200);
        }
    });
    assert_eq!(totals.get("finchat_dedupe_evicted_early_total"), 3);
}
