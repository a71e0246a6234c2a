//! The sandbox's page (each card drawn as a form in its current state, per person), the router
//! mounted beside an app's routes, and `finchat sandbox` as a process.

use finchat_cui::Status;
use finchat_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

use crate::support::{approval_card, client, enc, fcid, page, room, send_card, serve, start};

#[tokio::test]
async fn the_page_draws_each_card_as_a_form_in_its_current_state_per_person() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let alice_room = room("direct-alice");
    let card = send_card(&api, &alice_room, approval_card()).await;
    let html = page(&sandbox, "alice", &alice_room).await;
    let id = format!("card-{}", card.as_str().replace(['$', ':'], ""));
    assert!(
        html.contains(finchat_cui::render::STYLESHEET),
        "the stylesheet is in the page"
    );
    // Focusable, so that the redirect after a submit (`#card-…`) puts the focus on it; named by
    // its title.
    assert!(html.contains(&format!(
        "<form id=\"{id}\" data-event-id=\"{card}\" tabindex=\"-1\" class=\"cui-card\" data-status=\"input\" method=\"post\" \
         action=\"/sandbox/submit?as=%40alice%3Asandbox&amp;room=%21direct-alice%3Asandbox&amp;event={}\" aria-labelledby=\"{id}-e0\">",
        enc(card.as_str())
    )), "{html}");
    // The title right before the field labels it; the ids are the card's own.
    assert!(html.contains(&format!(
        "<input id=\"{id}-e1\" type=\"text\" name=\"amount\" aria-labelledby=\"{id}-e0\" placeholder=\"金额\" value=\"1200\">"
    )), "{html}");
    assert!(html.contains("name=\"decision\" value=\"同意\">同意</button>"));
    assert!(html.contains("<form class=\"sb-say\" method=\"post\" action=\"/sandbox/say\">"));
    assert!(
        html.contains(
            "<a class=\"sb-tool\" href=\"/sandbox/playground\">卡片试验台</a>\n\
             <a class=\"sb-tool\" href=\"/sandbox/inspector\">活动记录</a>"
        ),
        "the header links to the playground and the activity: {html}"
    );

    api.messages()
        .update_cui(card.clone(), approval_card().with_status(Status::Disable))
        .room(alice_room.clone())
        .send()
        .await
        .unwrap();
    let html = page(&sandbox, "alice", &alice_room).await;
    assert!(html.contains(&format!(
        "<form id=\"{id}\" data-event-id=\"{card}\" tabindex=\"-1\" class=\"cui-card\" data-status=\"disable\""
    )));
    assert!(html.contains("<fieldset disabled>") && html.contains("已处理"));

    // An exclusive card in the group room, updated for alice only.
    let finance = room("finance");
    let exclusive = send_card(&api, &finance, approval_card().exclusive_to([])).await;
    let update = approval_card()
        .status(Status::Loading)
        .exclusive_to([fcid("alice")]);
    api.messages()
        .update_cui(exclusive, update)
        .room(finance.clone())
        .send()
        .await
        .unwrap();
    let alice = page(&sandbox, "alice", &finance).await;
    assert!(
        alice.contains("class=\"cui-card\" data-status=\"loading\""),
        "{alice}"
    );
    let bob = page(&sandbox, "bob", &finance).await;
    assert!(
        bob.contains("class=\"cui-card\" data-status=\"input\""),
        "{bob}"
    );
    assert!(
        !bob.contains("class=\"cui-card\" data-status=\"loading\""),
        "{bob}"
    );

    // Images through the sandbox's own download URL, text as text.
    let uri = api
        .media()
        .upload(b"GIF89a".to_vec(), "image/gif")
        .await
        .unwrap();
    let image = finchat_cui::ImageContent::new("发票.gif", uri.clone());
    api.messages()
        .send(image)
        .room(alice_room.clone())
        .send()
        .await
        .unwrap();
    sandbox
        .handle
        .say(&fcid("alice"), &alice_room, "<b>你好</b>")
        .unwrap();
    let html = page(&sandbox, "alice", &alice_room).await;
    let src = format!("/sandbox/media/sandbox/{}", uri.media_id());
    assert!(
        html.contains(&format!("<img src=\"{src}\" alt=\"发票.gif\">")),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;你好&lt;/b&gt;"));
    let got = reqwest::get(format!("{}{src}", sandbox.url)).await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/gif");
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"GIF89a");
}
#[tokio::test]
async fn the_router_mounts_beside_an_apps_own_routes() {
    let (router, handle) = Sandbox::router(SandboxConfig::new().app_id("mounted"));
    let app = router.route("/health", axum::routing::get(|| async { "ok" }));
    let url = serve(app).await;
    assert_eq!(
        reqwest::get(format!("{url}/health"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    let html = reqwest::get(format!("{url}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<code>mounted</code>") && html.contains("张三"));
    assert_eq!(handle.users(), [fcid("alice"), fcid("bob"), fcid("carol")]);
    assert_eq!(handle.bot(), fcid("finchat-bot"));
    assert_eq!(handle.direct_room(&fcid("bob")), Some(room("direct-bob")));
    let missing = reqwest::get(format!("{url}/api/v1/finchat/open-api/nothing"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["errcode"],
        "FC_NOT_FOUND"
    );
}
