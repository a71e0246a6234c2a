//! Many instances on one Redis: three bots (each its own tokio runtime, so that killing one drops
//! everything it was doing, as a crash does), each with a real [`Receiver`], a [`CardRegistry`] on
//! [`RedisCardStore`], a [`RedisDedupe`] and a client whose token is in [`RedisTokenStore`], behind a
//! round-robin balancer. The sandbox pushes the submissions of every card through it, redelivering on
//! FinChat's schedule (time-scaled); the balancer cuts some connections while the handler runs; one
//! instance is killed when half of the submissions are pushed. Counted by card: decided exactly once,
//! lost (never decided), decided twice (by two different submissions); and the token requests that
//! reached the sandbox.

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use finchat_client::cards::{CardFilter, CardId, CardRegistry, CardStore, Phase, Verdict};
use finchat_client::redis::{RedisCardStore, RedisConnection, RedisDedupe, RedisTokenStore};
use finchat_client::{Client, Dispatcher, Receiver};
use finchat_cui::{CuiContent, CuiForm, cui};
use finchat_sandbox::{PushOutcome, Sandbox, SandboxConfig, SandboxHandle};

use crate::proxy::{FaultProxy, ProxiedRequest, Rule, Verdict as ProxyVerdict};

/// The callback token of the runs.
const TOKEN: &str = "instances-callback-token";

/// The form each card asks for.
#[derive(Debug, Clone, PartialEq, CuiForm)]
pub struct Approval {
    /// The amount approved.
    pub amount: u32,
}

/// One run: `cards` cards, each submitted by two people, on `instances` instances.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InstancesRun {
    /// The Redis server (`redis://…`).
    pub redis: String,
    /// The key prefix of this run.
    pub prefix: String,
    /// Cards sent; each gets two submissions.
    pub cards: usize,
    /// Instances behind the balancer.
    pub instances: usize,
    /// The share of submissions whose first push has its connection cut while the handler runs.
    pub cut_fraction: f64,
    /// Seeds which pushes are cut.
    pub seed: u64,
    /// The sandbox's time scale (0.01: retries from 10 ms, FinChat's hour of redeliveries is 36 s).
    pub time_scale: f64,
    /// The leases (dedupe in flight, a card being decided) and the handler deadline: what a killed
    /// instance holds until another takes over.
    pub lease: Duration,
    /// The longest the run may take.
    pub limit: Duration,
}

/// What a run counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InstancesTally {
    /// Submissions pushed (two per card).
    pub submissions: usize,
    /// Cards.
    pub cards: usize,
    /// Cards decided by exactly one submission.
    pub decided_once: usize,
    /// Cards never decided.
    pub lost: usize,
    /// Cards decided by two different submissions.
    pub decided_twice: usize,
    /// Decision handler runs that returned a decision (a repeat of the same submission, after an
    /// instance died between its handler and keeping the decision, counts again).
    pub handler_decisions: usize,
    /// Token requests that reached the sandbox, all instances together.
    pub token_requests: usize,
    /// Pushes whose connection the balancer cut while the handler ran.
    pub cut: usize,
    /// Pushes the sandbox gave up on.
    pub dropped_pushes: usize,
    /// Instances behind the balancer.
    pub instances: usize,
    /// Whether an instance was killed half way.
    pub killed: bool,
    /// How long it took.
    pub elapsed: Duration,
}

impl InstancesTally {
    /// The markdown table row of `RELIABILITY.md`/`BENCHMARKS.md`.
    pub fn row(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} s |",
            self.submissions,
            self.cards,
            self.decided_once,
            self.lost,
            self.decided_twice,
            self.token_requests,
            self.cut,
            if self.killed {
                format!("1 of {}", self.instances)
            } else {
                "none".to_owned()
            },
            self.elapsed.as_secs_f64()
        )
    }

    /// The header of [`InstancesTally::row`].
    pub fn header() -> &'static str {
        "| submissions | cards | decided once | lost | decided twice | token requests | connections cut | killed | time |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    }
}

/// What the decision handlers did, shared by the instances (the only thing they share besides Redis).
#[derive(Default)]
struct Ledger {
    /// Per card, the submissions whose handler decided it.
    decided: Mutex<HashMap<CardId, HashSet<String>>>,
    runs: AtomicUsize,
}

impl InstancesRun {
    /// `cards` cards on three instances of one Redis, 5 % of first pushes cut, an instance killed
    /// half way, time scale 0.01, leases of 1 s.
    pub fn new(
        redis: impl Into<String>,
        prefix: impl Into<String>,
        cards: usize,
        seed: u64,
    ) -> Self {
        Self {
            redis: redis.into(),
            prefix: prefix.into(),
            cards,
            instances: 3,
            cut_fraction: 0.05,
            seed,
            time_scale: 0.01,
            lease: Duration::from_secs(1),
            limit: Duration::from_secs(1800),
        }
    }

    /// Whether the first push of `event_id` is cut.
    fn cuts(&self, event_id: &str) -> bool {
        crate::picked(self.seed, event_id, self.cut_fraction)
    }

    fn redis(&self) -> io::Result<RedisConnection> {
        Ok(RedisConnection::open(self.redis.clone())
            .map_err(io::Error::other)?
            .prefix(self.prefix.clone()))
    }

    /// Runs it, on the caller's runtime for the sandbox, the balancer and the sender, and one
    /// runtime of its own per instance.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when a server cannot be started, Redis cannot be reached, a card cannot be
    /// sent, or the run passes its time limit.
    pub async fn run(self) -> io::Result<InstancesTally> {
        let started = Instant::now();
        let run = Arc::new(self);
        let ledger = Arc::new(Ledger::default());

        // The instances' listeners first, so that the balancer knows where they are.
        let listeners = (0..run.instances)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
            .collect::<io::Result<Vec<_>>>()?;
        let addrs = listeners
            .iter()
            .map(std::net::TcpListener::local_addr)
            .collect::<io::Result<Vec<SocketAddr>>>()?;
        let cut = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(AtomicBool::new(false));
        let balancer = FaultProxy::balance(addrs, cut_rule(&run, &cut, &held)).await?;
        let sandbox = Sandbox::serve(
            SandboxConfig::new()
                .callback(format!("{}/callback", balancer.url), TOKEN)
                .time_scale(run.time_scale),
            "127.0.0.1:0",
        )
        .await?;
        // Every API call goes through a proxy that counts the token requests.
        let tokens = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&tokens);
        let api = FaultProxy::start(
            sandbox.addr(),
            Arc::new(move |request: &ProxiedRequest<'_>| {
                if request.path.contains("/auth/token") {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                ProxyVerdict::Forward
            }),
        )
        .await?;
        let client = |redis: RedisConnection| -> io::Result<Client> {
            sandbox
                .client()
                .base_url(&api.url)
                .token_store(Arc::new(RedisTokenStore::new(redis)))
                .build()
                .map_err(io::Error::other)
        };

        let mut instances = Instances(Vec::new());
        for listener in listeners {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            let redis = run.redis()?;
            let registry =
                CardRegistry::new(client(redis.clone())?, RedisCardStore::new(redis.clone()))
                    .handler_deadline(run.lease);
            let dispatcher = decisions(&registry, Arc::clone(&ledger));
            let receiver = Receiver::new(dispatcher, TOKEN)
                .map_err(io::Error::other)?
                .handler_deadline(run.lease)
                .dedupe(Arc::new(RedisDedupe::new(redis).lease(run.lease * 2)));
            listener.set_nonblocking(true)?;
            runtime.spawn(async move {
                if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                    axum::serve(listener, receiver.router()).await.ok();
                }
            });
            instances.0.push(Some(runtime));
        }

        // The bot sends the cards (through the same token store), and two people answer each.
        let redis = run.redis()?;
        let sender = CardRegistry::new(client(redis.clone())?, RedisCardStore::new(redis.clone()));
        let store = RedisCardStore::new(redis);
        let finance = sandbox
            .handle
            .rooms()
            .into_iter()
            .find(|r| r.as_str().starts_with("!finance"))
            .ok_or_else(|| io::Error::other("the sandbox has no finance room"))?;
        let people = sandbox.handle.users();
        let mut ids = Vec::with_capacity(run.cards);
        let mut submissions = Vec::with_capacity(run.cards * 2);
        for n in 0..run.cards {
            let sent = sender
                .ask::<Approval>(card(n)?)
                .room(finance.clone())
                .send()
                .await
                .map_err(io::Error::other)?;
            let origin = sent.card.copies[0].origin_event.clone();
            held.store(true, Ordering::SeqCst);
            let clicked: io::Result<Vec<String>> = people[..2]
                .iter()
                .map(|person| {
                    let info = [("amount".to_owned(), format!("{}", 100 + n))].into();
                    let event = sandbox.handle.submit(person, &finance, &origin, info);
                    event.map(|id| id.to_string()).map_err(io::Error::other)
                })
                .collect();
            held.store(false, Ordering::SeqCst);
            submissions.extend(clicked?);
            ids.push(sent.id().clone());
        }

        // Half way through the pushes, the last instance dies.
        let deadline = started + run.limit;
        let half = submissions.len() / 2;
        let mut killed = false;
        // A look at the store that fails (its deadline passed on a loaded machine) is tried again at
        // the next turn: it is the run's observer, not one of the instances.
        loop {
            let pushed = pushed(&sandbox.handle, &submissions);
            if !killed && pushed >= half {
                if let Some(runtime) = instances.0.last_mut().and_then(Option::take) {
                    runtime.shutdown_background();
                }
                killed = true;
            }
            let open = store
                .find(&CardFilter::kind("Approval").live())
                .await
                .map(|open| open.len())
                .map_err(|e| e.to_string());
            if pushed == submissions.len() && open == Ok(0) {
                break;
            }
            if Instant::now() > deadline {
                let open = match &open {
                    Ok(n) => format!("{n} cards still open"),
                    Err(error) => format!("the store could not be read ({error})"),
                };
                return Err(io::Error::other(format!(
                    "{} of {} submissions pushed and {open} after {:?}",
                    pushed,
                    submissions.len(),
                    run.limit
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        drop(instances);

        let mut tally = InstancesTally {
            submissions: submissions.len(),
            cards: ids.len(),
            handler_decisions: ledger.runs.load(Ordering::SeqCst),
            token_requests: tokens.load(Ordering::SeqCst),
            cut: cut.load(Ordering::SeqCst),
            instances: run.instances,
            killed,
            ..InstancesTally::default()
        };
        let decided = ledger
            .decided
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for id in &ids {
            let kept = store.get(id).await.map_err(io::Error::other)?;
            let by = decided.get(id).map_or(0, HashSet::len);
            match kept.map(|card| card.phase) {
                Some(Phase::Decided { .. }) if by == 1 => tally.decided_once += 1,
                Some(Phase::Decided { .. }) if by > 1 => tally.decided_twice += 1,
                _ => tally.lost += 1,
            }
        }
        tally.dropped_pushes = sandbox
            .handle
            .pushes()
            .iter()
            .filter(|p| p.outcome != PushOutcome::Delivered)
            .count();
        tally.elapsed = started.elapsed();
        Ok(tally)
    }
}

/// How many of `submissions` the sandbox is done pushing (delivered or dropped).
fn pushed(sandbox: &SandboxHandle, submissions: &[String]) -> usize {
    let ours: HashSet<&str> = submissions.iter().map(String::as_str).collect();
    sandbox
        .pushes()
        .iter()
        .filter(|p| ours.contains(p.event_id.as_str()))
        .count()
}

fn card(n: usize) -> io::Result<CuiContent> {
    cui! {
        <form body={format!("报销申请 #{n}")}>
            <text>"报销申请 #" {n}</text>
            <input key="amount" value="0"/>
            <submit>"提交"</submit>
        </form>
    }
    .map_err(io::Error::other)
}

/// Each instance's decisions: record which submission decided which card.
fn decisions(registry: &CardRegistry, ledger: Arc<Ledger>) -> Dispatcher<Arc<Ledger>> {
    Dispatcher::new(ledger).on_decision::<Approval, _, _>(registry, |ledger, decision| async move {
        ledger.runs.fetch_add(1, Ordering::SeqCst);
        ledger
            .decided
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(decision.card.id.clone())
            .or_default()
            .insert(decision.event.event_id.clone());
        Ok(Verdict::decided(format!(
            "{} 已同意 ¥{}",
            decision.by, decision.form.amount
        )))
    })
}

/// Cuts the first push of a seeded share of the submissions a moment after it reached an instance.
fn cut_rule(run: &Arc<InstancesRun>, cut: &Arc<AtomicUsize>, held: &Arc<AtomicBool>) -> Rule {
    let run = Arc::clone(run);
    let cut = Arc::clone(cut);
    let held = Arc::clone(held);
    let attempted = Mutex::new(HashSet::new());
    Arc::new(move |request: &ProxiedRequest<'_>| {
        if held.load(Ordering::SeqCst) {
            // While both people click a card, no push reaches an instance: a decision under way
            // would set the card `loading`, and the second click would find it closed.
            return ProxyVerdict::Answer {
                status: 503,
                body: "{}".into(),
            };
        }
        let Ok(push) = serde_json::from_slice::<serde_json::Value>(request.body) else {
            return ProxyVerdict::Forward;
        };
        let Some(event_id) = push["event"]["event_id"].as_str() else {
            return ProxyVerdict::Forward;
        };
        let first = attempted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(event_id.to_owned());
        if first && push["event"]["type"] == "finstore.room.interactcui" && run.cuts(event_id) {
            cut.fetch_add(1, Ordering::SeqCst);
            return ProxyVerdict::CutWhen {
                when: Box::pin(tokio::time::sleep(Duration::from_millis(2))),
                cut: Arc::new(tokio::sync::Notify::new()),
            };
        }
        ProxyVerdict::Forward
    })
}

/// The instances' runtimes. Dropped (also when the run fails half way), each still running is shut
/// down in the background: a runtime dropped in an async context panics.
struct Instances(Vec<Option<tokio::runtime::Runtime>>);

impl Drop for Instances {
    fn drop(&mut self) {
        for runtime in self.0.drain(..).flatten() {
            runtime.shutdown_background();
        }
    }
}
