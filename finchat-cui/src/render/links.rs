//! Where the preview links to: media under the media base URL, and http(s) links as given.
//!
//! The server name and media id come from whoever sent the content, so each becomes exactly one
//! path segment: percent-encoded, and never a dot segment (browsers resolve `..`, `%2e%2e` and `\`
//! as path steps). Every `href` and `src` is an http(s) URL that says so in its first characters,
//! or a media link under a base the app gave as a path on the page's own origin.

use crate::MxcUri;

/// `url` when it plainly is an http(s) URL: it starts with `http://` or `https://` (any case) and
/// holds no whitespace or control character. The checked URL types let a few other spellings
/// through (the URL parser drops leading control characters); those get no link.
pub(super) fn plain_http(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once("://")?;
    let is_http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let is_plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (is_http && is_plain).then_some(url)
}

/// `{base}/{server}/{id}` for `uri`, or `None` (no link) when `base` is neither a plain absolute
/// http(s) URL nor a path on the page's own origin (`/media`, not `//host` or `/\host`, which
/// browsers read as another host), or when either part of `uri` cannot be a path segment.
pub(super) fn media_url(base: &str, uri: &MxcUri) -> Option<String> {
    let same_origin_path = base.starts_with('/')
        && !base.starts_with("//")
        && !base
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    if !same_origin_path {
        finchat_cui_rules::check_http_url(plain_http(base)?).ok()?;
    }
    let base = base.trim_end_matches('/');
    let server = path_segment(uri.server_name())?;
    let id = path_segment(uri.media_id())?;
    Some(format!("{base}/{server}/{id}"))
}

/// `value` as one path segment: RFC 3986 unreserved characters and `:` (a server's port) as they
/// are, every other byte percent-encoded (`%` included), so it can neither add a segment nor
/// climb one. `None` for the empty, `.` and `..` segments, which no encoding makes safe: the
/// URL standard reads `%2e%2e` as `..` too.
pub(crate) fn path_segment(value: &str) -> Option<String> {
    if matches!(value, "" | "." | "..") {
        return None;
    }
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::render::{HtmlOptions, html_card, html_page};
    use crate::{Card, Element, FileContent, MessageContent, MxcUri};

    const BASE: &str = "https://media.example.org/download";

    /// A URI as it may arrive from any sender, whatever the parse rules of the day let through.
    fn uri(text: &'static str) -> MxcUri {
        MxcUri::from_checked(text)
    }

    /// Every `src="…"` and `href="…"` value in `html`.
    fn links(html: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for attribute in [" src=\"", " href=\""] {
            for (at, _) in html.match_indices(attribute) {
                let value = &html[at + attribute.len()..];
                found.push(&value[..value.find('"').unwrap()]);
            }
        }
        found
    }

    fn image_html(uri: MxcUri, base: &str) -> String {
        html_card(
            &Card::form().image(uri),
            &HtmlOptions::new().media_base_url(base),
        )
    }

    #[test]
    fn media_links_keep_plain_server_names_and_ids_readable() {
        let html = image_html(uri("mxc://localhost:8008/Receipt_42-a"), BASE);
        assert_eq!(
            links(&html),
            [format!("{BASE}/localhost:8008/Receipt_42-a")]
        );
    }

    #[test]
    fn a_server_name_is_one_encoded_path_segment() {
        let cases = [
            (
                "mxc://..\\..\\..\\privilege-api/abc",
                "..%5C..%5C..%5Cprivilege-api",
            ),
            ("mxc://%2e%2e/abc", "%252e%252e"),
            ("mxc://a%2F..%2Fb/abc", "a%252F..%252Fb"),
            ("mxc://[::1]:8448/abc", "%5B::1%5D:8448"),
            ("mxc://ex&amp;\"'<>.org/abc", "ex%26amp%3B%22%27%3C%3E.org"),
        ];
        for (text, segment) in cases {
            let html = image_html(uri(text), BASE);
            for link in links(&html) {
                // Whether the server name is linked at all is the parse rules' business; when it
                // is, it is one segment that no browser or server reads as a path step.
                assert_eq!(link, format!("{BASE}/{segment}/abc"), "{text}");
            }
        }
    }

    #[test]
    fn a_dot_segment_server_name_gets_no_link() {
        for text in ["mxc://../abc", "mxc://./abc"] {
            let html = image_html(uri(text), BASE);
            assert!(links(&html).is_empty(), "{text}: {html}");
            assert!(html.contains("cui-placeholder"), "{html}");
        }
        let file: MessageContent = FileContent::new("a.pdf", uri("mxc://../abc")).into();
        let page = html_page(&file, &HtmlOptions::new().media_base_url(BASE));
        assert!(links(&page).is_empty(), "{page}");
    }

    #[test]
    fn a_media_base_that_is_neither_http_nor_this_origin_gets_no_link() {
        for base in [
            "javascript:alert(1)//",
            "JavaScript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "//evil.example.org/download",
            "/\\evil.example.org/download",
            "\\\\evil.example.org/download",
            "download",
            "",
        ] {
            let html = image_html(uri("mxc://example.org/abc"), base);
            assert!(links(&html).is_empty(), "{base}: {html}");
            let file: MessageContent =
                FileContent::new("a.pdf", uri("mxc://example.org/abc")).into();
            let page = html_page(&file, &HtmlOptions::new().media_base_url(base));
            assert!(links(&page).is_empty(), "{base}: {page}");
        }
    }

    #[test]
    fn links_are_drawn_only_for_urls_that_plainly_start_with_http() {
        // A leading control character passes the URL parser (it strips them). The checked types
        // refuse it (received content that holds one is kept raw, as `Other`, and drawn without
        // links), and a media base (the app's own string) gets no link either.
        let url = "\u{1}https://example.org/x";
        let content: MessageContent = serde_json::from_value(serde_json::json!({
            "msgtype": "m.textcard", "body": "",
            "info": { "title": "t", "description": "d", "url": url, "btntext": "打开" },
        }))
        .unwrap();
        assert!(matches!(content, MessageContent::Other(_)), "{content:?}");
        let page = html_page(&content, &HtmlOptions::new());
        assert!(links(&page).is_empty(), "{page}");
        let card: Card = serde_json::from_value(serde_json::json!({
            "type": "form", "status": "input", "shared": true, "fcids": [],
            "elements": [{ "type": "button", "subtype": "openurl", "action": url, "value": "详情" }],
        }))
        .unwrap();
        assert!(matches!(card.elements[0], Element::Other(_)), "{card:?}");
        let html = html_card(&card, &HtmlOptions::new());
        assert!(links(&html).is_empty(), "{html}");

        let html = image_html(uri("mxc://example.org/abc"), "\u{1}https://m.example.org/d");
        assert!(links(&html).is_empty(), "{html}");
    }

    #[test]
    fn a_media_base_on_the_pages_own_origin_links_there() {
        // As the sandbox serves its page and its media from one origin.
        let html = image_html(uri("mxc://example.org/abc"), "/sandbox/media/");
        assert_eq!(links(&html), ["/sandbox/media/example.org/abc"]);
    }

    #[test]
    fn media_links_are_attribute_escaped() {
        let html = image_html(
            uri("mxc://example.org/abc"),
            "https://m.example.org/d?a=1&b=\"2\"",
        );
        assert_eq!(
            links(&html),
            ["https://m.example.org/d?a=1&amp;b=&quot;2&quot;/example.org/abc"]
        );
    }
}
