//! The card playground: content drawn as the room page draws it, each problem beside the element it
//! names, syntax errors with their line and column, a link that reproduces the page, the JSON
//! endpoint, and hostile input kept inert.

use finchat_sandbox::{RunningSandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{browser, client, enc, form_origin, page, post_json, room, send_card, start};

/// The playground page for `query` (`content=…` or `sample=…`).
pub(crate) async fn playground(sandbox: &RunningSandbox, query: &str) -> String {
    let answer = reqwest::get(format!("{}/sandbox/playground?{query}", sandbox.url))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.text().await.unwrap()
}

async fn draw(sandbox: &RunningSandbox, content: &str) -> String {
    playground(sandbox, &format!("content={}", enc(content))).await
}

/// The text of the first `<tag …>…</tag>` whose opening tag contains `marker`, tags included.
fn element<'a>(html: &'a str, marker: &str, tag: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in {html}"));
    let start = html[..at].rfind(&format!("<{tag}")).unwrap();
    let close = format!("</{tag}>");
    let end = html[at..].find(&close).unwrap() + at + close.len();
    &html[start..end]
}

/// Where `needle` is in `html`, or a failure naming it.
fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in {html}"))
}

fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A card with a duplicate key (element 2), an element that does not fit the format (element 3)
/// and a problem of the message as a whole (its empty body).
fn broken_card() -> Value {
    json!({
        "msgtype": "m.cui", "version": "0.1.0", "body": "",
        "info": {
            "type": "form", "status": "input", "shared": true, "fcids": [],
            "elements": [
                {"type": "context", "subtype": "text", "value": "报销申请"},
                {"type": "input", "subtype": "text-input", "key": "amount", "placeholder": "金额"},
                {"type": "input", "subtype": "text-input", "key": "amount", "placeholder": "再填一次"},
                {"type": "image", "subtype": "image", "o_url": "https://example.org/a.png"},
                {"type": "button", "subtype": "submit", "value": "提交", "action": "submit"},
            ],
        },
    })
}

#[tokio::test]
async fn a_valid_sample_is_drawn_as_the_room_draws_it_with_no_problems() {
    let sandbox = start(SandboxConfig::new()).await;
    let html = playground(&sandbox, "sample=approval").await;
    assert!(html.contains("data-problems=\"0\""), "{html}");
    assert!(!html.contains("id=\"playground-problems\"") && !html.contains("class=\"cui-notes\""));
    assert!(
        html.contains("<option value=\"approval\" selected>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<nav class=\"sb-pages\" aria-label=\"页面\"><a href=\"/\">房间</a>\
             <a href=\"/sandbox/playground\" aria-current=\"page\">卡片试验台</a>\
             <a href=\"/sandbox/inspector\">活动记录</a></nav>"
        ),
        "the header links to the other pages: {html}"
    );
    // The forms come back at the result, which takes the focus.
    assert!(
        html.contains("<form class=\"sb-editor\" method=\"get\" action=\"/sandbox/playground#playground-result\">"),
        "{html}"
    );
    assert!(html.contains("<section id=\"playground-result\" class=\"sb-result\" tabindex=\"-1\""));
    // The text box holds the sample, so it can be edited.
    let textarea = element(&html, "id=\"playground-content\"", "textarea");
    assert!(
        textarea.contains("&quot;msgtype&quot;: &quot;m.cui&quot;"),
        "{textarea}"
    );

    // The same card sent to a room is drawn the same, but for its frame: id, event and action.
    let sample: Value = serde_json::from_str(&unescape(
        &textarea[textarea.find('>').unwrap() + 1..textarea.rfind('<').unwrap()],
    ))
    .unwrap();
    let card = serde_json::from_value(sample["info"].clone()).unwrap();
    let direct = room("direct-alice");
    let event = send_card(&client(&sandbox), &direct, card).await;
    let dom_id = format!("card-{}", event.as_str().replace(['$', ':'], ""));
    let room_html = page(&sandbox, "alice", &direct).await;
    let in_room = element(&room_html, &format!("id=\"{dom_id}\""), "form")
        .replace(&format!(" data-event-id=\"{event}\""), "")
        .replace(&dom_id, "playground-card");
    let in_playground = element(&html, "id=\"playground-card\"", "form");
    let without_action = |form: &str| {
        let start = form.find(" action=\"").unwrap();
        let end = form[start + 9..].find('"').unwrap() + start + 10;
        format!("{}{}", &form[..start], &form[end..])
    };
    assert_eq!(without_action(&in_room), without_action(in_playground));

    let unknown = playground(&sandbox, "sample=%3Cnone%3E").await;
    assert!(
        unknown.contains("<p class=\"sb-error\" role=\"alert\">no sample `&lt;none&gt;`; the samples are `approval`"),
        "{unknown}"
    );
}

#[tokio::test]
async fn each_problem_is_shown_beside_the_element_it_names() {
    let sandbox = start(SandboxConfig::new()).await;
    let html = draw(&sandbox, &broken_card().to_string()).await;
    assert!(html.contains("data-problems=\"3\""), "{html}");

    // The message's own problem is listed above the card.
    let list = element(&html, "id=\"playground-problems\"", "ul");
    assert!(list.contains("role=\"alert\""), "{list}");
    assert!(list.contains("<code>body</code> empty body"), "{list}");
    assert!(!list.contains("elements"), "{list}");
    let card = position(&html, "<form id=\"playground-card\"");
    assert!(position(&html, "id=\"playground-problems\"") < card);

    // Each element's problems come right after it, before the next element.
    let e2 = position(&html, "id=\"playground-card-e2\"");
    let duplicate = position(
        &html,
        "<div id=\"playground-card-e2-notes\" class=\"cui-notes\" role=\"alert\"><ul><li>info.elements[2].key: duplicate key &quot;amount&quot; (also used by info.elements[1])</li>",
    );
    let e3 = position(&html, "id=\"playground-card-e3\"");
    let image = position(&html, "<div id=\"playground-card-e3-notes\"");
    let e4 = position(&html, "id=\"playground-card-e4\"");
    assert!(
        card < e2 && e2 < duplicate && duplicate < e3 && e3 < image && image < e4,
        "{html}"
    );
    assert!(
        element(&html, "id=\"playground-card-e3-notes\"", "div").contains("info.elements[3].o_url"),
        "{html}"
    );
    // The field a problem names is described by it.
    assert!(
        html.contains("name=\"amount\" aria-describedby=\"playground-card-e2-notes\""),
        "{html}"
    );
}

#[tokio::test]
async fn malformed_json_is_reported_with_its_line_and_column() {
    let sandbox = start(SandboxConfig::new()).await;
    let text = "{\n  \"msgtype\": \"m.cui\",\n  \"body\" \"报销\"\n}";
    let html = draw(&sandbox, text).await;
    let list = element(&html, "id=\"playground-problems\"", "ul");
    assert!(
        list.contains(
            "<li data-kind=\"syntax\"><code>(content)</code> line 3, column 10: expected `:`"
        ),
        "{list}"
    );
    assert!(
        list.contains(
            "<pre class=\"sb-excerpt\">  &quot;body&quot; <mark>&quot;</mark>报销&quot;</pre>"
        ),
        "{list}"
    );
    assert!(
        !html.contains("<form id=\"playground-card\""),
        "nothing to draw"
    );
    assert!(
        html.contains("&quot;body&quot; &quot;报销&quot;\n}</textarea>"),
        "the text stays in the box to be fixed: {html}"
    );

    let answer = post_json(&format!("{}/sandbox/api/playground", sandbox.url), text).await;
    assert_eq!(answer["html"], "");
    assert_eq!(answer["problems"][0]["kind"], "syntax");
    assert_eq!(answer["problems"][0]["line"], 3);
    assert_eq!(answer["problems"][0]["column"], 10);
}

#[tokio::test]
async fn the_link_reproduces_the_same_card_and_problems() {
    let sandbox = start(SandboxConfig::new()).await;
    let text = serde_json::to_string_pretty(&broken_card()).unwrap();
    let html = draw(&sandbox, &text).await;
    let link = element(&html, "id=\"playground-link\"", "a");
    let start = link.find("href=\"").unwrap() + 6;
    let href = unescape(&link[start..start + link[start..].find('"').unwrap()]);
    assert_eq!(href, format!("/sandbox/playground?content={}", enc(&text)));
    let again = playground(&sandbox, &href["/sandbox/playground?".len()..]).await;
    let result = |html: &str| element(html, "id=\"playground-result\"", "section").to_owned();
    assert_eq!(result(&again), result(&html));
    assert!(result(&again).contains("data-problems=\"3\""));
}

#[tokio::test]
async fn the_json_endpoint_draws_the_card_and_lists_its_problems() {
    let sandbox = start(SandboxConfig::new()).await;
    let url = format!("{}/sandbox/api/playground", sandbox.url);
    let answer = reqwest::Client::new()
        .post(&url)
        .json(&broken_card())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let answer: Value = answer.json().await.unwrap();
    let html = answer["html"].as_str().unwrap();
    assert!(
        html.starts_with("<form id=\"playground-card\" tabindex=\"-1\" class=\"cui-card\""),
        "{html}"
    );
    assert!(
        html.contains("<div id=\"playground-card-e2-notes\""),
        "{html}"
    );
    assert_eq!(
        answer["problems"],
        json!([
            {"path": "body", "kind": "empty_body", "message": answer["problems"][0]["message"]},
            {"path": "info.elements[2].key", "kind": "duplicate_key", "element": 2,
             "message": "duplicate key \"amount\" (also used by info.elements[1])"},
            {"path": "info.elements[3].o_url", "kind": "invalid_mxc_uri", "element": 3,
             "message": answer["problems"][2]["message"]},
        ])
    );

    // A bare card is read as a message's `info`.
    let bare = post_json(&url, broken_card()["info"].to_string()).await;
    assert_eq!(bare["problems"].as_array().unwrap().len(), 2, "{bare}");
    assert_eq!(bare["problems"][0]["path"], "info.elements[2].key");

    // Too much is refused, and only JSON is taken.
    let large = json!({"msgtype": "m.text", "body": "x".repeat(20_000)});
    let refused = reqwest::Client::new()
        .post(&url)
        .json(&large)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let why: Value = refused.json().await.unwrap();
    assert!(
        why["error"].as_str().unwrap().contains("up to 16384 bytes"),
        "{why}"
    );
    let form = reqwest::Client::new()
        .post(&url)
        .body(broken_card().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn hostile_input_comes_out_escaped() {
    let sandbox = start(SandboxConfig::new()).await;
    let mut card = broken_card();
    card["info"]["elements"][0]["value"] = json!("</textarea><script>alert(1)</script>");
    card["info"]["elements"][1]["key"] = json!("\"><script>alert(2)</script>");
    let answer = reqwest::get(format!(
        "{}/sandbox/playground?content={}",
        sandbox.url,
        enc(&card.to_string())
    ))
    .await
    .unwrap();
    let csp = answer.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = answer.text().await.unwrap();
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(
        html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );

    // Broken JSON: its line is shown, escaped, and so is the text in the box.
    let broken = "{\"body\": \"</textarea><script>alert(3)</script>\" <script>}";
    let html = draw(&sandbox, broken).await;
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(
        html.contains("<mark>&lt;</mark>script&gt;}</pre>"),
        "the error's line, escaped: {html}"
    );
    assert!(
        html.contains("&lt;/textarea&gt;&lt;script&gt;alert(3)"),
        "{html}"
    );
}

#[tokio::test]
async fn too_large_content_is_refused_clearly() {
    let sandbox = start(SandboxConfig::new()).await;
    let text = json!({"msgtype": "m.text", "body": "x".repeat(20_000)}).to_string();
    let html = draw(&sandbox, &text).await;
    assert!(
        html.contains(&format!(
            "<p id=\"playground-summary\" class=\"sb-error\" role=\"alert\" data-problems=\"1\">the content is {} bytes; the playground reads up to 16384 bytes",
            text.len()
        )),
        "{html}"
    );
    assert!(!html.contains("id=\"playground-card\""));
}

#[tokio::test]
async fn pressing_a_button_of_the_drawn_card_shows_what_the_bot_would_receive() {
    let sandbox = start(SandboxConfig::new()).await;
    let sample = playground(&sandbox, "sample=approval").await;
    let form = element(&sample, "id=\"playground-card\"", "form");
    let start = form.find(" action=\"").unwrap() + 9;
    let action = unescape(&form[start..start + form[start..].find('"').unwrap()]);
    assert!(
        action.starts_with("/sandbox/playground?content="),
        "{action}"
    );
    let answer = browser()
        .post(format!("{}{action}", sandbox.url))
        .header("origin", form_origin(&sandbox))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("amount=1500&dept=ops&decision={}", enc("同意")))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let html = answer.text().await.unwrap();
    let submission = element(&html, "id=\"playground-submission\"", "section");
    let json_start = submission.find("<pre>").unwrap() + 5;
    let json_end = submission.find("</pre>").unwrap();
    let got: Value = serde_json::from_str(&unescape(&submission[json_start..json_end])).unwrap();
    assert_eq!(
        got,
        json!({"action": "submit", "info": {"amount": "1500", "dept": "ops", "decision": "同意"}})
    );
    assert!(
        html.contains("data-problems=\"0\""),
        "the card is drawn again"
    );
}

const TEMPLATE: &str = "<form>\n  <text>{title}</text>\n  <for each={keys} as=\"k\"><input key={k}/></for>\n  <submit>\"提交\"</submit>\n</form>";

#[tokio::test]
async fn a_template_is_rendered_with_its_data_and_drawn_with_its_problems() {
    let sandbox = start(SandboxConfig::new()).await;
    let url = format!("{}/sandbox/api/playground", sandbox.url);
    let request = json!({"template": TEMPLATE, "data": {"title": "报销", "keys": ["a", "b"]}});
    let answer = post_json(&url, request.to_string()).await;
    assert_eq!(answer["problems"], json!([]));
    let html = answer["html"].as_str().unwrap();
    assert!(
        html.contains("报销") && html.contains("playground-card-e2"),
        "{html}"
    );

    // Two inputs with one key: the validator's problem, beside the element, at the tag that made it.
    let request = json!({"template": TEMPLATE, "data": {"title": "报销", "keys": ["a", "a"]}});
    let answer = post_json(&url, request.to_string()).await;
    assert_eq!(answer["problems"][0]["path"], "info.elements[2].key");
    assert_eq!(answer["problems"][0]["element"], 2);
    assert_eq!(answer["problems"][0]["line"], 3);
    assert_eq!(answer["problems"][0]["column"], 28);

    // The page: the template in the box, the data in its own, and the link carries both.
    let html = playground(
        &sandbox,
        &format!(
            "content={}&data={}",
            enc(TEMPLATE),
            enc(r#"{"title": "T", "keys": []}"#)
        ),
    )
    .await;
    assert!(html.contains("data-problems=\"0\""), "{html}");
    assert!(html.contains("id=\"playground-data\""), "{html}");
    let link = element(&html, "id=\"playground-link\"", "a");
    assert!(link.contains("&amp;data="), "{link}");
}

#[tokio::test]
async fn a_template_mistake_is_reported_at_its_line_and_column() {
    let sandbox = start(SandboxConfig::new()).await;
    let url = format!("{}/sandbox/api/playground", sandbox.url);
    let answer = post_json(&url, "<form>\n  <text>\"a\"</txt>\n</form>").await;
    assert_eq!(answer["html"], "");
    assert_eq!(answer["problems"][0]["kind"], "template");
    assert_eq!(answer["problems"][0]["line"], 2);
    assert_eq!(answer["problems"][0]["column"], 14);
    assert_eq!(
        answer["problems"][0]["message"],
        "line 2, column 14: `</txt>` closes `<text>`; write `</text>`"
    );

    let answer = post_json(&url, json!({"template": TEMPLATE, "data": {}}).to_string()).await;
    assert_eq!(answer["problems"][0]["kind"], "binding");
    assert_eq!(
        answer["problems"][0]["message"],
        "line 2, column 9: `title`: the data has no `title`"
    );
}

#[tokio::test]
async fn a_cards_lints_are_listed_as_warnings_with_hints_on_the_page_and_in_the_json() {
    let sandbox = start(SandboxConfig::new()).await;
    // Valid, so sendable, but poor: the default body, and an input with no label or placeholder.
    let poor = json!({
        "msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]",
        "info": {"type": "form", "status": "input", "shared": false, "elements": [
            {"type": "input", "subtype": "text-input", "key": "amount"},
            {"type": "button", "subtype": "submit", "value": "提交", "action": "submit"},
        ]},
    });
    let html = draw(&sandbox, &poor.to_string()).await;
    assert!(
        html.contains("<p id=\"playground-summary\" data-problems=\"0\">"),
        "warnings are not problems: {html}"
    );
    let list = element(&html, "id=\"playground-warnings\"", "ul");
    assert!(
        list.contains("<li data-kind=\"default_body\"><code>body</code>"),
        "{list}"
    );
    assert!(
        list.contains("<li data-kind=\"unlabelled_input\"><code>info.elements[0]</code> input &quot;amount&quot; has no label and no placeholder <span class=\"sb-hint\">put a &lt;text&gt; right before it, or give it a placeholder</span></li>"),
        "{list}"
    );
    assert!(html.contains("data-warnings=\"2\""), "{html}");

    let answer = post_json(
        &format!("{}/sandbox/api/playground", sandbox.url),
        poor.to_string(),
    )
    .await;
    assert_eq!(answer["problems"], json!([]));
    let kinds: Vec<&str> = answer["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["default_body", "unlabelled_input"], "{answer}");
    assert!(
        answer["warnings"][1]["hint"]
            .as_str()
            .unwrap()
            .contains("placeholder")
    );

    // A template's content is linted too; a card with a label and a body of its own has none.
    let template = r#"<form body="报销申请"><text>"金额"</text><input key="amount"/><submit>"提交"</submit></form>"#;
    let good = post_json(
        &format!("{}/sandbox/api/playground", sandbox.url),
        json!({"template": template}).to_string(),
    )
    .await;
    assert_eq!(good["warnings"], json!([]), "{good}");
    let unlabelled = post_json(
        &format!("{}/sandbox/api/playground", sandbox.url),
        json!({"template": template.replace(r#"<text>"金额"</text>"#, "")}).to_string(),
    )
    .await;
    assert_eq!(
        unlabelled["warnings"][0]["kind"], "unlabelled_input",
        "{unlabelled}"
    );
}
