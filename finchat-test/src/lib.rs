//! Test a FinChat bot as its users would: the sandbox in process, people who talk to the bot and
//! fill in its cards, and what the bot did to look at, assert and snapshot.
//!
//! A whole approval story, as a `#[tokio::test(start_paused = true)]`:
//!
//! ```
//! use finchat_client::cards::{CardRegistry, MemoryCardStore, Verdict};
//! use finchat_client::Dispatcher;
//! use finchat_cui::{cui, CuiForm, Status};
//! use finchat_test::TestWorld;
//!
//! #[derive(CuiForm)]
//! struct Approval { amount: u32, decision: String }
//!
//! async fn zhang_approves_a_claim() -> Result<(), Box<dyn std::error::Error>> {
//!     let world = TestWorld::start().await;
//!     let registry = CardRegistry::new(world.client(), MemoryCardStore::new());
//!     world.serve(Dispatcher::new(()).on_decision::<Approval, _, _>(&registry, |_, d| async move {
//!         Ok(Verdict::decided(format!("已同意 ¥{}", d.form.amount)))
//!     }));
//!     let (finance, zhang, li) = (world.room("财务部"), world.person("张三"), world.person("李四"));
//!     let card = cui! { <form><input key="amount" placeholder="金额"/>
//!                             <reply key="decision">"同意"</reply></form> };
//!     registry.ask::<Approval>(card).room(finance.id().clone())
//!         .approvers([zhang.fcid().clone()]).send().await?;
//!
//!     li.press(&finance, "同意").await?; // not an approver: told so, the card stays open
//!     li.direct_room().assert_posted("你不是此卡片的审批人");
//!     zhang.fill(&finance).set("amount", "1200").press("同意").await?;
//!
//!     finance.last_card().assert_status(Status::Disable).assert_contains("已同意 ¥1200");
//!     println!("{}", world.transcript()); // or insta::assert_snapshot!(world.transcript())
//!     Ok(())
//! }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?
//! #         .block_on(zhang_approves_a_claim())
//! # }
//! ```
//!
//! - [`TestWorld`] starts the sandbox (its seeded world, or people and rooms of your own with
//!   [`TestWorld::with_config`]), gives the bot its [`Client`](finchat_client::Client) and serves
//!   its [`Dispatcher`](finchat_client::Dispatcher) as the callback.
//! - A [`Person`] says things ([`Person::say`], [`Person::mention_in`]), fills in and submits the
//!   bot's last card ([`Person::fill`]) or presses a button by its caption ([`Person::press`]).
//!   Each action returns once the bot has answered what it caused ([`TestWorld::settle`]).
//! - A [`Room`] shows what the bot posted ([`Room::assert_posted`], [`Room::last_card`]); a
//!   [`CardView`] a card as one person sees it, after every update; the world the bot's
//!   update-cui calls ([`TestWorld::update_calls`]) and the pushes with the bot's answers
//!   ([`TestWorld::pushes`]: acked, refused, redelivered).
//! - [`TestWorld::transcript`] tells the whole story as text, for `insta::assert_snapshot!`.
//! - With the paused clock, [`TestWorld::advance`] lets an hour pass at once: deadlines, expiry
//!   and redeliveries happen in order.
//!
//! Assertions panic with what was expected and what the bot did instead (the room's transcript).

mod card;
mod person;
mod room;
mod transcript;
mod world;

pub use card::CardView;
pub use person::{Fill, Person};
pub use room::Room;
pub use world::TestWorld;

pub use finchat_sandbox::{
    Activity, ActivityEntry, ApiCall, PushActivity, PushAnswer, PushAttempt, PushState,
    SandboxConfig, SandboxError, SandboxMessage,
};
