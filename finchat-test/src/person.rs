//! `Person`: someone in the sandbox who talks to the bot and fills in its cards.

use std::collections::BTreeMap;

use finchat_cui::{Element, EventId, Fcid};
use finchat_sandbox::SandboxError;

use super::card::CardView;
use super::room::Room;
use super::world::TestWorld;

/// One of the sandbox's people, acting as a user would. Each action waits until the bot has
/// answered what it caused ([`TestWorld::settle`]).
#[derive(Clone)]
pub struct Person<'w> {
    world: &'w TestWorld,
    fcid: Fcid,
    name: String,
}

impl std::fmt::Debug for Person<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.fcid)
    }
}

impl<'w> Person<'w> {
    pub(crate) fn new(world: &'w TestWorld, fcid: Fcid) -> Self {
        let name = world.sandbox().name(&fcid).unwrap_or_default();
        Self { world, fcid, name }
    }

    /// Their fcid.
    pub fn fcid(&self) -> &Fcid {
        &self.fcid
    }

    /// Their display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Their direct room with the bot.
    ///
    /// # Panics
    ///
    /// When they have none.
    pub fn direct_room(&self) -> Room<'w> {
        match self.world.sandbox().direct_room(&self.fcid) {
            Some(room) => self.world.room_by_id(room),
            None => panic!("finchat-test: {self:?} has no direct room with the bot"),
        }
    }

    /// Says `text` to the bot in their direct room (the bot gets `m.text`).
    ///
    /// # Panics
    ///
    /// When the sandbox refuses it (e.g. a blank `text`); the message says why.
    pub async fn say(&self, text: &str) -> EventId {
        let room = self.direct_room();
        self.say_in(&room, text).await
    }

    /// Says `text` in `room`. In a group room the bot hears it only when it @-mentions the bot
    /// (see [`Person::mention_in`]); then as `m.alert`.
    ///
    /// # Panics
    ///
    /// When the sandbox refuses it (not in the room, a muted room, a blank `text`).
    pub async fn say_in(&self, room: &Room<'_>, text: &str) -> EventId {
        let said = self.world.sandbox().say(&self.fcid, room.id(), text);
        let id = said.unwrap_or_else(|e| panic!("finchat-test: {self:?} cannot say {text:?}: {e}"));
        self.world.settle().await;
        id
    }

    /// Says `text` in `room` @-mentioning the bot first (`@机器人 text`), as a command in a group
    /// room is said.
    ///
    /// # Panics
    ///
    /// As [`Person::say_in`].
    pub async fn mention_in(&self, room: &Room<'_>, text: &str) -> EventId {
        let bot = self.world.sandbox().name(&self.world.bot());
        let said = format!("@{} {text}", bot.unwrap_or_default());
        self.say_in(room, &said).await
    }

    /// The bot's last card in `room` as this person sees it (their own copy of an exclusive card).
    ///
    /// # Panics
    ///
    /// When the bot has sent no card there; the message shows the room.
    pub fn card_in(&self, room: &Room<'_>) -> CardView {
        room.last_card_for(&self.fcid)
    }

    /// Starts filling in the bot's last card in `room`: set values, then press a button.
    ///
    /// ```no_run
    /// # async fn demo(world: &finchat_test::TestWorld) {
    /// let finance = world.room("财务部");
    /// world.person("张三")
    ///     .fill(&finance)
    ///     .set("amount", "1000")
    ///     .press("同意")
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub fn fill(&self, room: &Room<'w>) -> Fill<'w> {
        Fill {
            person: self.clone(),
            room: room.clone(),
            card: None,
            values: BTreeMap::new(),
        }
    }

    /// Presses the button captioned `caption` on the bot's last card in `room`, with the values
    /// the card holds.
    ///
    /// # Errors
    ///
    /// The sandbox's refusal when the card or the button is closed.
    ///
    /// # Panics
    ///
    /// When there is no card, or no such button on it.
    pub async fn press(&self, room: &Room<'w>, caption: &str) -> Result<EventId, SandboxError> {
        self.fill(room).press(caption).await
    }
}

/// A card being filled in by a [`Person`]: [`Person::fill`].
#[derive(Debug)]
#[must_use = "nothing is submitted until `press` or `submit` is awaited"]
pub struct Fill<'w> {
    person: Person<'w>,
    room: Room<'w>,
    card: Option<EventId>,
    values: BTreeMap<String, String>,
}

impl Fill<'_> {
    /// Fills in this card rather than the bot's last one in the room.
    pub fn card(mut self, card: EventId) -> Self {
        self.card = Some(card);
        self
    }

    /// Types `value` into the input `key` (or picks the option whose value is `value` in the
    /// dropdown `key`).
    pub fn set(mut self, key: &str, value: &str) -> Self {
        self.values.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Presses the reply or submit button captioned `caption`; the submission carries every input's
    /// value (what the card shows, changed by [`Fill::set`]) and, for a reply button, its
    /// `key: caption`. Waits until the bot has answered it.
    ///
    /// # Errors
    ///
    /// The sandbox's refusal, e.g. `CardClosed` when the card is no longer open to this person.
    ///
    /// # Panics
    ///
    /// When there is no card, no such button on it, or [`Fill::set`] named no input of it: the
    /// message shows the card.
    pub async fn press(self, caption: &str) -> Result<EventId, SandboxError> {
        let view = self.view();
        let mut info = self.values.clone();
        let button = view
            .card()
            .elements
            .iter()
            .find_map(|element| match element {
                Element::Reply(reply) if reply.value == caption => Some(Some(reply)),
                Element::Submit(submit) if submit.value == caption => Some(None),
                _ => None,
            });
        match button {
            Some(Some(reply)) => {
                info.insert(reply.key.clone(), reply.value.clone());
            }
            Some(None) => {}
            None => panic!(
                "finchat-test: no button {caption:?} on the card {} that {:?} sees:\n{}",
                view.event_id(),
                self.person,
                view.text()
            ),
        }
        self.send(&view, info).await
    }

    /// Presses the card's submit button, whatever its caption.
    ///
    /// # Errors
    ///
    /// As [`Fill::press`].
    ///
    /// # Panics
    ///
    /// When there is no card or it has no submit button.
    pub async fn submit(self) -> Result<EventId, SandboxError> {
        let view = self.view();
        let caption = view
            .card()
            .elements
            .iter()
            .find_map(|element| match element {
                Element::Submit(submit) => Some(submit.value.clone()),
                _ => None,
            });
        match caption {
            Some(caption) => self.press(&caption).await,
            None => panic!(
                "finchat-test: the card {} has no submit button:\n{}",
                view.event_id(),
                view.text()
            ),
        }
    }

    fn view(&self) -> CardView {
        match &self.card {
            Some(card) => self.room.card_for(card, self.person.fcid()),
            None => self.room.last_card_for(self.person.fcid()),
        }
    }

    async fn send(
        &self,
        view: &CardView,
        info: BTreeMap<String, String>,
    ) -> Result<EventId, SandboxError> {
        let keys = view.input_keys();
        if let Some(unknown) = self.values.keys().find(|k| !keys.contains(k)) {
            panic!(
                "finchat-test: the card {} has no input {unknown:?} (it has {keys:?}):\n{}",
                view.event_id(),
                view.text()
            );
        }
        let world = self.person.world;
        let submitted =
            world
                .sandbox()
                .submit(self.person.fcid(), self.room.id(), view.event_id(), info);
        world.settle().await;
        submitted
    }
}
