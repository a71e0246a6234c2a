//! `Room`: what the bot posted in a room, and assertions about it.

use finchat_cui::render::plain_text;
use finchat_cui::{EventId, Fcid, RoomId};
use finchat_sandbox::SandboxMessage;

use super::card::CardView;
use super::transcript;
use super::world::TestWorld;

/// A room of the sandbox, to look at what is in it. Cheap to clone.
#[derive(Clone)]
pub struct Room<'w> {
    world: &'w TestWorld,
    id: RoomId,
}

impl std::fmt::Debug for Room<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.label())
    }
}

impl<'w> Room<'w> {
    pub(crate) fn new(world: &'w TestWorld, id: RoomId) -> Self {
        Self { world, id }
    }

    /// The room's id.
    pub fn id(&self) -> &RoomId {
        &self.id
    }

    /// How the room is called in messages: `财务部 (!finance:sandbox)`, or for a direct room
    /// `李四 ↔ 机器人 (!direct-bob:sandbox)`.
    pub fn label(&self) -> String {
        transcript::label(self.world, &self.id)
    }

    /// Every message in the room, oldest first, as everyone sees it.
    pub fn messages(&self) -> Vec<SandboxMessage> {
        self.world.sandbox().messages(&self.id)
    }

    /// The messages the bot posted, oldest first.
    pub fn bot_messages(&self) -> Vec<SandboxMessage> {
        let bot = self.world.bot();
        let messages = self.messages();
        messages.into_iter().filter(|m| m.sender == bot).collect()
    }

    /// The plain text of each message the bot posted, oldest first (a card's as it is now).
    pub fn bot_texts(&self) -> Vec<String> {
        let messages = self.bot_messages();
        messages.iter().map(|m| plain_text(&m.content)).collect()
    }

    /// The bot's cards, oldest first, as everyone sees them.
    pub fn cards(&self) -> Vec<CardView> {
        let messages = self.bot_messages();
        messages.iter().filter_map(CardView::shared).collect()
    }

    /// The bot's last card, as everyone without a copy of their own sees it.
    ///
    /// # Panics
    ///
    /// When the bot has sent no card here; the message shows the room.
    pub fn last_card(&self) -> CardView {
        self.cards().pop().unwrap_or_else(|| self.no_card())
    }

    /// The bot's last card as `person` sees it.
    ///
    /// # Panics
    ///
    /// When the bot has sent no card here.
    pub fn last_card_for(&self, person: &Fcid) -> CardView {
        let messages = self.bot_messages();
        let card = messages
            .iter()
            .rev()
            .find_map(|m| CardView::for_person(m, person));
        card.unwrap_or_else(|| self.no_card())
    }

    /// The card `card` as `person` sees it.
    ///
    /// # Panics
    ///
    /// When there is no such card here.
    pub fn card_for(&self, card: &EventId, person: &Fcid) -> CardView {
        let messages = self.messages();
        let found = messages.iter().find(|m| &m.event_id == card);
        match found.and_then(|m| CardView::for_person(m, person)) {
            Some(view) => view,
            None => panic!(
                "finchat-test: no card {card} in {}:\n{}",
                self.label(),
                self.transcript()
            ),
        }
    }

    fn no_card(&self) -> ! {
        panic!(
            "finchat-test: the bot has sent no card to {}:\n{}",
            self.label(),
            self.transcript()
        )
    }

    /// Asserts that the bot posted a message here whose text contains `text` (a card's text as it
    /// is now).
    ///
    /// # Panics
    ///
    /// When it did not: the message shows what the bot posted instead.
    #[track_caller]
    pub fn assert_posted(&self, text: &str) {
        let texts = self.bot_texts();
        if !texts.iter().any(|t| t.contains(text)) {
            panic!(
                "expected the bot to post {text:?} in {}; it posted:\n{}",
                self.label(),
                self.transcript()
            );
        }
    }

    /// Asserts that no message the bot posted here contains `text`.
    ///
    /// # Panics
    ///
    /// When one does: the message shows the room.
    #[track_caller]
    pub fn assert_not_posted(&self, text: &str) {
        let texts = self.bot_texts();
        if texts.iter().any(|t| t.contains(text)) {
            panic!(
                "expected the bot not to post {text:?} in {}; it did:\n{}",
                self.label(),
                self.transcript()
            );
        }
    }

    /// A readable account of the room: who said what, each card as its plain text and status, each
    /// submission with its values.
    pub fn transcript(&self) -> String {
        transcript::room(self.world, &self.id)
    }
}
