//! What the HTML preview is told from outside: where media and the form go, what its ids start
//! with, and notes to draw beside its elements.

use std::collections::BTreeMap;

use crate::MxcUri;

/// The id prefix of a card's elements when [`HtmlOptions::id_prefix`] is not set.
pub(super) const DEFAULT_ID_PREFIX: &str = "cui";

/// How [`html_card`](super::html_card) and [`html_page`](super::html_page) link media, where the
/// form posts, what the elements' ids start with, and notes drawn beside elements.
///
/// ```
/// use finchat_cui::render::HtmlOptions;
/// let options = HtmlOptions::new()
///     .media_base_url("https://media.example.org/download")
///     .form_action("/cui/submit")
///     .id_prefix("card-42")
///     .note(3, "duplicate key \"amount\"");
/// assert_eq!(options.form_action.as_deref(), Some("/cui/submit"));
/// assert_eq!(options.element_id(3), "card-42-e3");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HtmlOptions {
    /// Where media is downloaded: an `mxc://server/id` URI becomes `{media_base_url}/server/id`,
    /// the server name and id each percent-encoded as one path segment.
    /// It is an absolute `http(s)://` URL, or a path on the page's own origin such as
    /// `/sandbox/media`. `None`, any other base (`javascript:…`, `//host`, a relative path), or a
    /// URI whose server name is `.` or `..`: images and files are drawn as placeholders showing
    /// their `mxc://` URI.
    pub media_base_url: Option<String>,
    /// The form's `action` (it always posts). `None`: no `action`, so it posts to the page itself.
    pub form_action: Option<String>,
    /// What the ids of the card's elements start with: element `i` of `info.elements` is drawn
    /// with the id `{prefix}-e{i}` (its notes `{prefix}-e{i}-notes`), whitespace in the prefix
    /// written as `_`. `None`: `cui`.
    ///
    /// Ids must be unique on a page, so a page showing several cards gives each its own prefix
    /// (the sandbox uses the card's DOM id, e.g. `card-abc123`). The labels and error links of the
    /// card's fields point at these ids.
    pub id_prefix: Option<String>,
    /// Plain-text notes drawn right after an element, by its index in `info.elements`: e.g. the
    /// validation problems of a card editor. Each element's notes are one list with
    /// `role="alert"`, and an input or dropdown is described by them (`aria-describedby`).
    /// Notes for an index past the last element are not drawn.
    pub notes: BTreeMap<usize, Vec<String>>,
}

impl HtmlOptions {
    /// No media links, no form action, the default id prefix and no notes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Links media under `url`, e.g. `https://example.org/_matrix/media/r0/download` or
    /// `/media`; the `media_base_url` field says what is linked.
    pub fn media_base_url(mut self, url: impl Into<String>) -> Self {
        self.media_base_url = Some(url.into());
        self
    }

    /// Sets the URL the card's form posts to.
    pub fn form_action(mut self, url: impl Into<String>) -> Self {
        self.form_action = Some(url.into());
        self
    }

    /// Sets what the ids of the card's elements start with; see the `id_prefix` field.
    pub fn id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.id_prefix = Some(prefix.into());
        self
    }

    /// Adds a note drawn right after element `element` (its index in `info.elements`).
    pub fn note(mut self, element: usize, text: impl Into<String>) -> Self {
        self.notes.entry(element).or_default().push(text.into());
        self
    }

    /// The id element `index` of the card is drawn with: `{prefix}-e{index}`, each whitespace
    /// character of the prefix written as `_` (an id holds none, and `aria-labelledby` and
    /// `aria-describedby` are lists of ids split at whitespace).
    ///
    /// ```
    /// use finchat_cui::render::HtmlOptions;
    /// assert_eq!(HtmlOptions::new().element_id(0), "cui-e0");
    /// assert_eq!(HtmlOptions::new().id_prefix("card 7").element_id(2), "card_7-e2");
    /// ```
    pub fn element_id(&self, index: usize) -> String {
        let prefix = self.id_prefix.as_deref().unwrap_or(DEFAULT_ID_PREFIX);
        let prefix = prefix.replace(|c: char| c.is_ascii_whitespace(), "_");
        format!("{prefix}-e{index}")
    }

    /// The id of the notes drawn after element `index`: `{prefix}-e{index}-notes`.
    pub(super) fn notes_id(&self, index: usize) -> String {
        format!("{}-notes", self.element_id(index))
    }

    /// Where `uri` is downloaded, or `None` (a placeholder) without a usable media base URL or
    /// when `uri` cannot be linked; see [`media_url`](super::links::media_url).
    pub(super) fn media_url(&self, uri: &MxcUri) -> Option<String> {
        super::links::media_url(self.media_base_url.as_deref()?, uri)
    }
}
