//! `SandboxConfig`: who the app is, who is in the world, where its events go, where the world is
//! kept, and how fast time runs for the push schedule.

use std::path::PathBuf;
use std::time::Duration;

use finchat_client::Secret;

use super::world_spec::{SandboxWorld, Seed};

/// How a [`Sandbox`](super::Sandbox) is set up; every setting has a default.
///
/// ```
/// use std::time::Duration;
/// use finchat_sandbox::SandboxConfig;
///
/// let config = SandboxConfig::new()
///     .app_id("approval-app")
///     .secret("approval-secret")
///     .callback("http://127.0.0.1:8080/callback", "callback-token")
///     .token_lifetime(Duration::from_secs(600))
///     .time_scale(0.001)
///     .batch_limit(50);
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    pub(crate) app_id: String,
    pub(crate) secret: Secret,
    pub(crate) callback: Option<(String, Secret)>,
    pub(crate) state_file: Option<PathBuf>,
    pub(crate) token_lifetime: Duration,
    pub(crate) time_scale: f64,
    pub(crate) batch_limit: usize,
    pub(crate) allowed_hosts: Vec<String>,
    pub(crate) read_timeout: Duration,
    /// `None`: [`SandboxWorld::standard`].
    pub(crate) world: Option<SandboxWorld>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            app_id: "sandbox-app".into(),
            secret: Secret::new("sandbox-secret"),
            callback: None,
            state_file: None,
            token_lifetime: Duration::from_secs(2 * 60 * 60),
            time_scale: 1.0,
            batch_limit: 100,
            allowed_hosts: Vec::new(),
            read_timeout: Duration::from_secs(30),
            world: None,
        }
    }
}

impl SandboxConfig {
    /// The defaults: app `sandbox-app` with secret `sandbox-secret`, no callback (events are only
    /// kept for polling), state in memory, tokens valid 2 h, real time, 100 targets per send, the
    /// page served under loopback names and IP addresses only, a 30 s read timeout, and the
    /// [standard world](SandboxWorld::standard).
    pub fn new() -> Self {
        Self::default()
    }

    /// Who is in the sandbox: its bot, people and group rooms (default [`SandboxWorld::standard`]).
    /// It seeds the sandbox at first start and at each [reset]; with a [state file](Self::state_file)
    /// that already exists, the file's world is the one served, until a reset.
    ///
    /// The world is checked when the sandbox starts: [`Sandbox::serve`] refuses one that is not
    /// valid, and [`Sandbox::router`] logs why and serves the standard world instead. Call
    /// [`SandboxWorld::validate`] to know beforehand.
    ///
    /// ```
    /// use finchat_sandbox::{SandboxConfig, SandboxWorld};
    ///
    /// let world = SandboxWorld::new()
    ///     .bot("@helper:corp.example", "小助手")
    ///     .person("@zhang:corp.example", "张三");
    /// let config = SandboxConfig::new().world(world);
    /// # let _ = config;
    /// ```
    ///
    /// [reset]: crate::SandboxHandle::reset
    /// [`Sandbox::serve`]: crate::Sandbox::serve
    /// [`Sandbox::router`]: crate::Sandbox::router
    pub fn world(mut self, world: SandboxWorld) -> Self {
        self.world = Some(world);
        self
    }

    /// Adds a person to the world, e.g. `("@zhang:corp.example", "张三")`; may be given more than
    /// once. Without a [world](Self::world) given before, the people are only those given here
    /// (not the standard three), with the default bot and group room.
    pub fn person(mut self, fcid: impl Into<String>, name: impl Into<String>) -> Self {
        let world = self.world.take().unwrap_or_else(SandboxWorld::new);
        self.world = Some(world.person(fcid, name));
        self
    }

    /// The app's id (default `sandbox-app`).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self
    }

    /// The app's secret (default `sandbox-secret`).
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.secret = secret.into();
        self
    }

    /// Where events are PUT, and the token each push carries. Without it events are only kept for
    /// the forwarder (polling) API.
    pub fn callback(mut self, url: impl Into<String>, token: impl Into<Secret>) -> Self {
        self.callback = Some((url.into(), token.into()));
        self
    }

    /// A JSON file that keeps the world across restarts: read at start, and rewritten durably
    /// (temporary file, fsync, rename) shortly after changes, off the request's path; uploads are
    /// files of their own in the directory `<file>.media` beside it. A file of an earlier version,
    /// with the uploads inline, is read and migrated. See [`SandboxHandle::flush`] for what is
    /// guaranteed when.
    ///
    /// [`SandboxHandle::flush`]: crate::SandboxHandle::flush
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// How long a token is valid (`expires_in`; default 2 h).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Multiplies the push schedule's times: the retry intervals (growing up to 10 min), the hour
    /// of failures after which events are dropped, and the 30 s time-out (which never goes below
    /// 1 s, so that a busy test machine does not fail pushes). Tests use `0.001`.
    pub fn time_scale(mut self, scale: f64) -> Self {
        // Bounded so that scaled times stay valid durations.
        self.time_scale = if scale.is_finite() && scale > 0.0 {
            scale.min(1e6)
        } else {
            1.0
        };
        self
    }

    /// The most `room_ids` (or `fcids`) one send or update-cui takes (default 100); a longer list
    /// is refused whole with `FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED` (or `…_FCID_…`).
    pub fn batch_limit(mut self, limit: usize) -> Self {
        self.batch_limit = limit.max(1);
        self
    }

    /// A host name the page is also served under, e.g. the name of a proxy in front of the
    /// sandbox (a port, if given, is ignored); may be given more than once.
    ///
    /// The page and its helpers answer only requests addressed to `localhost`, an IP address
    /// (`127.0.0.1`, `[::1]`, a LAN address) or a name given here, so that another site's name
    /// pointed at the sandbox (DNS rebinding) gets `421 Misdirected Request`. The API answers bots
    /// under any name.
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// How long a client may take to send a request's line and headers, and to send the next chunk
    /// of its body (default 30 s). A client slower than that is disconnected, so that a few stalled
    /// connections (slow-loris) cannot hold the server. Applies to [`Sandbox::serve`]; a router
    /// mounted elsewhere ([`Sandbox::router`]) applies only the body's, the server decides the rest.
    ///
    /// [`Sandbox::serve`]: crate::Sandbox::serve
    /// [`Sandbox::router`]: crate::Sandbox::router
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The world to seed; an error when the configured one is not valid.
    pub(crate) fn seed(&self) -> Result<Seed, super::WorldError> {
        match &self.world {
            Some(world) => world.seed(),
            None => SandboxWorld::standard().seed(),
        }
    }

    pub(crate) fn scaled(&self, duration: Duration) -> Duration {
        duration.mul_f64(self.time_scale)
    }
}
