//! Forgiving on receive: one odd id in an answer is kept as received and reported, and never fails
//! the call (above all a send that went out).

use finchat_client::{Delivery, IamHost, IdList, MaybeId, Secret, Target};
use finchat_cui::{Fcid, MessageContent, RoomId};
use serde_json::{Value, json};

use crate::server::{Reply, TestServer, not_expected};

const OPEN_API: &str = "/api/v1/finchat/open-api";

fn fcid(id: &str) -> Fcid {
    id.parse().unwrap()
}

fn room(id: &str) -> RoomId {
    id.parse().unwrap()
}

/// A server that answers `{method} {OPEN_API}{path}` with `answer` and nothing else.
async fn serving(method: &'static str, path: &'static str, answer: Value) -> TestServer {
    TestServer::with_tokens(move |r, _| {
        if r.method == method && r.path == format!("{OPEN_API}{path}") {
            Reply::ok(answer.clone())
        } else {
            not_expected(r)
        }
    })
    .await
}

#[tokio::test]
async fn a_room_list_with_an_odd_id_keeps_the_others_and_the_odd_one_raw() {
    let server = serving(
        "GET",
        "/rooms",
        json!(["!a:example.org", "lobby", "!b:example.org"]),
    )
    .await;
    let client = server.client().build().unwrap();
    let rooms: IdList<RoomId> = client.rooms().list().await.unwrap();
    assert_eq!(
        rooms.ids(),
        [room("!a:example.org"), room("!b:example.org")]
    );
    assert_eq!(rooms.unparsed(), ["lobby"]);
}

#[tokio::test]
async fn users_by_authority_with_an_odd_id_keeps_the_others() {
    let server = serving(
        "GET",
        "/contact/get-users-by-authority",
        json!(["@a:example.org", "@b:bad host", null]),
    )
    .await;
    let client = server.client().build().unwrap();
    let users = client.contacts().users_by_authority("x").await.unwrap();
    assert_eq!(users.ids(), [fcid("@a:example.org")]);
    assert_eq!(users.unparsed(), ["@b:bad host", "null"]);
}

#[tokio::test]
async fn a_room_detail_with_an_odd_member_or_owner_still_reads() {
    let server = serving(
        "GET",
        "/rooms/!r:example.org",
        json!({"name": "n", "owner": "admin", "fcids": ["@a:example.org", "b"]}),
    )
    .await;
    let client = server.client().build().unwrap();
    let detail = client
        .rooms()
        .detail(&room("!r:example.org"))
        .await
        .unwrap();
    assert_eq!(detail.owner, Some(MaybeId::Unparsed("admin".into())));
    assert_eq!(detail.fcids.ids(), [fcid("@a:example.org")]);
    assert_eq!(detail.fcids.unparsed(), ["b"]);
    assert_eq!(
        serde_json::to_value(&detail).unwrap()["fcids"],
        json!(["@a:example.org", "b"]),
        "written back as received"
    );
}

#[tokio::test]
async fn a_modify_answer_with_an_odd_id_still_reads() {
    let server = serving(
        "PUT",
        "/rooms/!r:example.org",
        json!({"failed_fcids_to_invite": ["zed"], "failed_fcids_to_kick": []}),
    )
    .await;
    let client = server.client().build().unwrap();
    let answer = client
        .rooms()
        .modify(room("!r:example.org"))
        .invite(fcid("@zed:example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.failed_fcids_to_invite.unparsed(), ["zed"]);
    assert!(
        !answer.all_succeeded(),
        "an odd id that failed is still a failure"
    );
}

#[tokio::test]
async fn a_user_detail_with_an_odd_fcid_still_reads() {
    let server = serving(
        "GET",
        "/users/@alice:example.org",
        json!({"fcid": "alice", "name": "Alice"}),
    )
    .await;
    let client = server.client().build().unwrap();
    let user = client
        .users()
        .detail(&fcid("@alice:example.org"))
        .await
        .unwrap();
    assert_eq!(user.fcid, MaybeId::Unparsed("alice".into()));
    assert_eq!(user.name.as_deref(), Some("Alice"));
}

#[tokio::test]
async fn friendships_with_an_odd_id_keep_every_entry() {
    let server = serving(
        "GET",
        "/users/@alice:example.org/friendships",
        json!([
            {"to_fcid": "@bot:example.org", "room_id": "!d1:example.org", "is_bot": true},
            {"to_fcid": "carol", "room_id": "d2", "is_bot": false}
        ]),
    )
    .await;
    let client = server.client().build().unwrap();
    let friends = client
        .users()
        .friendships(&fcid("@alice:example.org"))
        .await
        .unwrap();
    assert_eq!(friends.len(), 2);
    assert_eq!(friends[0].to_fcid.valid(), Some(&fcid("@bot:example.org")));
    assert_eq!(friends[1].to_fcid.as_str(), "carol");
    assert!(!friends[1].room_id.is_valid());
}

#[tokio::test]
async fn the_apps_direct_rooms_and_visibility_with_odd_ids_still_read() {
    let server = TestServer::with_tokens(|r, _| match r.path.as_str() {
        "/api/v1/finchat/open-api/apps/app-1/friendships" => Reply::ok(json!([
            {"to_fcid": "@a:example.org", "room_id": "!d:example.org"},
            {"to_fcid": "@b:example.org", "room_id": ""}
        ])),
        "/api/v1/finchat/open-api/apps/app-1/visibility" => Reply::ok(json!({
            "unlimited": false, "departments": ["d1"], "fcids": ["@a:example.org", "@@"]
        })),
        _ => not_expected(r),
    })
    .await;
    let client = server.client().build().unwrap();
    let direct = client.apps().friendships().await.unwrap();
    assert_eq!(direct.len(), 2);
    assert_eq!(direct[1].room_id, MaybeId::Unparsed(String::new()));
    let visibility = client.apps().visibility().await.unwrap();
    assert_eq!(visibility.fcids.ids(), [fcid("@a:example.org")]);
    assert_eq!(visibility.fcids.unparsed(), ["@@"]);
}

#[tokio::test]
async fn a_department_with_an_odd_member_still_reads() {
    let server = serving(
        "GET",
        "/contact/departments/d1",
        json!({"department_id": "d1", "fcids": ["@a:example.org", "x"]}),
    )
    .await;
    let client = server.client().build().unwrap();
    let department = client.contacts().department("d1").send().await.unwrap();
    assert_eq!(department.fcids.ids(), [fcid("@a:example.org")]);
    assert_eq!(department.fcids.unparsed(), ["x"]);
}

#[tokio::test]
async fn userinfo_with_an_odd_fcid_still_reads() {
    let server = TestServer::start(|_, _| {
        Reply::ok(json!({"sub": "s-1", "fcid": "test203", "name": "测试203"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let iam = IamHost::parse(&format!("{}/auth", server.url())).unwrap();
    let user = client
        .identity()
        .userinfo(&iam, &Secret::new("user-token"))
        .await
        .unwrap();
    assert_eq!(user.fcid, Some(MaybeId::Unparsed("test203".into())));
}

#[tokio::test]
async fn a_webhook_send_answered_with_an_odd_event_id_is_still_sent() {
    let server = serving(
        "POST",
        "/message/webhook/send",
        json!({"event_id": "evt-42"}),
    )
    .await;
    let client = server.client().build().unwrap();
    let event = client
        .messages()
        .send_webhook("hook-1", MessageContent::text("hi"))
        .await
        .expect("the message was sent");
    assert_eq!(event, MaybeId::Unparsed("evt-42".into()));
}

#[tokio::test]
async fn a_send_answered_with_an_odd_event_id_is_reported_sent_with_the_id_raw() {
    let server = serving(
        "POST",
        "/message/send",
        json!({"room_id_result": [
            {"room_id": "!a:example.org", "errcode": "", "error": "", "event_id": "$ok:example.org"},
            {"room_id": "!b:example.org", "errcode": "", "error": "", "event_id": "evt-2"}
        ]}),
    )
    .await;
    let client = server.client().build().unwrap();
    let report = client
        .messages()
        .send(MessageContent::text("hi"))
        .room(room("!a:example.org"))
        .room(room("!b:example.org"))
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    assert_eq!(
        report.results[1].delivery,
        Delivery::Sent {
            event_id: MaybeId::Unparsed("evt-2".into())
        }
    );
    assert_eq!(report.event_id(&Target::Room(room("!b:example.org"))), None);
    assert_eq!(
        serde_json::to_value(&report).unwrap()[1],
        json!({"target": {"room": "!b:example.org"}, "outcome": "sent", "event_id": "evt-2"})
    );
}
