//! `CardView`: a card as one person sees it, and assertions about it.

use finchat_cui::render::card_text;
use finchat_cui::{Card, Element, EventId, Fcid, Status};
use finchat_sandbox::SandboxMessage;

/// A card of the bot's as someone sees it now (after every update; their own copy of an exclusive
/// card).
#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    event_id: EventId,
    card: Card,
}

impl CardView {
    /// The card everyone without a copy of their own sees, if `message` is a card.
    pub(crate) fn shared(message: &SandboxMessage) -> Option<Self> {
        Self::of(message.event_id.clone(), message.content.card()?)
    }

    /// The card `person` sees, if `message` is a card.
    pub(crate) fn for_person(message: &SandboxMessage, person: &Fcid) -> Option<Self> {
        Self::of(
            message.event_id.clone(),
            message.content_for(person).card()?,
        )
    }

    fn of(event_id: EventId, card: &Card) -> Option<Self> {
        Some(Self {
            event_id,
            card: card.clone(),
        })
    }

    /// The card's event id: the `origin_event` of its submissions and updates.
    pub fn event_id(&self) -> &EventId {
        &self.event_id
    }

    /// The card itself.
    pub fn card(&self) -> &Card {
        &self.card
    }

    /// Its status: `input`, `loading` or `disable`.
    pub fn status(&self) -> &Status {
        &self.card.status
    }

    /// Its plain text, one line per element (see [`finchat_cui::render::card_text`]).
    pub fn text(&self) -> String {
        card_text(&self.card)
    }

    /// The value the input or dropdown `key` holds now.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.fields()
            .find(|(k, _)| *k == key)
            .and_then(|(_, value)| value)
    }

    /// The keys of its inputs and dropdowns, in order.
    pub fn input_keys(&self) -> Vec<String> {
        self.fields().map(|(key, _)| key.to_owned()).collect()
    }

    /// Each input and dropdown: its key and the value it holds.
    fn fields(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.card
            .elements
            .iter()
            .filter_map(|element| match element {
                Element::TextInput(input) => Some((input.key.as_str(), input.value.as_deref())),
                Element::Dropdown(dropdown) => {
                    Some((dropdown.key.as_str(), Some(dropdown.value.as_str())))
                }
                _ => None,
            })
    }

    /// The error lines the card shows (text elements that begin with `⚠`, as the card registry
    /// writes errors back into a card: its summary at the top, then a line under each bad input),
    /// in order.
    pub fn errors(&self) -> Vec<String> {
        let lines = self
            .card
            .elements
            .iter()
            .filter_map(|element| match element {
                Element::Text(text) if text.is_error() => Some(text.value.clone()),
                _ => None,
            });
        lines.collect()
    }

    /// Asserts the card's status.
    ///
    /// # Panics
    ///
    /// When it has another: the message shows the card.
    #[track_caller]
    pub fn assert_status(&self, status: Status) -> &Self {
        assert!(
            self.card.status == status,
            "expected card {} to be {}, it is {}:\n{}",
            self.event_id,
            status.as_str(),
            self.card.status.as_str(),
            self.text()
        );
        self
    }

    /// Asserts that the card's text contains `text`.
    ///
    /// # Panics
    ///
    /// When it does not: the message shows the card.
    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(
            self.text().contains(text),
            "expected card {} to show {text:?}; it shows:\n{}",
            self.event_id,
            self.text()
        );
        self
    }

    /// Asserts that the card's text does not contain `text`.
    ///
    /// # Panics
    ///
    /// When it does: the message shows the card.
    #[track_caller]
    pub fn assert_not_contains(&self, text: &str) -> &Self {
        assert!(
            !self.text().contains(text),
            "expected card {} not to show {text:?}; it shows:\n{}",
            self.event_id,
            self.text()
        );
        self
    }
}
