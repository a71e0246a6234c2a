//! What validation reports: a `Problem` names a place in the JSON (`info.elements[3].key`), a
//! machine-readable kind and a message; `Problems` is every one of them at once.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// One step of a [`Path`]: an object field or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object field, e.g. `elements`.
    Field(Cow<'static, str>),
    /// An array index, e.g. `[3]`.
    Index(usize),
}

/// Where in a content object something is, written like `info.elements[3].key`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(Vec<Segment>);

impl Path {
    /// The content object itself.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path with `field` appended.
    pub fn field(&self, field: impl Into<Cow<'static, str>>) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Field(field.into()));
        Self(segments)
    }

    /// This path with `[index]` appended.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    /// `other` appended to this path.
    pub fn join(&self, other: &Path) -> Self {
        let mut segments = self.0.clone();
        segments.extend(other.0.iter().cloned());
        Self(segments)
    }

    /// The steps of the path.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The card element this path is in: `i` of a path `info.elements[i]…` (from the top of a
    /// message), so that a problem can be shown beside its element.
    ///
    /// ```
    /// use finchat_cui::Path;
    ///
    /// let key = Path::root().field("info").field("elements").index(3).field("key");
    /// assert_eq!(key.element_index(), Some(3));
    /// assert_eq!(Path::root().field("body").element_index(), None);
    /// ```
    pub fn element_index(&self) -> Option<usize> {
        match &self.0[..] {
            [
                Segment::Field(info),
                Segment::Field(elements),
                Segment::Index(i),
                ..,
            ] if info == "info" && elements == "elements" => Some(*i),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(content)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({self})")
    }
}

impl Serialize for Path {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The kind of a [`Problem`], for programs that react to particular mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// A field the format requires is absent.
    MissingField,
    /// A field holds the wrong JSON type (a number where a string belongs, …).
    WrongType,
    /// An input, dropdown or reply button has no key, or an empty one.
    MissingKey,
    /// Two inputs or reply buttons use the same key.
    DuplicateKey,
    /// A dropdown has no options.
    NoOptions,
    /// Two options of one dropdown have the same value.
    DuplicateOption,
    /// A dropdown's `value` is neither `""` nor the value of one of its options.
    ValueNotAnOption,
    /// A field that must be an `mxc://server/media-id` URI is not one.
    InvalidMxcUri,
    /// A field that must be an absolute http(s) URL is not one.
    InvalidUrl,
    /// A user, room or event id is malformed.
    InvalidId,
    /// A divider `height` is not a whole number of pixels written as a string.
    InvalidHeight,
    /// A divider `background` is not a colour.
    InvalidColor,
    /// A `status` outside `input`, `loading`, `disable`.
    UnknownStatus,
    /// A text card `opentype` outside `inapp`, `inbrowser`.
    UnknownOpentype,
    /// A CUI `version` other than `0.1.0`.
    UnknownVersion,
    /// A card `type` other than `form`.
    UnknownCardType,
    /// A submit button whose `action` is not `submit`.
    WrongSubmitAction,
    /// A `body` that must not be empty is empty.
    EmptyBody,
    /// A card without elements.
    NoElements,
    /// An element `type`/`subtype` pair that the published format does not define.
    UnknownElement,
    /// A `msgtype` that the send APIs do not accept.
    UnknownMsgtype,
    /// A `msgtype` that apps receive but cannot send (`m.alert`).
    ReceiveOnlyMsgtype,
}

impl ProblemKind {
    /// The kind as written in JSON reports, e.g. `duplicate_key`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingField => "missing_field",
            Self::WrongType => "wrong_type",
            Self::MissingKey => "missing_key",
            Self::DuplicateKey => "duplicate_key",
            Self::NoOptions => "no_options",
            Self::DuplicateOption => "duplicate_option",
            Self::ValueNotAnOption => "value_not_an_option",
            Self::InvalidMxcUri => "invalid_mxc_uri",
            Self::InvalidUrl => "invalid_url",
            Self::InvalidId => "invalid_id",
            Self::InvalidHeight => "invalid_height",
            Self::InvalidColor => "invalid_color",
            Self::UnknownStatus => "unknown_status",
            Self::UnknownOpentype => "unknown_opentype",
            Self::UnknownVersion => "unknown_version",
            Self::UnknownCardType => "unknown_card_type",
            Self::WrongSubmitAction => "wrong_submit_action",
            Self::EmptyBody => "empty_body",
            Self::NoElements => "no_elements",
            Self::UnknownElement => "unknown_element",
            Self::UnknownMsgtype => "unknown_msgtype",
            Self::ReceiveOnlyMsgtype => "receive_only_msgtype",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with a piece of content: where, what kind, and a message that says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where it is, e.g. `info.elements[3].key`.
    pub path: Path,
    /// What kind of mistake it is.
    pub kind: ProblemKind,
    /// A short lowercase message, e.g. `duplicate key "amount"`.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: Path, kind: ProblemKind, message: impl Into<String>) -> Self {
        Self {
            path,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for Problem {}

/// Every problem found in one piece of content, in document order. Never empty when returned as an error.
///
/// Its `Display` writes one problem per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub(crate) fn add(&mut self, path: Path, kind: ProblemKind, message: impl Into<String>) {
        self.push(Problem::new(path, kind, message));
    }

    pub(crate) fn into_result(self) -> Result<(), Problems> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The problems, in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems as a slice.
    pub fn as_slice(&self) -> &[Problem] {
        &self.0
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_json_paths() {
        let path = Path::root()
            .field("info")
            .field("elements")
            .index(3)
            .field("key");
        assert_eq!(path.to_string(), "info.elements[3].key");
        assert_eq!(Path::root().to_string(), "(content)");
    }

    #[test]
    fn problems_display_one_per_line() {
        let mut problems = Problems::new();
        problems.add(Path::root().field("body"), ProblemKind::EmptyBody, "empty");
        problems.add(
            Path::root().field("msgtype"),
            ProblemKind::UnknownMsgtype,
            "bad",
        );
        assert_eq!(problems.to_string(), "body: empty\nmsgtype: bad");
    }
}
