//! A Redis server for tests: the one `FINCHAT_TEST_REDIS=redis://…` names, or a `redis-server` started
//! on 127.0.0.1 and a free port (no persistence, in a temporary directory) and killed when dropped.
//!
//! Each [`RedisServer`] gives its test a key prefix of its own, so tests can share one server (on a
//! shared one, the test's keys are deleted when it drops its `RedisServer`). Name
//! every test that needs Redis with `redis` in it, so that `cargo test redis` runs exactly those.
//!
//! Without `redis-server` on the `PATH`, [`RedisServer::start`] panics under CI (`CI` set), asking
//! for Debian's `redis-server`; elsewhere it prints that the Redis tests were not run and answers
//! `None`, and the test returns.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Tells the prefixes and directories of one process's servers apart.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// How long a started server gets to answer PING.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A Redis server for one test, and the key prefix the test uses.
pub struct RedisServer {
    url: String,
    prefix: String,
    local: Option<Local>,
}

/// A `redis-server` this process started.
struct Local {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl RedisServer {
    /// The server `FINCHAT_TEST_REDIS` names, else a local one ([`RedisServer::start_local`]).
    ///
    /// # Panics
    ///
    /// Under CI, when `redis-server` is not installed; anywhere, when it does not start.
    pub fn start() -> Option<Self> {
        match std::env::var("FINCHAT_TEST_REDIS") {
            Ok(url) if !url.trim().is_empty() => Some(Self {
                url: url.trim().to_owned(),
                prefix: unique_prefix(),
                local: None,
            }),
            _ => Self::start_local(),
        }
    }

    /// A `redis-server` of this test's own, even when `FINCHAT_TEST_REDIS` is set: for the tests that
    /// stop it ([`RedisServer::kill`]).
    ///
    /// # Panics
    ///
    /// As [`RedisServer::start`].
    pub fn start_local() -> Option<Self> {
        if crate::missing::on_path("redis-server").is_none() {
            crate::missing::tool_missing(
                "redis tests",
                "redis-server",
                "install Debian's redis-server (apt-get install redis-server)",
            );
            return None;
        }
        let mut last = String::new();
        // A free port found here may be taken before the server binds it: try a few.
        for _ in 0..5 {
            match Local::start() {
                Ok(local) => {
                    return Some(Self {
                        url: format!("redis://127.0.0.1:{}/", local.port),
                        prefix: unique_prefix(),
                        local: Some(local),
                    });
                }
                Err(why) => last = why,
            }
        }
        panic!("redis-server did not start: {last}");
    }

    /// The server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The key prefix of this test, e.g. `finchat-test:1234:5:…:`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Kills the server at once (SIGKILL), for the tests of a store whose Redis is down.
    ///
    /// # Panics
    ///
    /// When the server is not one this process started (see [`RedisServer::start_local`]).
    pub fn kill(&mut self) {
        let local = self.local_mut();
        local.child.kill().ok();
        local.child.wait().ok();
    }

    /// Starts the server again on the same port (empty: it kept nothing), after [`RedisServer::kill`].
    ///
    /// # Panics
    ///
    /// As [`RedisServer::kill`], and when it does not start again.
    pub fn restart(&mut self) {
        self.kill();
        let local = self.local_mut();
        let child = spawn(local.port, &local.dir).expect("redis-server starts again");
        local.child = child;
        let started = Instant::now();
        while !ping(local.port) {
            assert!(
                started.elapsed() < START_TIMEOUT,
                "redis-server did not start again"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server without closing its connections (SIGSTOP): a Redis that answers nothing,
    /// for the tests of a slow or hung store. [`RedisServer::resume`] lets it go on.
    ///
    /// # Panics
    ///
    /// As [`RedisServer::kill`].
    pub fn pause(&mut self) {
        self.signal("-STOP");
    }

    /// Lets a paused server go on (SIGCONT).
    ///
    /// # Panics
    ///
    /// As [`RedisServer::kill`].
    pub fn resume(&mut self) {
        self.signal("-CONT");
    }

    fn signal(&mut self, signal: &str) {
        let pid = self.local_mut().child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "kill {signal} {pid} failed");
    }

    fn local_mut(&mut self) -> &mut Local {
        self.local
            .as_mut()
            .expect("only a server this test started can be stopped: use RedisServer::start_local")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(local) = &mut self.local {
            local.child.kill().ok();
            local.child.wait().ok();
            std::fs::remove_dir_all(&local.dir).ok();
        } else {
            // A shared server: the test's keys go, the others' stay.
            forget_prefix(&self.url, &self.prefix);
        }
    }
}

/// Deletes the keys under `prefix` on the server at `url` (`redis://[user:password@]host:port/db`),
/// best effort.
fn forget_prefix(url: &str, prefix: &str) {
    let Some(rest) = url.strip_prefix("redis://") else {
        return;
    };
    let (credentials, rest) = rest
        .rsplit_once('@')
        .map_or((None, rest), |(c, r)| (Some(c), r));
    let (address, db) = rest.split_once('/').unwrap_or((rest, ""));
    let address = if address.contains(':') {
        address.to_owned()
    } else {
        format!("{address}:6379")
    };
    let Ok(mut stream) = TcpStream::connect(&address) else {
        return;
    };
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
    let mut commands: Vec<Vec<&str>> = Vec::new();
    if let Some(credentials) = credentials {
        match credentials.split_once(':') {
            Some(("", password)) => commands.push(vec!["AUTH", password]),
            Some((user, password)) => commands.push(vec!["AUTH", user, password]),
            None => {}
        }
    }
    let db = db.trim_end_matches('/');
    if !db.is_empty() {
        commands.push(vec!["SELECT", db]);
    }
    let pattern = format!("{prefix}*");
    commands.push(vec![
        "EVAL",
        "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1",
        "0",
        &pattern,
    ]);
    let mut request = Vec::new();
    for command in &commands {
        request.extend(format!("*{}\r\n", command.len()).into_bytes());
        for part in command {
            request.extend(format!("${}\r\n{part}\r\n", part.len()).into_bytes());
        }
    }
    if stream.write_all(&request).is_ok() {
        // Wait for the answers, so the keys are gone before the next test looks.
        let mut answers = [0u8; 256];
        let mut lines = 0;
        while lines < commands.len() {
            match stream.read(&mut answers) {
                Ok(0) | Err(_) => break,
                Ok(n) => lines += answers[..n].iter().filter(|b| **b == b'\n').count(),
            }
        }
    }
}

impl Local {
    fn start() -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let dir = std::env::temp_dir().join(format!(
            "finchat-redis-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("no temporary directory: {e}"))?;
        let child = spawn(port, &dir)?;
        let mut local = Self { child, dir, port };
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if ping(port) {
                return Ok(local);
            }
            if let Ok(Some(status)) = local.child.try_wait() {
                std::fs::remove_dir_all(&local.dir).ok();
                return Err(format!("redis-server on port {port} exited: {status}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        local.child.kill().ok();
        local.child.wait().ok();
        std::fs::remove_dir_all(&local.dir).ok();
        Err(format!("redis-server on port {port} did not answer PING"))
    }
}

/// Runs `redis-server` on 127.0.0.1:`port`, without persistence, in `dir`.
fn spawn(port: u16, dir: &std::path::Path) -> Result<Child, String> {
    Command::new("redis-server")
        .args(["--port", &port.to_string()])
        .args(["--bind", "127.0.0.1"])
        .args(["--save", ""])
        .args(["--appendonly", "no"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run redis-server: {e}"))
}

/// Whether a server on `port` answers PING.
fn ping(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .ok();
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut answer = [0u8; 7];
    stream.read_exact(&mut answer).is_ok() && &answer == b"+PONG\r\n"
}

fn unique_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "finchat-test:{}:{}:{nanos}:",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_server_answers_pauses_dies_and_restarts() {
        let Some(mut server) = RedisServer::start_local() else {
            return;
        };
        let port = server.local.as_ref().map(|l| l.port).unwrap();
        assert!(ping(port));
        assert!(server.url().starts_with("redis://127.0.0.1:"));
        let other = unique_prefix();
        assert_ne!(server.prefix(), other);
        server.pause();
        assert!(!ping(port), "a paused server answers nothing");
        server.resume();
        assert!(ping(port));
        server.kill();
        assert!(!ping(port));
        server.restart();
        assert!(ping(port), "started again on its port");
    }
}
