//! The page with the keyboard and a screen reader: every field named, field errors announced and
//! tied to their field, ids unique with many cards, a skip link, real buttons and links only, and a
//! submit that comes back to a focusable card.

use finchat_cui::Card;
use finchat_cui::element::{Dropdown, TextInput};
use finchat_sandbox::SandboxConfig;

use crate::playground::playground;
use crate::support::{
    approval_card, browser, client, enc, form_origin, page, room, send_card, start,
};

/// A card as the card registry redraws it after a refused submission: a summary first, a `⚠` line
/// under the bad field.
fn redrawn_with_errors() -> Card {
    Card::form()
        .text("提交未成功：1 处需要修改")
        .text("金额")
        .input(TextInput::new("amount").value("一千"))
        .text("⚠ 应为整数")
        .dropdown(
            Dropdown::new("dept")
                .placeholder("部门")
                .option("财务部", "fin"),
        )
        .input(TextInput::new("comment"))
        .submit("提交")
}

/// Every opening tag `<name …>` in `html`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<(usize, &'a str)> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(at, _)| (at, &html[at..at + html[at..].find('>').unwrap() + 1]))
        .collect()
}

/// The value of `attribute` in the tag `tag`.
fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let needle = format!(" {attribute}=\"");
    let start = tag.find(&needle)? + needle.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// Fails for a field of `html` that has no accessible name: no `aria-label`, no
/// `aria-labelledby` pointing at an element of the page, no `<label>` around it or for it.
fn assert_every_field_is_named(html: &str) {
    let mut fields = 0;
    for name in ["input", "select", "textarea"] {
        for (at, tag) in tags(html, name) {
            if attribute(tag, "type") == Some("hidden") {
                continue;
            }
            fields += 1;
            let labelled_by = attribute(tag, "aria-labelledby").is_some_and(|ids| {
                ids.split(' ')
                    .all(|id| html.contains(&format!(" id=\"{id}\"")))
            });
            let wrapped = html[..at]
                .rfind("<label")
                .is_some_and(|label| !html[label..at].contains("</label>"));
            let labelled_for = attribute(tag, "id")
                .is_some_and(|id| html.contains(&format!("<label for=\"{id}\">")));
            assert!(
                attribute(tag, "aria-label").is_some() || labelled_by || wrapped || labelled_for,
                "a field without a name: {tag}"
            );
        }
    }
    assert!(fields > 0, "no fields in {html}");
}

#[tokio::test]
async fn every_field_of_the_room_page_and_the_playground_has_a_name() {
    let sandbox = start(SandboxConfig::new()).await;
    let direct = room("direct-alice");
    let api = client(&sandbox);
    send_card(&api, &direct, approval_card()).await;
    send_card(&api, &direct, redrawn_with_errors()).await;
    assert_every_field_is_named(&page(&sandbox, "alice", &direct).await);
    assert_every_field_is_named(&playground(&sandbox, "sample=expense-form").await);
}

#[tokio::test]
async fn a_field_error_is_announced_and_tied_to_its_field() {
    let sandbox = start(SandboxConfig::new()).await;
    let direct = room("direct-alice");
    let card = send_card(&client(&sandbox), &direct, redrawn_with_errors()).await;
    let id = format!("card-{}", card.as_str().replace(['$', ':'], ""));
    let html = page(&sandbox, "alice", &direct).await;
    assert!(
        html.contains(&format!(
            "<input id=\"{id}-e2\" type=\"text\" name=\"amount\" aria-labelledby=\"{id}-e1\" \
             aria-invalid=\"true\" aria-describedby=\"{id}-e3\" value=\"一千\">"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<p id=\"{id}-e3\" class=\"cui-text cui-error\" role=\"alert\">⚠ 应为整数</p>"
        )),
        "{html}"
    );
    // The summary names the card; the field after the error line falls back to its placeholder.
    assert!(
        html.contains(&format!("aria-labelledby=\"{id}-e0\">")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<span class=\"cui-label\">部门</span><select id=\"{id}-e4\" name=\"dept\">"
        )),
        "{html}"
    );
}

#[tokio::test]
async fn ids_stay_unique_with_many_cards_on_the_page() {
    let sandbox = start(SandboxConfig::new()).await;
    let direct = room("direct-alice");
    let api = client(&sandbox);
    for _ in 0..3 {
        send_card(&api, &direct, redrawn_with_errors()).await;
    }
    let html = page(&sandbox, "alice", &direct).await;
    let mut ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(at, _)| {
            let value = &html[at + 5..];
            &value[..value.find('"').unwrap()]
        })
        .collect();
    let count = ids.len();
    assert!(count > 3 * 7, "{html}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "an id is used twice: {html}");
}

#[tokio::test]
async fn the_page_works_with_the_keyboard_alone() {
    let sandbox = start(SandboxConfig::new()).await;
    let direct = room("direct-alice");
    let card = send_card(&client(&sandbox), &direct, approval_card()).await;
    let html = page(&sandbox, "alice", &direct).await;

    // A skip link first, past the people and the room list, to the focusable messages.
    let body = &html[html.find("<body").unwrap()..];
    let first = &body[body.find('>').unwrap() + 1..];
    assert!(
        first.starts_with("\n<a class=\"sb-skip\" href=\"#messages\">"),
        "{first}"
    );
    assert!(html.contains("<main class=\"sb-room\" id=\"messages\" tabindex=\"-1\">"));
    assert!(html.find("class=\"sb-rooms\"").unwrap() < html.find("id=\"messages\"").unwrap());

    // Only real controls: no event-handler attributes, no clickable divs, buttons are buttons.
    assert!(
        !html.contains(" onclick=") && !html.contains(" onkeydown="),
        "{html}"
    );
    assert!(!html.contains("role=\"button\""), "{html}");
    for (_, button) in tags(&html, "button") {
        assert_eq!(attribute(button, "type"), Some("submit"), "{button}");
    }
    // Focus is always visible.
    assert!(
        html.contains(".sb :focus-visible { outline: 2px solid"),
        "{html}"
    );
    assert!(html.contains(".cui-card :focus-visible"), "{html}");

    // A submit comes back to the card, which takes the focus (it is focusable).
    let answer = browser()
        .post(format!(
            "{}/sandbox/submit?as=%40alice%3Asandbox&room=%21direct-alice%3Asandbox&event={}",
            sandbox.url,
            enc(card.as_str())
        ))
        .header("origin", form_origin(&sandbox))
        .body(format!("amount=1000&decision={}", enc("同意")))
        .send()
        .await
        .unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    let (page_url, fragment) = location.split_once('#').unwrap();
    assert_eq!(
        page_url, "/?as=%40alice%3Asandbox&room=%21direct-alice%3Asandbox",
        "back to the page the card was on"
    );
    let html = page(&sandbox, "alice", &direct).await;
    assert!(
        html.contains(&format!(
            "<form id=\"{fragment}\" data-event-id=\"{card}\" tabindex=\"-1\""
        )),
        "{location}: {html}"
    );
}
