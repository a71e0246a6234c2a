//! Where each tag may stand: [`classify`] names the tag a walker met, or says why it cannot stand there.

use super::message;
use super::symbol::*;
use super::tables::*;

/// A tag of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// `<form>`: an `m.cui` card.
    Form,
    /// `<text>`: a text element, or an `m.text` message.
    Text,
    /// `<divider/>`.
    Divider,
    /// `<image/>`: an image element, or an `m.image` message.
    Image,
    /// `<input/>`.
    Input,
    /// `<dropdown>`.
    Dropdown,
    /// `<option>` inside `<dropdown>`.
    Option,
    /// `<reply>`: a reply button.
    Reply,
    /// `<submit>`: a submit button.
    Submit,
    /// `<openurl>`: a link button.
    OpenUrl,
    /// `<textcard/>`: an `m.textcard` message.
    TextCard,
    /// `<file/>`: an `m.file` message.
    File,
}

/// Where a node stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The whole message.
    TopLevel,
    /// Inside `<form>`: elements.
    Form,
    /// Inside `<dropdown>`: options.
    Dropdown,
    /// Inside a tag that holds text (`<text>`, `<option>`, the buttons).
    Text(Tag),
}

/// What a tag holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Children {
    /// Elements (`<form>`).
    Elements,
    /// Options (`<dropdown>`).
    Options,
    /// Text, possibly empty (`<text>`, `<option>`).
    Text,
    /// Text that must not be empty: a button's caption.
    Caption,
    /// Nothing: written self-closing.
    None,
}

impl Tag {
    /// The tag's name as written.
    pub fn name(self) -> &'static str {
        match self {
            Tag::Form => FORM,
            Tag::Text => TEXT,
            Tag::Divider => DIVIDER,
            Tag::Image => IMAGE,
            Tag::Input => INPUT,
            Tag::Dropdown => DROPDOWN,
            Tag::Option => OPTION,
            Tag::Reply => REPLY,
            Tag::Submit => SUBMIT,
            Tag::OpenUrl => OPENURL,
            Tag::TextCard => TEXTCARD,
            Tag::File => FILE,
        }
    }

    /// The tag of this name, wherever it may stand.
    pub fn from_name(name: &str) -> Option<Tag> {
        [
            Tag::Form,
            Tag::Text,
            Tag::Divider,
            Tag::Image,
            Tag::Input,
            Tag::Dropdown,
            Tag::Option,
            Tag::Reply,
            Tag::Submit,
            Tag::OpenUrl,
            Tag::TextCard,
            Tag::File,
        ]
        .into_iter()
        .find(|tag| tag.name() == name)
    }

    /// The attributes the tag takes where it stands (`<image/>` differs as a message and an element).
    pub fn attrs(self, place: Place) -> Spec {
        match self {
            Tag::Form => FORM_ATTRS,
            Tag::Text | Tag::Submit => NO_ATTRS,
            Tag::Divider => DIVIDER_ATTRS,
            Tag::Image if place == Place::TopLevel => IMAGE_MESSAGE_ATTRS,
            Tag::Image => IMAGE_ATTRS,
            Tag::Input | Tag::Dropdown => INPUT_ATTRS,
            Tag::Option => OPTION_ATTRS,
            Tag::Reply => REPLY_ATTRS,
            Tag::OpenUrl => OPENURL_ATTRS,
            Tag::TextCard => TEXTCARD_ATTRS,
            Tag::File => FILE_ATTRS,
        }
    }

    /// What the tag holds.
    pub fn children(self) -> Children {
        match self {
            Tag::Form => Children::Elements,
            Tag::Dropdown => Children::Options,
            Tag::Text | Tag::Option => Children::Text,
            Tag::Reply | Tag::Submit | Tag::OpenUrl => Children::Caption,
            Tag::Divider | Tag::Image | Tag::Input | Tag::TextCard | Tag::File => Children::None,
        }
    }
}

/// The tag named `name`, when it may stand at `place`; else the message saying why not.
///
/// # Errors
///
/// The message when the tag is unknown (with a "did you mean"), or known but not allowed at `place`.
pub fn classify(name: &str, place: Place) -> Result<Tag, String> {
    let tag = Tag::from_name(name);
    match (place, tag) {
        (
            Place::TopLevel,
            Some(tag @ (Tag::Form | Tag::Text | Tag::TextCard | Tag::Image | Tag::File)),
        ) => Ok(tag),
        (Place::TopLevel, Some(_)) => Err(message::not_a_message(name)),
        (Place::TopLevel, None) => Err(message::unknown_tag(name, TOP_LEVEL_TAGS)),
        (Place::Form, Some(Tag::Form)) => Err(message::form_in_form()),
        (Place::Form, Some(Tag::Option)) => Err(message::option_outside_dropdown()),
        (Place::Form, Some(Tag::TextCard | Tag::File)) => Err(message::message_in_form(name)),
        (Place::Form, Some(tag)) => Ok(tag),
        (Place::Form, None) => Err(message::unknown_tag(name, ELEMENT_TAGS)),
        (Place::Dropdown, Some(Tag::Option)) => Ok(Tag::Option),
        (Place::Dropdown, _) => Err(message::not_an_option(name)),
        (Place::Text(holder), _) => Err(message::element_in_text(name, holder.name())),
    }
}
