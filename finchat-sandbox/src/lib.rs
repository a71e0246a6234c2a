//! The sandbox: a local FinChat where a person sees a bot's cards and submits them, for developing
//! and testing bots without a FinChat server.
//!
//! It serves, faithfully to the API documents, what bots use: the app access token and its check
//! (tokens expire; a new one invalidates the old), message send to rooms and fcids with one result per
//! target and the documented errors, update-cui, media upload and download, group rooms (create,
//! modify with FinChat's priority rule, detail, list) and the forwarder polling API. Content it
//! receives is validated with finchat-cui and refused with `FC_BAD_JSON` naming every problem.
//!
//! Events are pushed to the app's callback as the platform does (PUT `{app_id, token, event}`, a
//! 30 s time-out, a growing retry interval up to 10 min, dropped after an hour of failures; times
//! scaled by [`SandboxConfig::time_scale`]) and kept for polling.
//!
//! It traces with `tracing`: each push attempt runs in a `finchat.sandbox.push` span (`event_id`,
//! `event_type`, `attempt`), each API call in a `finchat.sandbox.api` span (`method`, `path`), and
//! a refused API call is logged at DEBUG with its `errcode` and `error`. None holds a token or the
//! secret.
//!
//! It keeps an activity log, in memory: every API call of the bot (its request and answer, the
//! validation problems and per-target results) and every push with each attempt's answer, secrets
//! left out. [`SandboxHandle::activity`] reads it, `GET /sandbox/api/activity` serves it as JSON and
//! the inspector page (`/sandbox/inspector`) shows it live.
//!
//! The world is seeded: by default the bot `@finchat-bot:sandbox`, the people `@alice:sandbox`
//! (张三), `@bob:sandbox` (李四) and `@carol:sandbox` (王五), a direct room of the bot with each
//! (`!direct-alice:sandbox`, …, each announced by a `finstore.room.create` event) and the group
//! room `!finance:sandbox` (财务部) with all of them. [`SandboxWorld`] describes another (in code
//! or in a world file), and [`SandboxHandle::reset`] puts the world back to its seed.
//!
//! Its page (`GET /`) shows a person's rooms and messages, every card drawn as a real HTML form in
//! its current state (per person for exclusive cards); submitting one emits
//! `finstore.room.interactcui` as FinChat would. [`SandboxHandle`] does the same from code. Other web
//! pages cannot act through it: its routes answer only under loopback names, IP addresses and the
//! names given with [`SandboxConfig::allowed_host`] (against DNS rebinding), take changes only from
//! its own origin and JSON only as `application/json`, and serve uploads inert (`nosniff`, a
//! sandboxing policy, and as attachments unless they are raster images). A client that sends its
//! request too slowly is disconnected ([`SandboxConfig::read_timeout`]).
//!
//! The card playground (`/sandbox/playground`, [`RunningSandbox::playground_url`]) draws pasted
//! content as the page does, with each validation problem beside the element it names; `POST
//! /sandbox/api/playground` answers the same as JSON.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::collections::BTreeMap;
//! use finchat_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::serve(SandboxConfig::new(), "127.0.0.1:0").await?;
//! let client = sandbox.client().build()?;
//! let alice = sandbox.handle.users()[0].clone();
//! let room = sandbox.handle.direct_room(&alice).unwrap();
//!
//! let card = finchat_cui::cui! { <form><text>"报销申请 #42"</text><reply key="decision">"同意"</reply></form> };
//! let report = client.messages().send(card).room(room.clone()).send().await?;
//! let card_id = report.results[0].event_id().unwrap().clone();
//!
//! let info = BTreeMap::from([("decision".to_owned(), "同意".to_owned())]);
//! sandbox.handle.submit(&alice, &room, &card_id, info)?; // finstore.room.interactcui
//! println!("open {} to see it", sandbox.url);
//! # Ok(())
//! # }
//! ```

mod activity;
mod api;
mod config;
mod error;
mod guard;
mod inspector;
mod message_view;
mod messages;
mod page;
mod persist;
mod playground;
mod push;
mod reset;
mod rooms;
mod server;
mod shared;
mod web;
mod world;
mod world_spec;

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use finchat_cui::{EventId, Fcid, RoomId};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use activity::{
    ACTIVITY_LIMIT, Activity, ActivityEntry, ApiCall, PushActivity, PushAnswer, PushAttempt,
    PushState, TargetResult,
};
pub use config::SandboxConfig;
pub use error::SandboxError;
pub use push::{PushOutcome, PushRecord};
pub use world::SandboxMessage;
pub use world_spec::{SandboxWorld, WorldError, WorldPerson, WorldProblem, WorldRoom};

use finchat_client::events::Event;
use shared::Shared;
use world_spec::Seed;

/// The sandbox's entry points: a router to mount, or a server of its own.
#[derive(Debug)]
#[non_exhaustive]
pub struct Sandbox;

impl Sandbox {
    /// The sandbox as a router to mount (the API under `/api/…`, the page at `/`, its helpers under
    /// `/sandbox/…`), and a handle to it.
    ///
    /// A state file that cannot be read is logged and left alone: the sandbox then starts afresh in
    /// memory. A [world](SandboxConfig::world) that is not valid is logged too, and the sandbox
    /// has the [standard world](SandboxWorld::standard) instead, also when reset. ([`Sandbox::serve`]
    /// refuses to start instead.)
    pub fn router(config: SandboxConfig) -> (Router, SandboxHandle) {
        let seed = config.seed().unwrap_or_else(|error| {
            tracing::error!(%error, "the sandbox's world is not valid; it has the standard world instead");
            Seed::standard()
        });
        let shared = match Shared::open(config.clone(), seed.clone()) {
            Ok(shared) => shared,
            Err(error) => {
                tracing::error!(%error, "the sandbox starts afresh in memory and leaves the state file alone");
                Shared::unpersisted(config, seed)
            }
        };
        (router_for(&shared), SandboxHandle { shared })
    }

    /// Binds `addr` (e.g. `127.0.0.1:8008`, or port 0 for any free one), serves the sandbox on it in
    /// a task, and returns at once. It stops when the [`RunningSandbox`] is dropped or shut down.
    ///
    /// # Errors
    ///
    /// An [`io::Error`]: `InvalidInput` when the [world](SandboxConfig::world) is not valid (its
    /// message is the [`WorldError`]'s, which it holds as its inner error); when the state file
    /// cannot be read (`InvalidData` for one that does not parse or has another format); or when
    /// `addr` cannot be bound.
    pub async fn serve(
        config: SandboxConfig,
        addr: impl ToSocketAddrs,
    ) -> io::Result<RunningSandbox> {
        let seed = config
            .seed()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let shared = Shared::open(config, seed)?;
        let router = router_for(&shared);
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let read_timeout = shared.config.read_timeout;
        let task = tokio::spawn(
            finchat_client::receiver::Server::new()
                .header_read_timeout(read_timeout)
                .serve(listener, router, async move {
                    stopped.await.ok();
                }),
        );
        Ok(RunningSandbox {
            url: url_of(addr),
            handle: SandboxHandle { shared },
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

fn router_for(shared: &Arc<Shared>) -> Router {
    shared.start_pusher();
    Router::new()
        .merge(api::routes(shared))
        .merge(web::routes(shared))
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.config.read_timeout,
            server::body_timeout,
        ))
        .with_state(Arc::clone(shared))
}

/// `http://host:port` for a bound address; an unspecified one (`0.0.0.0`, `::`) is reached on
/// loopback.
fn url_of(addr: SocketAddr) -> String {
    let ip = addr.ip();
    match ip {
        _ if ip.is_unspecified() && ip.is_ipv4() => format!("http://127.0.0.1:{}", addr.port()),
        _ if ip.is_unspecified() => format!("http://[::1]:{}", addr.port()),
        std::net::IpAddr::V6(v6) => format!("http://[{v6}]:{}", addr.port()),
        std::net::IpAddr::V4(v4) => format!("http://{v4}:{}", addr.port()),
    }
}

/// A sandbox serving on its own address; it stops when dropped or [shut down](Self::shutdown).
pub struct RunningSandbox {
    /// Its base URL, e.g. `http://127.0.0.1:8008`: the client's base URL and the page.
    pub url: String,
    /// In-process access to it.
    pub handle: SandboxHandle,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address of `person`'s page showing `room`, e.g. to print or to open in a browser.
    pub fn page_url(&self, person: &Fcid, room: &RoomId) -> String {
        format!("{}{}", self.url, page::page_url(person, Some(room)))
    }

    /// The address of the card playground showing `content` (message content, or a bare card, as
    /// JSON): drawn as the page draws it, each validation problem beside the element it names.
    /// The playground reads up to 16 KiB.
    pub fn playground_url(&self, content: &str) -> String {
        format!("{}{}", self.url, playground::link(content))
    }

    /// A client builder for the sandbox's app: its URL, app id and secret.
    pub fn client(&self) -> finchat_client::ClientBuilder {
        let config = &self.handle.shared.config;
        finchat_client::Client::builder()
            .base_url(&self.url)
            .app_id(&config.app_id)
            .secret(config.secret.clone())
    }

    /// Stops serving (letting requests under way finish, for at most 5 s) and pushing, writes the
    /// changes made so far to the state file (waiting at most 5 s; a failure is logged) and stops
    /// writing it. The handle can still be read.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        self.handle.shared.close();
        // A failure was logged by the writer.
        tokio::time::timeout(Duration::from_secs(5), self.handle.flush())
            .await
            .ok();
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.handle.shared.close();
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// In-process access to a sandbox: its people and rooms, the messages people see, their actions
/// (submitting a card, saying something) and the events emitted. Cheap to clone.
#[derive(Clone)]
pub struct SandboxHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("app_id", &self.shared.config.app_id)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// `f` of `room`; the default (`None`, empty) for an unknown room.
    fn with_room<R: Default>(&self, room: &RoomId, f: impl FnOnce(&world::Room) -> R) -> R {
        self.shared
            .read(|s| s.room(room).map(f).unwrap_or_default())
    }

    /// The people, in order: those of the configured [world](SandboxConfig::world) (by default
    /// `@alice:sandbox`, `@bob:sandbox`, `@carol:sandbox`), or of the state file's.
    pub fn users(&self) -> Vec<Fcid> {
        self.shared
            .read(|s| s.people.iter().map(|p| p.fcid.clone()).collect())
    }

    /// The first person whose display name is `name`.
    pub fn person_named(&self, name: &str) -> Option<Fcid> {
        self.shared.read(|s| {
            s.people
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.fcid.clone())
        })
    }

    /// The app's bot account (by default `@finchat-bot:sandbox`).
    pub fn bot(&self) -> Fcid {
        self.shared.read(|s| s.bot.fcid.clone())
    }

    /// The display name of a person or the bot.
    pub fn name(&self, fcid: &Fcid) -> Option<String> {
        self.shared.read(|s| s.knows(fcid).then(|| s.name_of(fcid)))
    }

    /// The app's id.
    pub fn app_id(&self) -> &str {
        &self.shared.config.app_id
    }

    /// Every room, direct and group, in creation order.
    pub fn rooms(&self) -> Vec<RoomId> {
        self.shared
            .read(|s| s.rooms.iter().map(|r| r.room_id.clone()).collect())
    }

    /// The group rooms (every room but the direct ones), in creation order: the world's, then
    /// those the app created.
    pub fn group_rooms(&self) -> Vec<RoomId> {
        self.shared.read(|s| {
            s.rooms
                .iter()
                .filter(|r| !r.is_direct())
                .map(|r| r.room_id.clone())
                .collect()
        })
    }

    /// A room's name (`None` for a direct room, an unnamed room or an unknown one).
    pub fn room_name(&self, room: &RoomId) -> Option<String> {
        self.with_room(room, |r| r.name.clone())
    }

    /// A room's members, the bot first (empty for an unknown room).
    pub fn members(&self, room: &RoomId) -> Vec<Fcid> {
        self.with_room(room, |r| r.members.clone())
    }

    /// The bot's direct room with `user`.
    pub fn direct_room(&self, user: &Fcid) -> Option<RoomId> {
        self.shared
            .read(|s| s.direct_room(user).map(|r| r.room_id.clone()))
    }

    /// The room's messages, oldest first (empty for an unknown room). For what one person sees of an
    /// exclusive card, use [`SandboxMessage::content_for`].
    pub fn messages(&self, room: &RoomId) -> Vec<SandboxMessage> {
        self.with_room(room, |r| r.messages.clone())
    }

    /// What the page's form does: `as_user` submits the card `card` in `room` with `info` (the
    /// values they typed or chose, and the pressed reply button's `key: value`). The event's `info`
    /// also holds every other input's current value, as a client sends them. Emits
    /// `finstore.room.interactcui`; its event id.
    ///
    /// # Errors
    ///
    /// A [`SandboxError`] when `as_user` is not one of the sandbox's people or not in `room`
    /// (`UnknownUser`, `UnknownRoom`, `NotInRoom`), `card` is not a card there (`UnknownMessage`,
    /// `NotACard`), the card or button is closed (`CardClosed`, `ButtonClosed`), or `info` has an
    /// unknown key (`UnknownKey`).
    pub fn submit(
        &self,
        as_user: &Fcid,
        room: &RoomId,
        card: &EventId,
        info: BTreeMap<String, String>,
    ) -> Result<EventId, SandboxError> {
        web::submit(&self.shared, as_user, room, card, info)
    }

    /// `as_user` says `body` in `room`. In a direct room the bot gets it as `m.text`; in a group room
    /// only when it @-mentions the bot (`@机器人`), as `m.alert`. The message's event id.
    ///
    /// # Errors
    ///
    /// A [`SandboxError`]: `EmptyMessage` for a blank `body`; `UnknownUser`, `UnknownRoom` or
    /// `NotInRoom` when `as_user` is not in `room`; `Muted` when only the room's owner may speak.
    pub fn say(&self, as_user: &Fcid, room: &RoomId, body: &str) -> Result<EventId, SandboxError> {
        web::say(&self.shared, as_user, room, body)
    }

    /// The activity log, oldest first: every API call of the bot and every push to the callback
    /// (with each attempt, updated as attempts are made), the newest [`ACTIVITY_LIMIT`] of them.
    /// Kept in memory only, never in the state file; no secret is in it.
    ///
    /// ```no_run
    /// # async fn demo(sandbox: finchat_sandbox::RunningSandbox) {
    /// use finchat_sandbox::{Activity, PushAnswer};
    ///
    /// for entry in sandbox.handle.activity() {
    ///     match &entry.detail {
    ///         Activity::Call(call) if call.is_refused() => {
    ///             println!("{} {}: {:?} {:?}", call.method, call.path, call.errcode, call.problems);
    ///         }
    ///         Activity::Push(push) => {
    ///             let acked = matches!(push.last_answer(), Some(PushAnswer::Acked));
    ///             println!("{} {:?}, {} attempts, acked: {acked}", push.event_id, push.state, push.attempts.len());
    ///         }
    ///         _ => {}
    ///     }
    /// }
    /// # }
    /// ```
    pub fn activity(&self) -> Vec<ActivityEntry> {
        self.shared.activity.entries()
    }

    /// Empties the activity log (a push under way is not recorded further). Entry numbers go on
    /// from where they were.
    pub fn clear_activity(&self) {
        self.shared.activity.clear();
    }

    /// Every event emitted, in order (the forwarder API serves the same).
    pub fn events(&self) -> Vec<Event> {
        let raw = self.shared.read(|s| s.events.clone());
        raw.into_iter()
            .filter_map(|event| match serde_json::from_value(event) {
                Ok(event) => Some(event),
                Err(error) => {
                    tracing::error!(%error, "the sandbox emitted an event it cannot read");
                    None
                }
            })
            .collect()
    }

    /// Waits until the state file holds every change made so far (at once without a state file).
    ///
    /// Changes are written shortly after they are made, by a task of the sandbox's own, off the
    /// lock that changes take: several changes close together make one write. Each write goes to a
    /// temporary file beside the state file, is fsynced, renamed over it, and the directory
    /// fsynced; uploads are files of their own in `<state file>.media/`, written once when
    /// uploaded. So after `flush` returns `Ok`, a crash loses none of the changes made before it.
    /// A failed write is also logged at ERROR; the next change tries again.
    ///
    /// # Errors
    ///
    /// The [`io::Error`] of the write that should have held the changes (its message names the
    /// file), e.g. when its directory cannot be written.
    pub async fn flush(&self) -> io::Result<()> {
        self.shared.flush().await
    }

    /// How many events the callback has not answered yet: those waiting to be pushed, and the one
    /// being pushed until an attempt of it is answered (a push that failed and waits for its retry
    /// counts as answered). 0 without a callback. A test harness waits for it to reach 0.
    pub fn unanswered_pushes(&self) -> usize {
        self.shared.unanswered()
    }

    /// What became of each push to the callback since the start or the last [reset](Self::reset),
    /// in order.
    pub fn pushes(&self) -> Vec<PushRecord> {
        self.shared.pushes()
    }

    /// Puts the world back to its seed, the configured [world](SandboxConfig::world): its people
    /// and rooms only, without messages, uploads, events, push records or [activity](Self::activity),
    /// and the direct rooms' `finstore.room.create` events emitted again (and pushed to the callback, as at first start).
    /// The page's Reset button (`POST /sandbox/reset`) and `POST /sandbox/api/reset` do the same.
    ///
    /// What a running bot relies on is kept: the app's access token stays valid, and event ids go
    /// on counting (no id is used twice, so a polling bot's `since` skips none of the new events).
    /// A push under way finishes and is recorded; the new events are pushed after it. The state
    /// file is rewritten as after any change (see [`flush`](Self::flush)), and the uploads' files
    /// are removed.
    pub fn reset(&self) {
        reset::reset(&self.shared);
    }
}

/// This crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
