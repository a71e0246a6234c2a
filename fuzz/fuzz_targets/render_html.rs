//! Message content (m.text, m.alert, m.textcard, m.image, m.file, m.cui with every element type, and
//! unknown msgtypes) through parsing, validation, plain text and the HTML preview. Nothing may panic,
//! and the HTML must hold no `<script`, no `on*=` attribute, no `href`/`src` that is not http(s),
//! no media link that climbs out of the media base, and no unescaped value
//! (see `finchat_fuzz::html_check`).
//!
//! Input that starts like a JSON object is parsed as it is (the corpus seeds are real content);
//! anything else drives `finchat_fuzz::content_gen`, which builds content of every shape with
//! hostile strings in every field.
#![no_main]

use finchat_cui::render::{HtmlOptions, html_card, html_page};
use finchat_cui::{Card, MessageContent};
use finchat_fuzz::html_check::{Expect, check};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

const MEDIA_BASE: &str = "https://media.example.org/_matrix/media/r0/download/";
/// Media served from the page's own origin, as the sandbox does.
const SAME_ORIGIN_MEDIA_BASE: &str = "/sandbox/media";

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        if let Ok(content) = serde_json::from_slice::<MessageContent>(data) {
            exercise(&content);
        }
        if let Ok(card) = serde_json::from_slice::<Card>(data) {
            render_card(&card);
        }
        return;
    }
    let mut u = Unstructured::new(data);
    let Ok(json) = finchat_fuzz::content_gen::content(&mut u) else {
        return;
    };
    // Content that does not parse is not rendered; what parses must render safely.
    if let Ok(content) = serde_json::from_value::<MessageContent>(json) {
        exercise(&content);
    }
});

/// Every option set a preview is drawn with: no media, a real base and a form action, a base on the
/// page's own origin, and bases an app must not be able to turn into script links.
fn options() -> [(HtmlOptions, Expect<'static>); 5] {
    let expect_media = Expect {
        media_base: Some(MEDIA_BASE),
    };
    let expect_same_origin = Expect {
        media_base: Some(SAME_ORIGIN_MEDIA_BASE),
    };
    [
        (HtmlOptions::new(), Expect::default()),
        (
            HtmlOptions::new()
                .media_base_url(MEDIA_BASE)
                .form_action("/cui/submit?card=1&x=2"),
            expect_media,
        ),
        (
            // As the sandbox's playground draws a card: its own id prefix (here a hostile one,
            // with whitespace that must not split the ids the fields name), notes beside elements.
            HtmlOptions::new()
                .media_base_url(SAME_ORIGIN_MEDIA_BASE)
                .id_prefix("card-\"> <script>x</script>")
                .note(0, "<script>alert(1)</script> & 'x'")
                .note(3, "\" onfocus=\"alert(1)"),
            expect_same_origin,
        ),
        (
            HtmlOptions::new().media_base_url("javascript:alert(1)//"),
            Expect::default(),
        ),
        (
            HtmlOptions::new().media_base_url("//evil.example.org/download"),
            Expect::default(),
        ),
    ]
}

fn exercise(content: &MessageContent) {
    let _ = content.validate();
    let _ = content.to_plain_text();
    serde_json::to_string(content).expect("parsed content serialises");
    for (options, expect) in options() {
        let page = html_page(content, &options);
        if let Err(problem) = check(&page, expect) {
            panic!("unsafe preview page: {problem}\n--- page ---\n{page}");
        }
    }
    if let MessageContent::Cui(cui) = content {
        render_card(&cui.info);
    }
}

fn render_card(card: &Card) {
    let _ = card.to_plain_text();
    for (options, expect) in options() {
        let html = html_card(card, &options);
        if let Err(problem) = check(&html, expect) {
            panic!("unsafe card HTML: {problem}\n--- html ---\n{html}");
        }
    }
}
