//! `TestWorld`: a sandbox in process, the bot under test served as its callback, and the clock.

use std::sync::Mutex;
use std::time::Duration;

use finchat_client::{Client, ClientBuilder, Dispatcher, Receiver};
use finchat_cui::{Fcid, RoomId};
use finchat_sandbox::{
    ActivityEntry, ApiCall, PushActivity, PushState, RunningSandbox, Sandbox, SandboxConfig,
    SandboxHandle,
};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::person::Person;
use super::room::Room;
use super::transcript;

/// The token the sandbox's pushes carry to the bot (a test's own: 32 characters, as FinChat's).
const CALLBACK_TOKEN: &str = "finchat-test-callback-token-0042";

/// How long [`TestWorld::settle`] waits, in real time, for the bot to answer every push.
const SETTLE_LIMIT: Duration = Duration::from_secs(20);

/// A FinChat of the test's own: the sandbox in process with its people and rooms, the bot under test
/// served as its callback, and what the bot did.
///
/// Every action a [`Person`] takes waits until the bot has answered the pushes it caused
/// ([`TestWorld::settle`]), so that a test reads as a story: someone does something, then the test
/// looks at what the bot did.
///
/// With tokio's paused clock (`#[tokio::test(start_paused = true)]`) a test lets time pass at once
/// with [`TestWorld::advance`]: card deadlines and expiry, the sandbox's redelivery schedule and
/// the client's retries all follow it. Keep the real clock for stores in another process (Redis):
/// a paused clock jumps ahead while the test waits for them.
pub struct TestWorld {
    sandbox: RunningSandbox,
    callback: Mutex<Callback>,
    settle_limit: Duration,
}

/// The bot's callback: its port, bound at the start so that events wait for the bot, then the bot
/// serving on it until the world is dropped.
enum Callback {
    Waiting(TcpListener),
    Served(oneshot::Sender<()>),
    /// Only while a bot is being served.
    Taken,
}

impl std::fmt::Debug for TestWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestWorld")
            .field("url", &self.sandbox.url)
            .finish_non_exhaustive()
    }
}

impl TestWorld {
    /// The sandbox's seeded world: the bot 机器人, 张三 (`@alice:sandbox`), 李四 (`@bob:sandbox`)
    /// and 王五 (`@carol:sandbox`), a direct room of the bot with each, and the group room 财务部
    /// with everyone.
    ///
    /// # Panics
    ///
    /// When no local port can be bound: the test cannot run.
    pub async fn start() -> Self {
        Self::with_config(SandboxConfig::new()).await
    }

    /// A sandbox set up by `config` (its people and rooms, its app id, …); its callback is the
    /// bot this world [serves](TestWorld::serve).
    ///
    /// # Panics
    ///
    /// When no local port can be bound, or the sandbox refuses `config` (the message says why).
    pub async fn with_config(config: SandboxConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("finchat-test cannot bind the bot's callback port: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("finchat-test cannot read the callback's address: {e}"));
        let config = config.callback(format!("http://{address}/callback"), CALLBACK_TOKEN);
        let sandbox = Sandbox::serve(config, "127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("finchat-test cannot start the sandbox: {e}"));
        Self {
            sandbox,
            callback: Mutex::new(Callback::Waiting(listener)),
            settle_limit: SETTLE_LIMIT,
        }
    }

    /// How long, in real time, [`TestWorld::settle`] waits for the bot to answer a push before it
    /// fails the test (default 20 s).
    pub fn with_settle_limit(mut self, limit: Duration) -> Self {
        self.settle_limit = limit;
        self
    }

    /// The sandbox, for anything this crate does not wrap.
    pub fn sandbox(&self) -> &SandboxHandle {
        &self.sandbox.handle
    }

    /// The sandbox's base URL: the bot's `base_url`, and the page to watch the test in a browser.
    pub fn url(&self) -> &str {
        &self.sandbox.url
    }

    /// The address of `person`'s page showing `room`: to open in a browser (a test that drives
    /// one, or a person watching a paused test).
    pub fn page_url(&self, person: &Fcid, room: &RoomId) -> String {
        self.sandbox.page_url(person, room)
    }

    /// A client of the sandbox's app, for the bot under test.
    ///
    /// # Panics
    ///
    /// Never in practice: the sandbox's own settings always make a client.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .unwrap_or_else(|e| panic!("finchat-test cannot make the sandbox's client: {e}"))
    }

    /// The builder of [`TestWorld::client`], to change its settings (retries, deadlines, …).
    pub fn client_builder(&self) -> ClientBuilder {
        self.sandbox.client()
    }

    /// The token the sandbox's pushes carry, for a [`Receiver`] built by hand.
    pub fn callback_token(&self) -> &'static str {
        CALLBACK_TOKEN
    }

    /// A receiver of the sandbox's pushes for `dispatcher`: its token and app id set. Change its
    /// settings, then [`TestWorld::serve_router`] its router.
    ///
    /// # Panics
    ///
    /// Never in practice: the token is long enough.
    pub fn receiver<S: Send + Sync + 'static>(&self, dispatcher: Dispatcher<S>) -> Receiver<S> {
        Receiver::new(dispatcher, CALLBACK_TOKEN)
            .unwrap_or_else(|e| panic!("finchat-test's callback token is refused: {e}"))
            .app_id(self.sandbox.handle.app_id())
    }

    /// Serves the bot under test: `dispatcher` gets every event the sandbox pushes, as a bot behind
    /// FinChat's callback does. Events that waited for it are pushed now.
    ///
    /// # Panics
    ///
    /// When a bot is served already.
    pub fn serve<S: Send + Sync + 'static>(&self, dispatcher: Dispatcher<S>) {
        self.serve_router(self.receiver(dispatcher).router());
    }

    /// Serves any router as the bot's callback (its events path is `/callback`).
    ///
    /// # Panics
    ///
    /// When a bot is served already.
    pub fn serve_router(&self, router: axum::Router) {
        let mut callback = lock(&self.callback);
        let Callback::Waiting(listener) = std::mem::replace(&mut *callback, Callback::Taken) else {
            panic!("finchat-test serves one bot per world; one is served");
        };
        let (stop, stopped) = oneshot::channel::<()>();
        *callback = Callback::Served(stop);
        tokio::spawn(
            finchat_client::receiver::Server::new().serve(listener, router, async move {
                stopped.await.ok();
            }),
        );
    }

    fn is_served(&self) -> bool {
        matches!(*lock(&self.callback), Callback::Served(_))
    }

    /// One of the people, by display name (`"张三"`) or fcid (`"@alice:sandbox"`).
    ///
    /// # Panics
    ///
    /// When there is no such person; the message lists who there is.
    pub fn person(&self, who: &str) -> Person<'_> {
        let handle = &self.sandbox.handle;
        let found = handle
            .users()
            .into_iter()
            .find(|fcid| fcid.as_str() == who || handle.name(fcid).as_deref() == Some(who));
        match found {
            Some(fcid) => Person::new(self, fcid),
            None => panic!(
                "finchat-test: no person `{who}` in the sandbox; there are {}",
                self.people_list()
            ),
        }
    }

    /// Everyone but the bot, in order.
    pub fn people(&self) -> Vec<Person<'_>> {
        let users = self.sandbox.handle.users();
        users.into_iter().map(|f| Person::new(self, f)).collect()
    }

    fn people_list(&self) -> String {
        let handle = &self.sandbox.handle;
        let people: Vec<String> = handle
            .users()
            .iter()
            .map(|f| format!("{} ({f})", handle.name(f).unwrap_or_default()))
            .collect();
        people.join(", ")
    }

    /// The bot's account.
    pub fn bot(&self) -> Fcid {
        self.sandbox.handle.bot()
    }

    /// A room, by name (`"财务部"`) or id (`"!finance:sandbox"`).
    ///
    /// # Panics
    ///
    /// When there is no such room; the message lists the rooms.
    pub fn room(&self, which: &str) -> Room<'_> {
        let handle = &self.sandbox.handle;
        let rooms = handle.rooms();
        let found = rooms.iter().find(|room| {
            room.as_str() == which || handle.room_name(room).as_deref() == Some(which)
        });
        match found {
            Some(room) => Room::new(self, room.clone()),
            None => {
                let names: Vec<String> = rooms
                    .iter()
                    .map(|r| match handle.room_name(r) {
                        Some(name) => format!("{name} ({r})"),
                        None => r.to_string(),
                    })
                    .collect();
                panic!(
                    "finchat-test: no room `{which}` in the sandbox; there are {}",
                    names.join(", ")
                )
            }
        }
    }

    /// The room with this id (it need not be known yet, e.g. one the bot is about to create).
    pub fn room_by_id(&self, room: RoomId) -> Room<'_> {
        Room::new(self, room)
    }

    /// Waits until the bot has answered every push the sandbox made so far (and the pushes it
    /// caused in turn), letting the runtime run everything that is ready. A push the bot failed is
    /// answered too: its redelivery waits for its time ([`TestWorld::advance`]). Without a bot
    /// served it only lets the runtime run.
    ///
    /// # Panics
    ///
    /// When the bot keeps a push unanswered for 20 s of real time ([`TestWorld::with_settle_limit`]):
    /// a hung handler. The message names the push.
    pub async fn settle(&self) {
        let started = std::time::Instant::now();
        let mut quiet_rounds = 0;
        while quiet_rounds < 3 {
            tokio::time::sleep(Duration::from_millis(1)).await;
            match self.unanswered() {
                None => quiet_rounds += 1,
                Some(waiting) => {
                    quiet_rounds = 0;
                    assert!(
                        started.elapsed() < self.settle_limit,
                        "finchat-test: the bot has not answered {waiting} within {:?}",
                        self.settle_limit
                    );
                }
            }
        }
    }

    /// What keeps the world from being settled: events the bot has not answered yet.
    fn unanswered(&self) -> Option<String> {
        if !self.is_served() {
            return None;
        }
        let waiting = self.sandbox.handle.unanswered_pushes();
        (waiting > 0).then(|| {
            let delivering = self
                .pushes()
                .into_iter()
                .rfind(|p| p.state == PushState::Delivering);
            match delivering {
                Some(push) => format!("the push of {} ({})", push.event_id, push.event_type),
                None => format!("{waiting} events waiting to be pushed"),
            }
        })
    }

    /// Lets `by` pass on tokio's paused clock at once (the timers due run in order), then
    /// [settles](TestWorld::settle): card deadlines and expiry, redeliveries and retries happen.
    ///
    /// # Panics
    ///
    /// When the clock is not paused: use `#[tokio::test(start_paused = true)]`.
    pub async fn advance(&self, by: Duration) {
        tokio::time::advance(by).await;
        self.settle().await;
    }

    /// Every API call the bot made, oldest first.
    pub fn calls(&self) -> Vec<ApiCall> {
        let activity = self.sandbox.handle.activity();
        activity
            .iter()
            .filter_map(ActivityEntry::call)
            .cloned()
            .collect()
    }

    /// The bot's update-cui calls, oldest first.
    pub fn update_calls(&self) -> Vec<ApiCall> {
        let calls = self.calls();
        calls.into_iter().filter(ApiCall::is_update_cui).collect()
    }

    /// Every push of an event to the bot, oldest first: its attempts and the bot's answers.
    pub fn pushes(&self) -> Vec<PushActivity> {
        let activity = self.sandbox.handle.activity();
        activity
            .iter()
            .filter_map(ActivityEntry::push)
            .cloned()
            .collect()
    }

    /// A readable account of every room with something in it: who said what, each card as its
    /// plain text and status, each submission with its values. For `insta::assert_snapshot!`.
    pub fn transcript(&self) -> String {
        transcript::world(self)
    }
}

impl Drop for TestWorld {
    fn drop(&mut self) {
        if let Callback::Served(stop) =
            std::mem::replace(&mut *lock(&self.callback), Callback::Taken)
        {
            stop.send(()).ok();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
