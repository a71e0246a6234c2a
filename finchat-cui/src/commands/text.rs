//! Reading a message body as a command: the leading @-mentions, the prefix and the name, then the
//! arguments word by word, with quoted texts (`"…"` and the full-width `“…”`) as one word.

/// Quote marks: a word that starts with one runs to the next one. ASCII and full-width marks are
/// read alike, since a Chinese keyboard gives `“…”` and people mix them.
const QUOTES: &[char] = &['"', '“', '”'];

/// The full-width solidus a Chinese keyboard types for `/`.
const FULL_WIDTH_SLASH: char = '／';

/// A body that is addressed as a command: its name as written and the text after it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Addressed<'a> {
    /// The name, without the prefix.
    pub name: &'a str,
    /// `true` when it was written with the prefix (`/expense`), `false` when an @-mention alone
    /// made it a command (`@bot expense`).
    pub prefixed: bool,
    /// The text after the name, for the arguments.
    pub rest: &'a str,
}

/// The body with its leading @-mentions (`@FinChat小助手 `, each up to the next whitespace,
/// full-width spaces included) taken off, and whether there were any.
pub(crate) fn strip_mentions(body: &str) -> (&str, bool) {
    let mut text = body.trim_start();
    let mut mentioned = false;
    while let Some(after_at) = text.strip_prefix(['@', '＠']) {
        mentioned = true;
        text = match after_at.find(char::is_whitespace) {
            Some(end) => after_at[end..].trim_start(),
            None => "",
        };
    }
    (text, mentioned)
}

/// Reads `body` as a command with `prefix`: `/name args…`, or after an @-mention also `name args…`.
/// `None` when it is neither (an empty body, plain chat, a lone prefix).
pub(crate) fn address<'a>(body: &'a str, prefix: &str) -> Option<Addressed<'a>> {
    let (text, mentioned) = strip_mentions(body);
    let (text, prefixed) = match strip_prefix(text, prefix) {
        Some(after) => (after, true),
        None if mentioned => (text, false),
        None => return None,
    };
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    (!name.is_empty()).then_some(Addressed {
        name,
        prefixed,
        rest,
    })
}

fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix).or_else(|| match prefix {
        "/" => text.strip_prefix(FULL_WIDTH_SLASH),
        _ => None,
    })
}

/// One argument as read: its text (without quotes) and the text after it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub rest: &'a str,
}

/// The next word of `text`: up to whitespace, or a quoted text without its quotes. A quote that is
/// never closed runs to the end. `None` when only whitespace is left.
pub(crate) fn next_word(text: &str) -> Option<Word<'_>> {
    let text = text.trim_start();
    if text.is_empty() {
        return None;
    }
    if let Some(quoted) = text.strip_prefix(QUOTES) {
        return Some(match quoted.find(QUOTES) {
            Some(end) => {
                let close = quoted[end..].chars().next().map_or(0, char::len_utf8);
                Word {
                    text: &quoted[..end],
                    rest: &quoted[end + close..],
                }
            }
            None => Word {
                text: quoted,
                rest: "",
            },
        });
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    Some(Word {
        text: &text[..end],
        rest: &text[end..],
    })
}

/// All of `text` that is left, trimmed; when it is one quoted text, without the quotes. `None` when
/// only whitespace is left.
pub(crate) fn rest_of(text: &str) -> Option<&str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match next_word(text) {
        Some(word) if word.rest.trim().is_empty() && text.starts_with(QUOTES) => Some(word.text),
        _ => Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(mut text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        while let Some(word) = next_word(text) {
            out.push(word.text);
            text = word.rest;
        }
        out
    }

    #[test]
    fn mentions_are_taken_off_up_to_any_whitespace() {
        assert_eq!(strip_mentions("@FinChat小助手 test"), ("test", true));
        assert_eq!(
            strip_mentions("@FinChat小助手\u{3000}/help"),
            ("/help", true)
        );
        assert_eq!(
            strip_mentions(" @a\u{2005}@b  hi there"),
            ("hi there", true)
        );
        assert_eq!(strip_mentions("＠机器人 查询"), ("查询", true));
        assert_eq!(strip_mentions("@bot"), ("", true));
        assert_eq!(strip_mentions("hi @bot"), ("hi @bot", false));
    }

    #[test]
    fn a_command_is_prefixed_or_follows_a_mention() {
        let addressed = address("/expense 1200 差旅", "/").unwrap();
        assert_eq!((addressed.name, addressed.prefixed), ("expense", true));
        assert_eq!(addressed.rest, " 1200 差旅");
        assert_eq!(address("／help", "/").unwrap().name, "help");
        let mentioned = address("@FinChat小助手 test", "/").unwrap();
        assert_eq!((mentioned.name, mentioned.prefixed), ("test", false));
        assert_eq!(address("!ping", "!").unwrap().name, "ping");
        assert_eq!(address("test", "/"), None);
        assert_eq!(address("/ expense", "/"), None);
        assert_eq!(address("@bot", "/"), None);
        assert_eq!(address("   ", "/"), None);
    }

    #[test]
    fn quoted_texts_are_one_word_in_ascii_or_full_width_quotes() {
        assert_eq!(
            words(r#"1200 "北京 出差" “上海 会议” x"#),
            ["1200", "北京 出差", "上海 会议", "x"]
        );
        assert_eq!(words("a\u{3000}b"), ["a", "b"]);
        assert_eq!(words(r#""not closed here"#), ["not closed here"]);
        assert_eq!(words(r#""""#), [""]);
    }

    #[test]
    fn the_rest_is_kept_as_typed_unless_it_is_one_quoted_text() {
        assert_eq!(rest_of("  去 北京  出差 "), Some("去 北京  出差"));
        assert_eq!(rest_of(" “去 北京” "), Some("去 北京"));
        assert_eq!(rest_of(r#""a" and "b""#), Some(r#""a" and "b""#));
        assert_eq!(rest_of(" \u{3000}"), None);
    }
}
