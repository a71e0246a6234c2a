//! The oracle of the `render_html` target: a small scanner of the HTML the preview emits that
//! refuses anything a hostile message could turn into script, and any broken link between a field
//! and the label or errors that name it.
//!
//! It reads the markup strictly, the way the renderer writes it, so a value that reached the
//! output unescaped shows up as a tag, an attribute or a character that should not be there.

use std::collections::HashSet;

/// The tags the renderer writes; any other tag (`<script>`, `<iframe>`, `<svg>` …) came from content.
const TAGS: &[&str] = &[
    "a",
    "article",
    "body",
    "button",
    "code",
    "div",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h2",
    "head",
    "hr",
    "html",
    "img",
    "input",
    "label",
    "li",
    "main",
    "meta",
    "option",
    "p",
    "pre",
    "select",
    "span",
    "style",
    "title",
    "ul",
];

/// The attributes the renderer writes.
const ATTRIBUTES: &[&str] = &[
    "action",
    "alt",
    "aria-busy",
    "aria-describedby",
    "aria-hidden",
    "aria-invalid",
    "aria-label",
    "aria-labelledby",
    "charset",
    "class",
    "content",
    "data-status",
    "disabled",
    "download",
    "href",
    "id",
    "lang",
    "loading",
    "method",
    "name",
    "placeholder",
    "rel",
    "role",
    "selected",
    "src",
    "style",
    "target",
    "title",
    "type",
    "value",
];

/// The character references `escape_html` writes; a bare `&` is an unescaped value.
const ENTITIES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];

/// What the check knows about how the HTML was made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    /// The media base URL the renderer was given (absolute http(s), or a path on the page's own
    /// origin): links under it must add exactly two clean segments (server name and media id).
    pub media_base: Option<&'a str>,
}

/// Checks `html` as the preview renderer's output; the error says what is wrong and where.
///
/// # Errors
///
/// A description with the byte offset when `html` holds `<script` (any case), a tag or attribute the
/// renderer does not write, an `on*` attribute, an `href`/`src` (other than a media link under
/// the expected base) whose scheme is not `http`/`https` or that holds a space or control character
/// (or, under
/// the media base, adds anything but two clean path segments), a `style` other than a divider's, an
/// unquoted attribute value, or a raw `<`, `>`, `&`, `"` or `'` in text (an unescaped value); also
/// when an `id` is used twice or holds whitespace, or an `aria-labelledby`/`aria-describedby` names
/// an id no element has.
pub fn check(html: &str, expect: Expect<'_>) -> Result<(), String> {
    if let Some(at) = html.to_ascii_lowercase().find("<script") {
        return Err(format!("`<script` at {at}"));
    }
    let mut scanner = Scanner {
        html,
        at: 0,
        expect,
        ids: HashSet::new(),
        references: Vec::new(),
    };
    scanner.document()?;
    scanner.references_resolve()
}

struct Scanner<'a> {
    html: &'a str,
    at: usize,
    expect: Expect<'a>,
    /// Every `id` so far.
    ids: HashSet<String>,
    /// Every id an `aria-*` attribute names: the attribute, the id, and where its value starts.
    references: Vec<(String, String, usize)>,
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        &self.html[self.at..]
    }

    fn fail<T>(&self, what: impl std::fmt::Display) -> Result<T, String> {
        let context: String = self.rest().chars().take(60).collect();
        Err(format!("{what} at byte {}: `{context}`", self.at))
    }

    /// Fails at the first reference to an id that no element has.
    fn references_resolve(&mut self) -> Result<(), String> {
        for (name, id, at) in std::mem::take(&mut self.references) {
            if !self.ids.contains(&id) {
                self.at = at;
                return self.fail(format!("`{name}` names `{id}`, which no element has"));
            }
        }
        Ok(())
    }

    fn document(&mut self) -> Result<(), String> {
        if self.rest().starts_with("<!doctype html>") {
            self.at += "<!doctype html>".len();
        }
        while let Some(c) = self.rest().chars().next() {
            match c {
                '<' => self.tag()?,
                '&' => self.entity()?,
                '>' | '"' | '\'' => return self.fail(format!("raw `{c}` in text")),
                _ => self.at += c.len_utf8(),
            }
        }
        Ok(())
    }

    fn entity(&mut self) -> Result<(), String> {
        match ENTITIES.iter().find(|e| self.rest().starts_with(**e)) {
            Some(entity) => {
                self.at += entity.len();
                Ok(())
            }
            None => self.fail("a bare `&`"),
        }
    }

    fn name(&mut self) -> &str {
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            .count();
        let name = &self.html[self.at..self.at + len];
        self.at += len;
        name
    }

    fn tag(&mut self) -> Result<(), String> {
        self.at += 1;
        let closing = self.rest().starts_with('/');
        if closing {
            self.at += 1;
        }
        let start = self.at;
        let name = self.name().to_owned();
        if !TAGS.contains(&name.as_str()) {
            self.at = start;
            return self.fail(format!("a tag `<{name}` the renderer does not write"));
        }
        if closing {
            return self.expect_char('>');
        }
        loop {
            match self.rest().chars().next() {
                Some('>') => {
                    self.at += 1;
                    break;
                }
                Some(' ') => {
                    self.at += 1;
                    self.attribute()?;
                }
                _ => return self.fail(format!("a broken `<{name}` tag")),
            }
        }
        if name == "style" {
            // The inline stylesheet is the crate's own text; skip to its end.
            match self.rest().find("</style>") {
                Some(end) => self.at += end,
                None => return self.fail("an unclosed `<style>`"),
            }
        }
        Ok(())
    }

    fn expect_char(&mut self, c: char) -> Result<(), String> {
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            Ok(())
        } else {
            self.fail(format!("expected `{c}`"))
        }
    }

    fn attribute(&mut self) -> Result<(), String> {
        let start = self.at;
        let name = self.name().to_owned();
        if name.starts_with("on") {
            self.at = start;
            return self.fail(format!("an event-handler attribute `{name}`"));
        }
        if !ATTRIBUTES.contains(&name.as_str()) {
            self.at = start;
            return self.fail(format!("an attribute `{name}` the renderer does not write"));
        }
        if !self.rest().starts_with("=\"") {
            return match self.rest().chars().next() {
                Some(' ' | '>') => Ok(()),
                _ => self.fail(format!("an unquoted `{name}` value")),
            };
        }
        self.at += 2;
        let value_start = self.at;
        loop {
            match self.rest().chars().next() {
                Some('"') => break,
                Some('&') => self.entity()?,
                Some(c @ ('<' | '>' | '\'')) => {
                    return self.fail(format!("raw `{c}` in the `{name}` value"));
                }
                Some(c) => self.at += c.len_utf8(),
                None => return self.fail(format!("an unterminated `{name}` value")),
            }
        }
        let value = unescape(&self.html[value_start..self.at]);
        self.at += 1;
        match name.as_str() {
            "href" | "src" => self.link(&name, &value, value_start),
            "id" if value.is_empty() || value.contains(|c: char| c.is_ascii_whitespace()) => {
                self.at = value_start;
                self.fail(format!("an id `{value}` that is empty or holds whitespace"))
            }
            "id" if !self.ids.insert(value.clone()) => {
                self.at = value_start;
                self.fail(format!("the id `{value}` used twice"))
            }
            "aria-labelledby" | "aria-describedby" => {
                let ids = value.split_ascii_whitespace();
                self.references
                    .extend(ids.map(|id| (name.clone(), id.to_owned(), value_start)));
                Ok(())
            }
            "style" => check_style(&value).or_else(|()| {
                self.at = value_start;
                self.fail(format!("a style `{value}` that is not a divider's"))
            }),
            _ => Ok(()),
        }
    }

    fn link(&mut self, name: &str, value: &str, value_start: usize) -> Result<(), String> {
        // A media link under the base the renderer was given (absolute, or on the page's own
        // origin) must add exactly two clean segments to it.
        if let Some(base) = self.expect.media_base.map(|b| b.trim_end_matches('/')) {
            if let Some(path) = value.strip_prefix(base).and_then(|p| p.strip_prefix('/')) {
                let segments: Vec<&str> = path.split('/').collect();
                if segments.len() != 2 || !segments.iter().all(|s| is_clean_segment(s)) {
                    self.at = value_start;
                    return self.fail(format!(
                        "a media {name} `{value}` that is not two clean segments under the base"
                    ));
                }
                return Ok(());
            }
        }
        // Browsers drop tabs and newlines anywhere in a URL and controls around it, so neither may
        // hide a scheme; what is left must start with `http:` or `https:` itself.
        let scheme = value
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        let has_controls = value.chars().any(|c| c.is_ascii_control() || c == ' ');
        if has_controls || !matches!(scheme.as_deref(), Some("http" | "https")) {
            self.at = value_start;
            return self.fail(format!("a {name} `{value}` that is not http(s)"));
        }
        Ok(())
    }
}

/// A path segment no browser or server reads as a step: not empty, not a dot segment in any
/// spelling, no `\`, and `%` only as a `%XX` escape.
fn is_clean_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return false;
                }
                i += 3;
            }
            b'\\' | b'/' | b'?' | b'#' => return false,
            b if b.is_ascii_control() || b == b' ' => return false,
            _ => i += 1,
        }
    }
    let decoded_dots = segment.to_ascii_lowercase().replace("%2e", ".");
    !matches!(decoded_dots.as_str(), "" | "." | "..")
}

/// A divider's style: `height:<n>px;` and `background:<colour>;`, nothing else.
fn check_style(style: &str) -> Result<(), ()> {
    let mut rest = style;
    if let Some(after) = rest.strip_prefix("height:") {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        rest = after[digits..].strip_prefix("px;").ok_or(())?;
        if digits == 0 {
            return Err(());
        }
    }
    if let Some(after) = rest.strip_prefix("background:") {
        let colour = after.strip_suffix(';').ok_or(())?;
        if colour.is_empty()
            || !colour
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'#')
        {
            return Err(());
        }
        rest = "";
    }
    if rest.is_empty() { Ok(()) } else { Err(()) }
}

fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(html: &str) -> String {
        check(
            html,
            Expect {
                media_base: Some("https://m.example.org/d"),
            },
        )
        .expect_err(html)
    }

    #[test]
    fn the_renderers_own_markup_passes() {
        let html = "<!doctype html>\n<html lang=\"zh-CN\"><style>a > b { x: '1' }</style>\
                    <p class=\"cui-text\">&lt;b&gt; &amp; &#39;</p><hr style=\"height:1px;background:#e5e6eb;\">\
                    <img src=\"https://m.example.org/d/ex%5C..%2F/abc\" alt=\"a\" loading=\"lazy\">\
                    <fieldset disabled><option value=\"\" selected>x</option></fieldset></html>";
        check(
            html,
            Expect {
                media_base: Some("https://m.example.org/d/"),
            },
        )
        .unwrap();
    }

    #[test]
    fn a_card_with_labels_errors_and_notes_passes() {
        use finchat_cui::Card;
        use finchat_cui::element::{Dropdown, Reply, TextInput};
        use finchat_cui::render::{HtmlOptions, html_card};

        let card = Card::form()
            .text("提交未成功：1 处需要修改")
            .text("金额")
            .input(TextInput::new("amount").value("一千"))
            .text("⚠ 应为整数")
            .dropdown(Dropdown::new("dept").option("财务部", "fin"))
            .reply(Reply::new("decision", "同意"))
            .submit("提交");
        let options = HtmlOptions::new()
            .id_prefix("card \"7\"")
            .note(2, "<b>n</b>")
            .note(5, "n");
        let html = html_card(&card, &options);
        check(&html, Expect::default()).unwrap_or_else(|e| panic!("{e}\n{html}"));
        assert!(
            html.contains("aria-describedby=\"card_&quot;7&quot;-e3 "),
            "{html}"
        );
    }

    #[test]
    fn a_duplicate_id_or_a_reference_to_no_element_fails() {
        let labelled = "<p id=\"a-e0\">x</p><input id=\"a-e1\" aria-labelledby=\"a-e0\">";
        check(labelled, Expect::default()).unwrap();
        assert!(fails("<p id=\"a\">x</p><p id=\"a\">y</p>").contains("`a` used twice"));
        assert!(fails("<p id=\"a b\">x</p>").contains("whitespace"));
        let dangling = "<p id=\"a\">x</p><input aria-describedby=\"a b\">";
        assert!(fails(dangling).contains("`aria-describedby` names `b`, which no element has"));
        let later = "<input aria-labelledby=\"a\"><p id=\"a\">x</p>";
        check(later, Expect::default()).unwrap();
    }

    #[test]
    fn script_handlers_and_foreign_links_fail() {
        assert!(fails("<p>x</p><ScRiPt>").contains("<script"));
        assert!(fails("<img src=\"https://x\" onerror=\"alert(1)\">").contains("event-handler"));
        assert!(fails("<a href=\"javascript:alert(1)\">").contains("not http(s)"));
        assert!(fails("<a href=\" https://x\">").contains("not http(s)"));
        assert!(fails("<a href=\"\u{1}https://x\">").contains("not http(s)"));
        assert!(fails("<a href=\"java\tscript:x\">").contains("not http(s)"));
        assert!(fails("<a href=\"x/https://y\">").contains("not http(s)"));
        assert!(fails("<img src=\"//evil.example.org/x\">").contains("not http(s)"));
        assert!(fails("<img src=\"data:image/png,x\">").contains("not http(s)"));
        assert!(fails("<iframe src=\"https://x\">").contains("tag `<iframe`"));
    }

    #[test]
    fn unescaped_values_fail() {
        assert!(fails("<p>a & b</p>").contains("bare `&`"));
        assert!(fails("<p>a > b</p>").contains("raw `>`"));
        assert!(fails("<p>it's</p>").contains("raw `'`"));
        assert!(fails("<input value=\"a\" b\">").contains("attribute `b`"));
        assert!(fails("<input value=x>").contains("unquoted"));
        assert!(fails("<hr style=\"background:url(x);\">").contains("style"));
    }

    #[test]
    fn media_links_must_be_two_clean_segments() {
        for bad in [
            "https://m.example.org/d/../abc",
            "https://m.example.org/d/%2E%2e/abc",
            "https://m.example.org/d/a\\..\\b/abc",
            "https://m.example.org/d/a%zz/abc",
            "https://m.example.org/d/a/b/abc",
        ] {
            let html = format!("<img src=\"{bad}\">");
            assert!(fails(&html).contains("two clean segments"), "{bad}");
        }
    }

    #[test]
    fn same_origin_media_links_pass_only_under_the_given_base() {
        let expect = Expect {
            media_base: Some("/sandbox/media"),
        };
        check("<img src=\"/sandbox/media/example.org/abc\">", expect).unwrap();
        for bad in [
            "/sandbox/media/../abc",
            "/elsewhere/example.org/abc",
            "/\\evil/x",
        ] {
            let html = format!("<img src=\"{bad}\">");
            assert!(check(&html, expect).is_err(), "{bad}");
        }
    }
}
