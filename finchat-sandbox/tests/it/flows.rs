//! The sandbox from a person's side: the page's form producing FinChat's exact interactcui event,
//! pushed to a real `Receiver` and read as a typed form; what people say; refused submissions; the
//! JSON endpoints.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use finchat_client::{Dispatcher, Receiver};
use finchat_cui::{CuiForm, EventId, Status};
use finchat_sandbox::SandboxConfig;
use serde_json::{Value, json};

use crate::support::*;

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The forms a receiver got, with the card each answers.
type Forms = Arc<Mutex<Vec<(Approval, Option<EventId>)>>>;

#[derive(Debug, CuiForm)]
struct Approval {
    amount: u32,
    comment: String,
    decision: String,
}
#[tokio::test]
async fn a_form_submit_reaches_a_receiver_as_the_documented_interactcui_and_a_typed_form() {
    let forms: Forms = Arc::default();
    let dispatcher = Dispatcher::new(Arc::clone(&forms)).on_submission::<Approval, _, _>(
        |forms, event, form| async move {
            forms.lock().unwrap().push((form, event.origin()));
            Ok(())
        },
    );
    let bodies: Arc<Mutex<Vec<Value>>> = Arc::default();
    let recorded = Arc::clone(&bodies);
    let receiver = Receiver::new(dispatcher, "callback-token-for-tests")
        .unwrap()
        .app_id("approval-app");
    let router = receiver.router().layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let recorded = Arc::clone(&recorded);
            async move {
                let (parts, body) = request.into_parts();
                let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                recorded
                    .lock()
                    .unwrap()
                    .push(serde_json::from_slice(&bytes).unwrap());
                next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                    .await
            }
        },
    ));
    let callback = format!("{}/callback", serve(router).await);
    let config = SandboxConfig::new()
        .app_id("approval-app")
        .callback(callback, "callback-token-for-tests")
        .time_scale(0.001);
    let sandbox = start(config).await;
    let alice_room = room("direct-alice");
    let card = send_card(&client(&sandbox), &alice_room, approval_card()).await;

    let form = format!(
        "/sandbox/submit?as={}&room={}&event={}",
        enc("@alice:sandbox"),
        enc(alice_room.as_str()),
        enc(card.as_str())
    );
    let answer = post_form(
        &sandbox,
        &form,
        "amount=1500&comment=%E5%8F%AF%E4%BB%A5&decision=%E5%90%8C%E6%84%8F",
    )
    .await;
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/?as=%40alice%3Asandbox&room=%21direct-alice%3Asandbox#card-"),
        "{location}"
    );

    wait_until("the receiver has the form", || {
        !forms.lock().unwrap().is_empty()
    })
    .await;
    let (approval, origin) = forms.lock().unwrap().remove(0);
    assert_eq!(
        (
            approval.amount,
            approval.comment.as_str(),
            approval.decision.as_str()
        ),
        (1500, "可以", "同意")
    );
    assert_eq!(origin.as_ref(), Some(&card));

    // The body is the seed's sample, field for field.
    let sample: Value = serde_json::from_str(include_str!(
        "../../../finchat-cui/tests/fixtures/events/001-finstore.room.interactcui.json"
    ))
    .unwrap();
    let pushed = bodies.lock().unwrap().last().cloned().unwrap();
    assert_eq!(keys(&pushed), keys(&sample));
    assert_eq!(keys(&pushed["event"]), keys(&sample["event"]));
    assert_eq!(
        (&pushed["app_id"], &pushed["token"]),
        (&json!("approval-app"), &json!("callback-token-for-tests"))
    );
    let event = &pushed["event"];
    assert_eq!(event["type"], "finstore.room.interactcui");
    assert_eq!(
        event["content"],
        json!({"action": "submit", "info": {"amount": "1500", "comment": "可以", "decision": "同意"}})
    );
    assert_eq!(
        (&event["sender"], &event["fcid"]),
        (&json!("@alice:sandbox"), &json!("@alice:sandbox"))
    );
    assert_eq!(
        (&event["room_id"], &event["room_type"]),
        (&json!("!direct-alice:sandbox"), &json!("direct_room"))
    );
    assert_eq!(event["origin_event"], json!(card));
    assert!(event["timestamp"].as_i64().unwrap() > 1_700_000_000_000);
    // The three direct rooms' creation came first, in order.
    let types: Vec<String> = bodies
        .lock()
        .unwrap()
        .iter()
        .map(|b| b["event"]["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "finstore.room.create",
            "finstore.room.create",
            "finstore.room.create",
            "finstore.room.interactcui"
        ]
    );
}

#[tokio::test]
async fn in_a_group_room_the_event_names_no_fcid_and_a_reply_button_fills_in_the_other_inputs() {
    let sandbox = start(SandboxConfig::new()).await;
    let finance = room("finance");
    let card = send_card(&client(&sandbox), &finance, approval_card()).await;
    let info = BTreeMap::from([("decision".to_owned(), "驳回".to_owned())]);
    let id = sandbox
        .handle
        .submit(&fcid("bob"), &finance, &card, info)
        .unwrap();
    let event = sandbox.handle.events().pop().unwrap();
    assert_eq!(event.event_id, id.as_str());
    let event = serde_json::to_value(&event).unwrap();
    assert_eq!(
        (&event["fcid"], &event["sender"], &event["room_type"]),
        (&json!(""), &json!("@bob:sandbox"), &json!("multi_room"))
    );
    // A client sends every input's value, not only the pressed button's.
    assert_eq!(
        event["content"]["info"],
        json!({"amount": "1200", "comment": "", "decision": "驳回"})
    );
}
#[tokio::test]
async fn a_person_talks_to_the_bot_which_hears_group_messages_only_when_mentioned() {
    let sandbox = start(SandboxConfig::new()).await;
    let form = format!(
        "as={}&room={}&body=%E4%BD%A0%E5%A5%BD",
        enc("@carol:sandbox"),
        enc("!direct-carol:sandbox")
    );
    let said = post_form(&sandbox, "/sandbox/say", form).await;
    assert_eq!(said.status(), 303);
    let event = serde_json::to_value(sandbox.handle.events().pop().unwrap()).unwrap();
    assert_eq!(
        (&event["type"], &event["content"]),
        (
            &json!("m.room.message"),
            &json!({"msgtype": "m.text", "body": "你好"})
        )
    );
    assert_eq!(
        (&event["room_type"], &event["sender"]),
        (&json!("direct_room"), &json!("@carol:sandbox"))
    );

    let before = sandbox.handle.events().len();
    sandbox
        .handle
        .say(&fcid("bob"), &room("finance"), "大家好")
        .unwrap();
    assert_eq!(sandbox.handle.events().len(), before, "not for the bot");
    sandbox
        .handle
        .say(&fcid("bob"), &room("finance"), "@机器人 报销进度？")
        .unwrap();
    let event = serde_json::to_value(sandbox.handle.events().pop().unwrap()).unwrap();
    assert_eq!(
        event["content"],
        json!({"msgtype": "m.alert", "body": "@机器人 报销进度？"})
    );
    assert_eq!(
        sandbox.handle.messages(&room("finance")).len(),
        2,
        "both are in the room"
    );
}

#[tokio::test]
async fn submits_of_closed_cards_and_unknown_keys_are_refused() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let alice_room = room("direct-alice");
    let card = send_card(&api, &alice_room, approval_card()).await;
    let submit = |key: &str| {
        let info = BTreeMap::from([(key.to_owned(), "同意".to_owned())]);
        sandbox
            .handle
            .submit(&fcid("alice"), &alice_room, &card, info)
    };
    let unknown = submit("verdict").unwrap_err();
    assert_eq!(
        unknown.to_string(),
        format!(
            "card `{card}` has no input or button with key `verdict`; its keys are `amount`, `comment`, `decision`"
        )
    );
    let other = sandbox
        .handle
        .submit(&fcid("bob"), &alice_room, &card, BTreeMap::new())
        .unwrap_err();
    assert_eq!(
        other.to_string(),
        "`@bob:sandbox` is not in room `!direct-alice:sandbox`"
    );

    api.messages()
        .update_cui(card.clone(), approval_card().with_status(Status::Disable))
        .room(alice_room.clone())
        .send()
        .await
        .unwrap();
    assert!(
        submit("decision")
            .unwrap_err()
            .to_string()
            .contains("is `disable` for this person")
    );
    // The JSON endpoint answers the same, with a status.
    let answer = reqwest::Client::new()
        .post(format!("{}/sandbox/api/submit", sandbox.url))
        .json(&json!({"as": "@alice:sandbox", "room": alice_room, "event": card, "info": {"decision": "同意"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 409);
    // A form post of a closed card goes back to the page with the error shown.
    let form = browser()
        .post(format!(
            "{}/sandbox/submit?as=%40alice%3Asandbox&room=%21direct-alice%3Asandbox&event={}",
            sandbox.url,
            enc(card.as_str())
        ))
        .header("origin", form_origin(&sandbox))
        .body("decision=%E5%90%8C%E6%84%8F")
        .send()
        .await
        .unwrap();
    let location = form.headers()["location"].to_str().unwrap().to_owned();
    let html = reqwest::get(format!("{}{location}", sandbox.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<p class=\"sb-error\" role=\"alert\">"),
        "{html}"
    );
}

#[tokio::test]
async fn the_json_endpoints_show_each_person_their_copy() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    let finance = room("finance");
    let card = send_card(&api, &finance, approval_card().exclusive_to([])).await;
    let closed = approval_card()
        .with_status(Status::Disable)
        .exclusive_to([fcid("carol")]);
    api.messages()
        .update_cui(card.clone(), closed)
        .room(finance.clone())
        .send()
        .await
        .unwrap();
    let status_for = |person: &'static str| {
        let url = format!(
            "{}/sandbox/api/rooms/{}/messages?as={}",
            sandbox.url,
            enc(finance.as_str()),
            enc(&format!("@{person}:sandbox"))
        );
        async move {
            let messages: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
            messages[0]["content"]["info"]["status"].clone()
        }
    };
    assert_eq!(status_for("carol").await, "disable");
    assert_eq!(status_for("alice").await, "input");
    let messages = sandbox.handle.messages(&finance);
    assert_eq!(
        messages[0]
            .content_for(&fcid("carol"))
            .card()
            .unwrap()
            .status,
        Status::Disable
    );
    assert_eq!(messages[0].content.card().unwrap().status, Status::Input);

    let said = post_json(
        &format!("{}/sandbox/api/say", sandbox.url),
        json!({"as": "@alice:sandbox", "room": "!direct-alice:sandbox", "body": "hi"}).to_string(),
    )
    .await;
    let events: Value = reqwest::get(format!("{}/sandbox/api/events", sandbox.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        events.as_array().unwrap().last().unwrap()["event_id"],
        said["event_id"]
    );
}
