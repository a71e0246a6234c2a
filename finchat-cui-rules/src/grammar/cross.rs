//! The rules that span several nodes, checked on literals: keys unique within a card, a dropdown's
//! options and chosen value. What involves a run-time value is left to finchat-cui's validator.

use super::Sink;

/// The literal keys of one card, in the order met.
pub struct Keys<P> {
    /// key, where it is first used, whether that use was a reply button
    seen: Vec<(String, P, bool)>,
}

impl<P> Default for Keys<P> {
    fn default() -> Self {
        Keys { seen: Vec::new() }
    }
}

impl<P: Copy> Keys<P> {
    /// The literal `key` at `pos`, of a reply button or not: a second input with it is reported
    /// (reply buttons may share one).
    pub fn see(&mut self, key: &str, pos: P, is_reply: bool, sink: &mut impl Sink<P>) {
        match self.seen.iter().find(|(k, _, _)| k == key) {
            None => self.seen.push((key.to_owned(), pos, is_reply)),
            Some((_, _, true)) if is_reply => {}
            Some((_, first, _)) => {
                sink.error(
                    pos,
                    format!("duplicate key `{key}`: every input needs its own key (reply buttons may share one)"),
                );
                sink.error(*first, format!("note: `{key}` is first used here"));
            }
        }
    }
}

/// One option of a dropdown: its literal value and where, or `None` for a value or option computed
/// at run time.
pub type OptionValue<'a, P> = Option<(&'a str, P)>;

/// Checks a dropdown written at `pos`: option values unique, at least one option, and a literal
/// `chosen` value one of the options (when all are literal) or `""`.
pub fn check_dropdown<P: Copy>(
    pos: P,
    options: &[OptionValue<'_, P>],
    chosen: Option<(&str, P)>,
    sink: &mut impl Sink<P>,
) {
    let mut values: Vec<&str> = Vec::new();
    let mut all_literal = true;
    for option in options {
        match option {
            Some((text, at)) => {
                if values.contains(text) {
                    sink.error(
                        *at,
                        format!("duplicate option value `{text}` in this dropdown"),
                    );
                } else {
                    values.push(text);
                }
            }
            None => all_literal = false,
        }
    }
    if options.is_empty() {
        sink.error(
            pos,
            "a dropdown needs at least one `<option value=\"…\">label</option>` (or `{options}`)"
                .into(),
        );
    }
    let Some((text, at)) = chosen else { return };
    if all_literal && !text.is_empty() && !values.contains(&text) {
        let list = values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        sink.error(
            at,
            format!("`{text}` is not the value of one of this dropdown's options ({list}); use \"\" for none"),
        );
    }
}
