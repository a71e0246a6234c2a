//! The polling consumer under faults: the sandbox keeps the events for the forwarder API, and the
//! real consumer (`poll-consumer`, a child process) reads them through a [`FaultProxy`] that can
//! take the token endpoint down or answer 401 for a while; or the child is killed with `kill -9`
//! at random points and restarted until every event is handled.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use finchat_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

use crate::Tally;
use crate::proxy::{FaultProxy, ProxiedRequest, Rule, Verdict};

const TOKEN_PATH: &str = "/api/v1/finchat/open-api/auth/token";
const FORWARDER_PATH: &str = "/api/v1/finchat/privilege-api/forwarder/";

/// A fault of the polling side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PollingFault {
    /// The consumer is killed with `kill -9` (after a random delay, or right as it starts a cursor
    /// save) and restarted, until every event is handled.
    Kill9,
    /// The token endpoint answers 503 for a window from the consumer's start (it has no token yet).
    TokenEndpointDown,
    /// For a window from a third of the way in, every forwarder call is answered 401
    /// `FC_INVALID_ACCESS_TOKEN` (each makes the client drop its token and fetch another).
    UnauthorizedStorm,
    /// Both at once from a third of the way in: tokens are refused and no new one can be had.
    StormWhileTokenDown,
}

impl PollingFault {
    /// Every fault, in the report's order.
    pub const ALL: [PollingFault; 4] = [
        Self::Kill9,
        Self::TokenEndpointDown,
        Self::UnauthorizedStorm,
        Self::StormWhileTokenDown,
    ];

    /// How the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Kill9 => "polling: consumer killed with kill -9 and restarted",
            Self::TokenEndpointDown => "polling: token endpoint 503 for a window",
            Self::UnauthorizedStorm => "polling: 401 storm (FC_INVALID_ACCESS_TOKEN) for a window",
            Self::StormWhileTokenDown => "polling: 401 storm while the token endpoint is down",
        }
    }
}

/// One run of the polling consumer under a fault.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PollingRun {
    /// The fault.
    pub fault: PollingFault,
    /// Events emitted.
    pub events: usize,
    /// Seeds the kill points.
    pub seed: u64,
    /// The `poll-consumer` executable.
    pub consumer: PathBuf,
    /// Kills before the consumer is left to finish ([`PollingFault::Kill9`]).
    pub kills: usize,
    /// The longest random delay before a kill.
    pub max_kill_delay: Duration,
    /// How long the token endpoint is down or the 401s last.
    pub window: Duration,
    /// Events per poll.
    pub page_size: u32,
    /// The longest the run may take.
    pub limit: Duration,
}

impl PollingRun {
    /// `events` events under `fault`, consumed by `consumer`: 20 kills, each after up to 100 ms or
    /// at one of its first 30 cursor saves;
    /// 1.5 s fault windows, 100 events per poll.
    pub fn new(
        fault: PollingFault,
        events: usize,
        seed: u64,
        consumer: impl Into<PathBuf>,
    ) -> Self {
        Self {
            fault,
            events,
            seed,
            consumer: consumer.into(),
            kills: 20,
            max_kill_delay: Duration::from_millis(100),
            window: Duration::from_millis(1500),
            page_size: 100,
            limit: Duration::from_secs(600),
        }
    }

    /// Runs it and counts what the consumer's handled-id log holds.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when a server, the work directory or the consumer cannot be started, the
    /// consumer fails other than by a kill, or the run passes its time limit.
    pub async fn run(self) -> io::Result<Tally> {
        let started = Instant::now();
        let sandbox = Sandbox::serve(SandboxConfig::new(), "127.0.0.1:0").await?;
        let emitted = crate::emit(&sandbox.handle, self.events)?;
        // The consumer handles the seeded room announcements too.
        let expect = sandbox.handle.events().len();
        let windows = Arc::new(Windows::new(&self, expect));
        let proxy = FaultProxy::start(sandbox.addr(), windows.rule()).await?;
        let dir = tempfile::Builder::new()
            .prefix("finchat-reliability-")
            .tempdir_in(crate::work_root())?;
        let files = Files {
            cursor: dir.path().join("since.txt"),
            handled: dir.path().join("handled.txt"),
        };
        let consumer = Consumer {
            run: self.clone(),
            url: proxy.url.clone(),
            app_id: sandbox.handle.app_id().to_owned(),
            expect,
            files: files.clone(),
        };
        let kills = tokio::task::spawn_blocking(move || consumer.run_to_the_end())
            .await
            .map_err(io::Error::other)??;
        let handled = read_handled(&files.handled)?;
        drop(proxy);
        drop(sandbox);
        let tally = Tally::count(self.fault.name(), &emitted, &handled, started.elapsed());
        Ok(match self.fault {
            PollingFault::Kill9 => tally
                .injected(kills)
                .note(format!("{kills} kills, {} events a page", self.page_size)),
            _ => {
                let (answered_503, answered_401) = (
                    windows.answered_503.load(Ordering::SeqCst),
                    windows.answered_401.load(Ordering::SeqCst),
                );
                tally.injected(answered_503 + answered_401).note(format!(
                    "{} ms window: {answered_503} × 503 on the token path, {answered_401} × 401 on the forwarder",
                    self.window.as_millis(),
                ))
            }
        })
    }
}

/// The consumer's files.
#[derive(Debug, Clone)]
struct Files {
    cursor: PathBuf,
    handled: PathBuf,
}

/// How many times each id is in the handled-id log (a line cut short by a kill is not an id).
fn read_handled(path: &Path) -> io::Result<HashMap<String, u32>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let mut handled = HashMap::new();
    for line in text.split_inclusive('\n') {
        if let Some(id) = line.strip_suffix('\n') {
            *handled.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(handled)
}

/// When the proxy answers in the API's place.
struct Windows {
    fault: PollingFault,
    window: Duration,
    /// The forwarder call that opens a mid-run window: a third of the way in.
    trigger: usize,
    forwarder_calls: AtomicUsize,
    opened: Mutex<Option<Instant>>,
    answered_503: AtomicUsize,
    answered_401: AtomicUsize,
}

impl Windows {
    fn new(run: &PollingRun, expect: usize) -> Self {
        let pages = expect.div_ceil(run.page_size.max(1) as usize);
        Self {
            fault: run.fault,
            window: run.window,
            trigger: (pages / 3).max(1),
            forwarder_calls: AtomicUsize::new(0),
            opened: Mutex::new(None),
            answered_503: AtomicUsize::new(0),
            answered_401: AtomicUsize::new(0),
        }
    }

    /// Whether the window is open now; `open` opens it if it is not yet.
    fn is_open(&self, open: bool) -> bool {
        let mut opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        if opened.is_none() && open {
            *opened = Some(Instant::now());
        }
        opened.is_some_and(|at| at.elapsed() < self.window)
    }

    fn verdict(&self, request: &ProxiedRequest<'_>) -> Verdict {
        let token_call = request.path == TOKEN_PATH;
        let forwarder_call = request.path.starts_with(FORWARDER_PATH);
        let open = match self.fault {
            PollingFault::Kill9 => return Verdict::Forward,
            PollingFault::TokenEndpointDown => self.is_open(token_call),
            PollingFault::UnauthorizedStorm | PollingFault::StormWhileTokenDown => {
                let call = if forwarder_call {
                    self.forwarder_calls.fetch_add(1, Ordering::SeqCst) + 1
                } else {
                    0
                };
                self.is_open(call == self.trigger)
            }
        };
        let refuse_token = token_call && open && self.fault != PollingFault::UnauthorizedStorm;
        let refuse_call = forwarder_call
            && open
            && matches!(
                self.fault,
                PollingFault::UnauthorizedStorm | PollingFault::StormWhileTokenDown
            );
        if refuse_token {
            self.answered_503.fetch_add(1, Ordering::SeqCst);
            Verdict::Answer {
                status: 503,
                body: json!({ "error": "token service unavailable (injected)" }).to_string(),
            }
        } else if refuse_call {
            self.answered_401.fetch_add(1, Ordering::SeqCst);
            // The token-invalid answer of the API documents (errcode table, `FC_INVALID_ACCESS_TOKEN`).
            Verdict::Answer {
                status: 401,
                body: json!({ "errcode": "FC_INVALID_ACCESS_TOKEN", "error": "access_token错误" })
                    .to_string(),
            }
        } else {
            Verdict::Forward
        }
    }

    fn rule(self: &Arc<Self>) -> Rule {
        let windows = Arc::clone(self);
        Arc::new(move |request: &ProxiedRequest<'_>| windows.verdict(request))
    }
}

/// Starts, kills and restarts the consumer process.
struct Consumer {
    run: PollingRun,
    url: String,
    app_id: String,
    expect: usize,
    files: Files,
}

/// What the consumer's stdout says.
enum Said {
    Saving,
    Closed,
}

impl Consumer {
    fn start(&self) -> io::Result<(Child, mpsc::Receiver<Said>)> {
        let mut child = Command::new(&self.run.consumer)
            .arg("--base-url")
            .arg(&self.url)
            .arg("--app-id")
            .arg(&self.app_id)
            .arg("--cursor")
            .arg(&self.files.cursor)
            .arg("--handled")
            .arg(&self.files.handled)
            .arg("--expect")
            .arg(self.expect.to_string())
            .arg("--page-size")
            .arg(self.run.page_size.to_string())
            .arg("--limit-secs")
            .arg(self.run.limit.as_secs().to_string())
            // The sandbox's default secret; in the environment, never on a command line.
            .env("FINCHAT_SECRET", "sandbox-secret")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot start {}: {e}", self.run.consumer.display()),
                )
            })?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("the consumer has no stdout"))?;
        let (said, hear) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(line) if line == "saving" => {
                        if said.send(Said::Saving).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            said.send(Said::Closed).ok();
        });
        Ok((child, hear))
    }

    /// Runs the consumer until it has handled every event, killing it (for [`PollingFault::Kill9`])
    /// up to `kills` times first; the kills made.
    fn run_to_the_end(&self) -> io::Result<usize> {
        let mut rng = fastrand::Rng::with_seed(self.run.seed);
        let deadline = Instant::now() + self.run.limit;
        let max_kills = match self.run.fault {
            PollingFault::Kill9 => self.run.kills,
            _ => 0,
        };
        let mut kills = 0;
        loop {
            let (mut child, hear) = self.start()?;
            let kill_at = (kills < max_kills).then(|| {
                if rng.bool() {
                    KillAt::After(rng.u64(0..=self.run.max_kill_delay.as_millis() as u64))
                } else {
                    KillAt::Save(rng.usize(1..=30))
                }
            });
            let exited = wait_or_kill(&hear, kill_at, deadline);
            if exited {
                let status = child.wait()?;
                if status.success() {
                    return Ok(kills);
                }
                return Err(io::Error::other(format!("the consumer failed: {status}")));
            }
            // `Child::kill` is SIGKILL on Unix.
            child.kill()?;
            child.wait()?;
            kills += 1;
            if Instant::now() > deadline {
                return Err(io::Error::other(format!(
                    "the consumer did not finish within {:?}",
                    self.run.limit
                )));
            }
        }
    }
}

/// When a run of the consumer is killed.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// After this many milliseconds.
    After(u64),
    /// Right as it begins its n-th cursor save.
    Save(usize),
}

/// Waits until the consumer closes its stdout (it exited: `true`) or the kill point comes (`false`).
fn wait_or_kill(hear: &mpsc::Receiver<Said>, kill_at: Option<KillAt>, deadline: Instant) -> bool {
    let started = Instant::now();
    let mut saves = 0;
    loop {
        let until = match kill_at {
            Some(KillAt::After(ms)) => started + Duration::from_millis(ms),
            _ => deadline,
        };
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return false;
        };
        match hear.recv_timeout(left) {
            Ok(Said::Saving) => {
                saves += 1;
                if matches!(kill_at, Some(KillAt::Save(n)) if saves >= n) {
                    return false;
                }
            }
            Ok(Said::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => return true,
            Err(mpsc::RecvTimeoutError::Timeout) => return false,
        }
    }
}
