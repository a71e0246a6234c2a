//! Reads the attributes of one tag against its spec: unknown, repeated and missing ones are reported
//! here; the walker reads each value (checking a literal with [`check_literal`](super::check_literal))
//! and hands it back.

use super::Sink;
use super::tables::{Kind, Spec};
use crate::did_you_mean;

/// The attributes of one tag, read against its spec; `P` is a position, `V` a value as the walker
/// keeps it.
pub struct Attrs<P, V> {
    tag: String,
    tag_pos: P,
    spec: Spec,
    found: Vec<(&'static str, P, V)>,
    missing: Vec<&'static str>,
    /// Attributes given but wrong (an error is reported already): not missing, yet the tag is dropped.
    rejected: Vec<&'static str>,
    /// An unknown attribute was reported: likely a typo of a missing one, so that is not reported too.
    had_unknown: bool,
}

impl<P: Copy, V> Attrs<P, V> {
    /// Starts reading the attributes of `tag`, written at `tag_pos`.
    pub fn new(tag: &str, tag_pos: P, spec: Spec) -> Self {
        Attrs {
            tag: tag.to_owned(),
            tag_pos,
            spec,
            found: Vec::new(),
            missing: Vec::new(),
            rejected: Vec::new(),
            had_unknown: false,
        }
    }

    /// The attribute `name` (at `pos`) as the spec knows it, with its kind; `None` when it is unknown
    /// or given twice (reported).
    pub fn admit(
        &mut self,
        name: &str,
        pos: P,
        sink: &mut impl Sink<P>,
    ) -> Option<(&'static str, Kind)> {
        let Some(&(known, kind, _)) = self.spec.iter().find(|(n, _, _)| *n == name) else {
            let names: Vec<&str> = self.spec.iter().map(|(n, _, _)| *n).collect();
            let message = match (did_you_mean(name, &names), names.is_empty()) {
                (_, true) => format!("`<{}>` takes no attributes; found `{name}`", self.tag),
                (Some(guess), _) => format!(
                    "unknown attribute `{name}` on `<{}>`; did you mean `{guess}`?",
                    self.tag
                ),
                (None, _) => format!(
                    "unknown attribute `{name}` on `<{}>`; expected one of {}",
                    self.tag,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            sink.error(pos, message);
            self.had_unknown = true;
            return None;
        };
        if self.found.iter().any(|(n, _, _)| *n == known) || self.rejected.contains(&known) {
            sink.error(pos, format!("`{name}` is given twice on `<{}>`", self.tag));
            return None;
        }
        Some((known, kind))
    }

    /// An admitted attribute written without a value (`<input key/>`): reported.
    pub fn no_value(&mut self, name: &'static str, pos: P, sink: &mut impl Sink<P>) {
        sink.error(
            pos,
            format!("`{name}` needs a value: `{name}=\"…\"` or `{name}={{expr}}`"),
        );
        self.rejected.push(name);
    }

    /// The value of an admitted attribute, or `None` when it was wrong (the walker reported why).
    pub fn accept(&mut self, name: &'static str, pos: P, value: Option<V>) {
        match value {
            Some(value) => self.found.push((name, pos, value)),
            None => self.rejected.push(name),
        }
    }

    /// The attribute, if given: where its name is, and its value.
    pub fn take(&mut self, name: &str) -> Option<(P, V)> {
        let index = self.found.iter().position(|(n, _, _)| *n == name)?;
        let (_, pos, value) = self.found.remove(index);
        Some((pos, value))
    }

    /// A required attribute; when missing it is noted for [`Attrs::finish`].
    pub fn required(&mut self, name: &'static str) -> Option<(P, V)> {
        let found = self.take(name);
        if found.is_none() && !self.rejected.contains(&name) {
            self.missing.push(name);
        }
        found
    }

    /// Where the tag's name is.
    pub fn tag_pos(&self) -> P {
        self.tag_pos
    }

    /// Reports missing required attributes; `None` when any is missing or was wrong.
    pub fn finish(&mut self, sink: &mut impl Sink<P>) -> Option<()> {
        if self.missing.is_empty() {
            return self.rejected.is_empty().then_some(());
        }
        if !self.had_unknown {
            let names = self
                .missing
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            let example = self
                .missing
                .iter()
                .map(|n| format!("{n}=\"…\""))
                .collect::<Vec<_>>()
                .join(" ");
            sink.error(
                self.tag_pos,
                format!(
                    "`<{}>` needs {names}: `<{} {example} …>`",
                    self.tag, self.tag
                ),
            );
        }
        None
    }
}
