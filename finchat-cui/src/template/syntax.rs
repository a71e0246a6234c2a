//! Reads template text into markup nodes: tags with their attributes, string literals with Rust's
//! escapes, `{path}`s, and what cannot stand anywhere (unquoted text). Mistakes of the markup itself
//! (a mismatched or missing close tag, an unterminated string, a bad escape, a bad `{path}`) are
//! collected with their positions and reading goes on.

use super::data::DataPath;
use super::error::{Mistakes, Position};
use finchat_cui_rules::grammar::message;

/// A node of the markup.
pub(super) enum Node {
    Element(Element),
    /// A string literal: its value.
    Text(String, Position),
    /// `{path}`.
    Bind(DataPath, Position),
    /// Text that is not in quotes.
    Unquoted(Position),
}

/// `<name attr=value …>children</name>` or `<name …/>`.
pub(super) struct Element {
    /// Where its `<` is.
    pub pos: Position,
    pub name: String,
    pub name_pos: Position,
    pub attrs: Vec<RawAttr>,
    pub children: Vec<Node>,
}

/// `name`, `name="…"`, `name=12`, `name=true` or `name={path}`.
pub(super) struct RawAttr {
    pub name: String,
    pub pos: Position,
    pub value: Option<(RawValue, Position)>,
}

/// An attribute value as written.
pub(super) enum RawValue {
    Str(String),
    /// A whole number; `None` when it does not fit a `u64`.
    Int(Option<u64>),
    Bool(bool),
    Bind(DataPath),
    /// A number with a fraction, or another literal of no kind the grammar takes.
    Other,
}

/// How deep tags may nest: far more than a card needs (`<form>`, `<dropdown>`, `<for>`, `<if>`, …),
/// and few enough that reading a hostile template cannot exhaust the stack.
pub(super) const MAX_DEPTH: usize = 32;

/// The nodes of `source`, and every mistake of the markup found on the way.
pub(super) fn parse(source: &str) -> (Vec<Node>, Mistakes) {
    // Line ends read as rustc reads them: `\r\n` is `\n` (in a string, and after a `\`).
    let mut reader = Reader {
        chars: source.replace("\r\n", "\n").chars().collect(),
        at: 0,
        pos: Position { line: 1, column: 1 },
        errors: Vec::new(),
        depth: 0,
    };
    let mut nodes = Vec::new();
    loop {
        reader.skip_space();
        if reader.peek().is_none() {
            break;
        }
        if reader.starts_with("</") {
            let (name, pos) = reader.close_tag();
            reader.error(pos, format!("`</{name}>` closes no open tag"));
            continue;
        }
        nodes.push(reader.node());
    }
    (nodes, reader.errors)
}

struct Reader {
    chars: Vec<char>,
    at: usize,
    pos: Position,
    errors: Mistakes,
    /// How many elements are open.
    depth: usize,
}

impl Node {
    /// Where it starts.
    pub fn pos(&self) -> Position {
        match self {
            Node::Element(element) => element.pos,
            Node::Text(_, pos) | Node::Bind(_, pos) | Node::Unquoted(pos) => *pos,
        }
    }
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn error(&mut self, pos: Position, message: impl Into<String>) {
        self.errors.push((pos, message.into()));
    }

    /// Skips whitespace, `//` line comments and `/* … */` block comments (which nest, as in Rust).
    fn skip_space(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') if self.peek_at(1) == Some('/') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                Some('/') if self.peek_at(1) == Some('*') => self.block_comment(),
                _ => return,
            }
        }
    }

    /// `/* … */`, with `/* … */` inside; the reader is at its `/`.
    fn block_comment(&mut self) {
        let start = self.pos;
        let mut depth = 0;
        loop {
            if self.starts_with("/*") {
                depth += 1;
            } else if self.starts_with("*/") {
                depth -= 1;
            } else if self.bump().is_some() {
                continue;
            } else {
                self.error(start, "this comment is never closed with `*/`");
                return;
            }
            self.bump();
            self.bump();
            if depth == 0 {
                return;
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':'))
        {
            name.push(c);
            self.bump();
        }
        name
    }

    /// One node; the reader is at something other than whitespace, `</` or the end.
    fn node(&mut self) -> Node {
        let pos = self.pos;
        match self.peek() {
            Some('<') if self.depth >= MAX_DEPTH => {
                self.error(
                    pos,
                    format!("tags nest deeper than {MAX_DEPTH}; the rest is not read"),
                );
                self.at = self.chars.len();
                Node::Unquoted(pos)
            }
            Some('<') => {
                self.depth += 1;
                let element = self.element();
                self.depth -= 1;
                Node::Element(element)
            }
            Some('"') => Node::Text(self.string(), pos),
            Some('r') if self.at_raw_string() => Node::Text(self.raw_string(), pos),
            Some('{') => match self.path() {
                Some(path) => Node::Bind(path, pos),
                None => Node::Unquoted(pos),
            },
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, '<' | '"' | '{') && !c.is_whitespace())
                {
                    self.bump();
                }
                // The words of one run of unquoted text are one node.
                loop {
                    // What the look past the space finds (an unclosed comment) is reported when
                    // the space is skipped for good.
                    let before = (self.at, self.pos, self.errors.len());
                    self.skip_space();
                    match self.peek() {
                        Some(c) if !matches!(c, '<' | '"' | '{') => {
                            while self.peek().is_some_and(|c| {
                                !matches!(c, '<' | '"' | '{') && !c.is_whitespace()
                            }) {
                                self.bump();
                            }
                        }
                        _ => {
                            (self.at, self.pos) = (before.0, before.1);
                            self.errors.truncate(before.2);
                            break;
                        }
                    }
                }
                Node::Unquoted(pos)
            }
        }
    }

    /// `<name …/>` or `<name …>children</name>`.
    fn element(&mut self) -> Element {
        let pos = self.pos;
        self.bump(); // `<`
        let name_pos = self.pos;
        let name = self.name();
        if name.is_empty() {
            self.error(name_pos, "expected a tag name after `<`");
        }
        let mut element = Element {
            pos,
            name,
            name_pos,
            attrs: Vec::new(),
            children: Vec::new(),
        };
        loop {
            self.skip_space();
            match self.peek() {
                None => {
                    self.unclosed(&element);
                    return element;
                }
                Some('/') if self.peek_at(1) == Some('>') => {
                    self.bump();
                    self.bump();
                    return element;
                }
                Some('>') => {
                    self.bump();
                    break;
                }
                Some(c) if c.is_alphanumeric() || c == '_' => {
                    let attr = self.attribute();
                    element.attrs.push(attr);
                }
                Some(_) => {
                    let pos = self.pos;
                    self.error(pos, message::attribute_block());
                    // Past the character first: a `/` not before `>` would otherwise stop the
                    // skip where it starts, and the same error would be reported for ever.
                    self.bump();
                    self.skip_until(|c| c.is_whitespace() || c == '>' || c == '/');
                }
            }
        }
        loop {
            self.skip_space();
            if self.peek().is_none() {
                self.unclosed(&element);
                return element;
            }
            if self.starts_with("</") {
                let (close, close_pos) = self.close_tag();
                if close != element.name {
                    self.error(close_pos, message::mismatched_close(&element.name, &close));
                    self.error(element.name_pos, message::opened_here(&element.name));
                }
                return element;
            }
            let child = self.node();
            element.children.push(child);
        }
    }

    fn unclosed(&mut self, element: &Element) {
        self.error(element.name_pos, message::unclosed_tag(&element.name));
    }

    /// `</name>`: the name and where it is.
    fn close_tag(&mut self) -> (String, Position) {
        self.bump();
        self.bump();
        self.skip_space();
        let pos = self.pos;
        let name = self.name();
        self.skip_space();
        if self.peek() == Some('>') {
            self.bump();
        } else {
            let at = self.pos;
            self.error(at, format!("expected `>` to end `</{name}>`"));
        }
        (name, pos)
    }

    fn attribute(&mut self) -> RawAttr {
        let pos = self.pos;
        let name = self.name();
        self.skip_space();
        if self.peek() != Some('=') {
            return RawAttr {
                name,
                pos,
                value: None,
            };
        }
        self.bump();
        self.skip_space();
        let value_pos = self.pos;
        let value = match self.peek() {
            Some('"') => Some(RawValue::Str(self.string())),
            Some('r') if self.at_raw_string() => Some(RawValue::Str(self.raw_string())),
            Some('{') => self.path().map(RawValue::Bind),
            Some(c) if c.is_ascii_digit() => Some(self.number()),
            Some(c) if c.is_alphabetic() => {
                let word = self.name();
                match word.as_str() {
                    "true" => Some(RawValue::Bool(true)),
                    "false" => Some(RawValue::Bool(false)),
                    _ => None,
                }
            }
            // Of no kind the grammar takes: reported with what the attribute takes, by the
            // attribute's reader (once, not here as well).
            _ => {
                self.skip_until(|c| c.is_whitespace() || c == '>' || c == '/');
                None
            }
        };
        RawAttr {
            name,
            pos,
            value: Some((value.unwrap_or(RawValue::Other), value_pos)),
        }
    }

    fn skip_until(&mut self, end: impl Fn(char) -> bool) {
        while self.peek().is_some_and(|c| !end(c)) {
            self.bump();
        }
    }

    /// Digits (with `_`), and a fraction or suffix if any (then of no kind the grammar takes).
    fn number(&mut self) -> RawValue {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_ascii_digit() || *c == '_') {
            if c != '_' {
                digits.push(c);
            }
            self.bump();
        }
        if self.peek().is_some_and(|c| c == '.' || c.is_alphanumeric()) {
            self.skip_until(|c| !(c == '.' || c.is_alphanumeric() || c == '_'));
            return RawValue::Other;
        }
        RawValue::Int(digits.parse().ok())
    }

    /// `{path}`; `None` (reported) when the inside is not a path.
    fn path(&mut self) -> Option<DataPath> {
        let pos = self.pos;
        self.bump();
        let mut inside = String::new();
        loop {
            match self.bump() {
                Some('}') => break,
                Some(c) => inside.push(c),
                None => {
                    self.error(pos, "`{` is never closed with `}`");
                    return None;
                }
            }
        }
        let path = DataPath::parse(inside.trim());
        if path.is_none() {
            self.error(pos, format!("`{{{}}}` is not a path into the data; write `{{name}}`, `{{a.b}}` or `{{items.0}}`", inside.trim()));
        }
        path
    }

    /// A string literal with Rust's escapes; the reader is at its `"`.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.bump();
        let mut value = String::new();
        loop {
            let pos = self.pos;
            match self.bump() {
                None => {
                    self.error(start, "this string is never closed with `\"`");
                    return value;
                }
                Some('"') => return value,
                Some('\\') => match self.escape() {
                    Some(Some(c)) => value.push(c),
                    Some(None) => {}
                    None => self.error(
                        pos,
                        "unknown escape; write `\\n`, `\\t`, `\\\\`, `\\\"` or `\\u{…}`",
                    ),
                },
                Some(c) => value.push(c),
            }
        }
    }

    /// Whether the reader is at a raw string literal: `r"…"`, `r#"…"#`, ….
    fn at_raw_string(&self) -> bool {
        let hashes = (1..).take_while(|&i| self.peek_at(i) == Some('#')).count();
        self.peek() == Some('r') && self.peek_at(1 + hashes) == Some('"')
    }

    /// A raw string literal, as Rust reads it: no escapes, ended by `"` and as many `#` as began it.
    fn raw_string(&mut self) -> String {
        let start = self.pos;
        self.bump(); // `r`
        let mut end = String::from("\"");
        while self.peek() == Some('#') {
            end.push('#');
            self.bump();
        }
        self.bump(); // `"`
        let mut value = String::new();
        while !self.starts_with(&end) {
            match self.bump() {
                Some(c) => value.push(c),
                None => {
                    self.error(
                        start,
                        format!("this raw string is never closed with `{end}`"),
                    );
                    return value;
                }
            }
        }
        for _ in end.chars() {
            self.bump();
        }
        value
    }

    /// After `\`: the character, `Some(None)` for a line continuation, `None` when unknown.
    fn escape(&mut self) -> Option<Option<char>> {
        let c = match self.bump()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            '\n' => {
                self.skip_space_only();
                return Some(None);
            }
            'x' => {
                let hex: String = [self.bump()?, self.bump()?].iter().collect();
                let code = u8::from_str_radix(&hex, 16).ok().filter(|c| *c < 0x80)?;
                char::from(code)
            }
            'u' => {
                if self.bump()? != '{' {
                    return None;
                }
                let mut hex = String::new();
                loop {
                    match self.bump()? {
                        '}' => break,
                        '_' => {}
                        c => hex.push(c),
                    }
                }
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        };
        Some(Some(c))
    }

    fn skip_space_only(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(source: &str) -> Vec<String> {
        parse(source)
            .1
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect()
    }

    #[test]
    fn a_stray_character_among_attributes_is_reported_once_and_passed() {
        // Found by the `template` fuzz target: `"</` after an attribute read `<` as a stray
        // character, then stopped at `/` without moving, and reported it until memory ran out.
        assert_eq!(
            errors("<form status=\"a\"</submit>\n<text>\"x\"</text>"),
            [
                "1:17: attributes are written `name=\"value\"` or `name={expr}`",
                "1:18: attributes are written `name=\"value\"` or `name={expr}`",
                "1:2: `<form>` is never closed; end it with `</form>`, or write it self-closing: `<form …/>`",
            ]
        );
        assert_eq!(
            errors("<input key=/ />"),
            ["1:12: attributes are written `name=\"value\"` or `name={expr}`"]
        );
    }

    #[test]
    fn strings_read_rusts_escapes() {
        let (nodes, errors) = parse(r#""a\"b\\c\n\t\u{4e2d}\x41\0""#);
        assert!(errors.is_empty(), "{errors:?}");
        let [Node::Text(text, _)] = &nodes[..] else {
            panic!("one text node")
        };
        assert_eq!(text, "a\"b\\c\n\t中A\0");
    }

    #[test]
    fn windows_line_ends_read_as_in_rust_source() {
        let source = "<text>\"a\r\nb \\\r\n    c\"\r\n</txt>";
        let (nodes, errors) = parse(source);
        let [Node::Element(text)] = &nodes[..] else {
            panic!("one element")
        };
        let [Node::Text(value, _)] = &text.children[..] else {
            panic!("one string")
        };
        assert_eq!(value, "a\nb c");
        assert_eq!(errors[0].0, Position { line: 4, column: 3 });
    }

    #[test]
    fn block_comments_are_skipped_as_rust_skips_them() {
        let (nodes, mistakes) = parse(
            "/* a card /* nested */ */<text /* no attributes */>\"a\" /* \"b\" */ \"c\"</text>",
        );
        assert!(mistakes.is_empty(), "{mistakes:?}");
        let [Node::Element(text)] = &nodes[..] else {
            panic!("one element")
        };
        assert_eq!(text.children.len(), 2);
        assert_eq!(
            errors("<text>\"a\"</text>\n  /* /* */"),
            ["2:3: this comment is never closed with `*/`"]
        );
        assert_eq!(
            errors("<text>abc /* x"),
            [
                "1:11: this comment is never closed with `*/`",
                "1:2: `<text>` is never closed; end it with `</text>`, or write it self-closing: `<text …/>`",
            ]
        );
    }

    #[test]
    fn raw_strings_read_as_rust_reads_them() {
        let (nodes, mistakes) =
            parse(r###"<option value=r#"a"b"#>r"C:\dir" r##"say "#hi""##</option>"###);
        assert!(mistakes.is_empty(), "{mistakes:?}");
        let [Node::Element(option)] = &nodes[..] else {
            panic!("one element")
        };
        let Some((RawValue::Str(value), _)) = &option.attrs[0].value else {
            panic!("a string value")
        };
        assert_eq!(value, "a\"b");
        let texts: Vec<&str> = option
            .children
            .iter()
            .map(|child| match child {
                Node::Text(text, _) => text.as_str(),
                _ => panic!("text"),
            })
            .collect();
        assert_eq!(texts, ["C:\\dir", "say \"#hi\""]);
        assert_eq!(
            errors("<text>r#\"a\"</text>"),
            [
                "1:7: this raw string is never closed with `\"#`",
                "1:2: `<text>` is never closed; end it with `</text>`, or write it self-closing: `<text …/>`",
            ]
        );
    }

    #[test]
    fn a_bad_escape_a_bad_path_and_an_unclosed_brace_are_reported_where_they_are() {
        assert_eq!(
            errors("<text>\"a\\q\" {a..b} {x</text>"),
            [
                "1:9: unknown escape; write `\\n`, `\\t`, `\\\\`, `\\\"` or `\\u{…}`",
                "1:13: `{a..b}` is not a path into the data; write `{name}`, `{a.b}` or `{items.0}`",
                "1:20: `{` is never closed with `}`",
                "1:2: `<text>` is never closed; end it with `</text>`, or write it self-closing: `<text …/>`",
            ]
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(
            errors("<text>\"报销\"</txt>"),
            [
                "1:13: `</txt>` closes `<text>`; write `</text>`",
                "1:2: note: `<text>` is opened here"
            ]
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_exhausting_the_stack() {
        let source = "<form>".repeat(10_000);
        let errors = errors(&source);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("tags nest deeper than 32")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_close_tag_with_nothing_open_is_reported() {
        assert_eq!(
            errors("<text>\"a\"</text></form>"),
            ["1:19: `</form>` closes no open tag"]
        );
    }
}
