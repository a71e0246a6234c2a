//! A configured world (people, bot, group rooms; in code or in a world file, checked before the
//! sandbox starts) and the reset that puts it back to its seed.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::put;
use finchat_client::events::Event;
use finchat_cui::{Fcid, RoomId};
use finchat_sandbox::{PushOutcome, Sandbox, SandboxConfig, SandboxWorld, WorldError};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, oneshot};

use crate::support::{
    OPEN, api_call, approval_card, browser, client, enc, event_ids, fcid, post_form, raw_token,
    room, send_card, serve, start, verify_token, wait_until,
};

fn id<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse().unwrap()
}

/// A bot, three people on a real-looking server, and two group rooms.
fn corp_world() -> SandboxWorld {
    SandboxWorld::new()
        .bot("@helper:corp.example", "小助手")
        .person("@zhang:corp.example", "张三")
        .person("@li:corp.example", "李四")
        .person("@wang:other.example", "王五")
        .group_room(
            "!team:corp.example",
            "项目组",
            ["@zhang:corp.example", "@li:corp.example"],
        )
        .group_room("!all:corp.example", "全员", ["@wang:other.example"])
}

fn types(events: &[Event]) -> Vec<&str> {
    events.iter().map(Event::event_type).collect()
}

/// The `room_id` and `fcid` of each `finstore.room.create` event.
fn created_rooms(events: &[Event]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e.event_type() == "finstore.room.create")
        .map(|e| {
            (
                e.room_id.clone().unwrap_or_default(),
                e.fcid.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_configured_world_with_real_fcids_has_its_people_direct_rooms_and_group_rooms() {
    let sandbox = start(SandboxConfig::new().world(corp_world())).await;
    let handle = &sandbox.handle;
    let zhang: Fcid = id("@zhang:corp.example");
    let li: Fcid = id("@li:corp.example");
    let wang: Fcid = id("@wang:other.example");
    assert_eq!(handle.users(), [zhang.clone(), li.clone(), wang.clone()]);
    assert_eq!(handle.bot(), id::<Fcid>("@helper:corp.example"));
    assert_eq!(handle.name(&handle.bot()).as_deref(), Some("小助手"));
    assert_eq!(handle.person_named("李四"), Some(li.clone()));
    assert_eq!(handle.person_named("赵六"), None);

    let zhang_room: RoomId = id("!direct-zhang:corp.example");
    let wang_room: RoomId = id("!direct-wang:other.example");
    let team: RoomId = id("!team:corp.example");
    assert_eq!(handle.direct_room(&zhang), Some(zhang_room.clone()));
    assert_eq!(handle.direct_room(&wang), Some(wang_room.clone()));
    assert_eq!(
        handle.rooms(),
        [
            zhang_room.clone(),
            id("!direct-li:corp.example"),
            wang_room,
            team.clone(),
            id("!all:corp.example"),
        ]
    );
    assert_eq!(
        handle.group_rooms(),
        [team.clone(), id("!all:corp.example")]
    );
    assert_eq!(handle.room_name(&team).as_deref(), Some("项目组"));
    assert_eq!(
        handle.members(&team),
        [handle.bot(), zhang.clone(), li.clone()]
    );
    assert_eq!(
        created_rooms(&handle.events()),
        [
            ("!direct-zhang:corp.example", "@zhang:corp.example"),
            ("!direct-li:corp.example", "@li:corp.example"),
            ("!direct-wang:other.example", "@wang:other.example"),
        ]
        .map(|(r, f)| (r.to_owned(), f.to_owned()))
    );

    // The bot sends to a direct room, to a person by fcid and to a group room; people answer.
    let api = client(&sandbox);
    let card = send_card(&api, &zhang_room, approval_card()).await;
    let report = api
        .messages()
        .send(finchat_cui::MessageContent::text("你好"))
        .fcid(li.clone())
        .send()
        .await
        .unwrap();
    assert!(report.all_delivered(), "{report:?}");
    let li_room = handle.direct_room(&li).unwrap();
    assert_eq!(handle.messages(&li_room).len(), 1);
    send_card(&api, &team, approval_card()).await;

    let info = BTreeMap::from([("decision".to_owned(), "同意".to_owned())]);
    let submitted = handle.submit(&zhang, &zhang_room, &card, info).unwrap();
    let said = handle.say(&li, &team, "@小助手 进度如何？").unwrap();
    let events = handle.events();
    let last: Vec<(&str, &str, &str)> = events[events.len() - 2..]
        .iter()
        .map(|e| (e.event_id.as_str(), e.event_type(), e.sender.as_str()))
        .collect();
    assert_eq!(
        last,
        [
            (
                submitted.as_str(),
                "finstore.room.interactcui",
                "@zhang:corp.example"
            ),
            (said.as_str(), "m.room.message", "@li:corp.example"),
        ]
    );
    assert!(
        handle.say(&wang, &team, "我不在这个群").is_err(),
        "王五 is not in 项目组"
    );

    let page = reqwest::get(format!(
        "{}/?as={}&room={}",
        sandbox.url,
        enc(li.as_str()),
        enc(team.as_str())
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    for expected in ["张三", "李四", "王五", "项目组", "@helper:corp.example"] {
        assert!(page.contains(expected), "{expected} on the page");
    }
}

#[tokio::test]
async fn people_given_to_the_config_replace_the_default_three_and_share_the_default_group_room() {
    let config = SandboxConfig::new()
        .person("@zhang:corp.example", "张三")
        .person("@li:corp.example", "李四");
    let sandbox = start(config).await;
    let handle = &sandbox.handle;
    assert_eq!(
        handle.users(),
        [id::<Fcid>("@zhang:corp.example"), id("@li:corp.example")]
    );
    assert_eq!(handle.bot(), fcid("finchat-bot"));
    assert_eq!(handle.group_rooms(), [room("finance")]);
    assert_eq!(
        handle.room_name(&room("finance")).as_deref(),
        Some("财务部")
    );
    assert_eq!(
        handle.members(&room("finance")),
        [
            fcid("finchat-bot"),
            id("@zhang:corp.example"),
            id("@li:corp.example")
        ]
    );
    assert_eq!(types(&handle.events()), ["finstore.room.create"; 2]);

    // A person added to a world given before joins that world's people.
    let world = SandboxWorld::new().person("@a:x.example", "甲");
    let handle = Sandbox::router(
        SandboxConfig::new()
            .world(world)
            .person("@b:x.example", "乙"),
    )
    .1;
    assert_eq!(
        handle.users(),
        [id::<Fcid>("@a:x.example"), id("@b:x.example")]
    );
}

#[tokio::test]
async fn a_room_the_app_creates_never_takes_the_id_of_a_configured_group_room() {
    let world = SandboxWorld::standard().group_room("!room-1:sandbox", "一号", ["@alice:sandbox"]);
    let sandbox = start(SandboxConfig::new().world(world)).await;
    let created = client(&sandbox)
        .rooms()
        .create()
        .name("新群")
        .fcid(fcid("bob"))
        .send()
        .await
        .unwrap();
    assert_eq!(created, room("room-2"));
    assert_eq!(
        sandbox.handle.group_rooms(),
        [room("room-1"), room("room-2")]
    );
    assert_eq!(
        sandbox.handle.room_name(&room("room-1")).as_deref(),
        Some("一号")
    );
    assert_eq!(
        sandbox.handle.members(&room("room-1")),
        [fcid("finchat-bot"), fcid("alice")]
    );
    assert_eq!(
        sandbox.handle.members(&created),
        [fcid("finchat-bot"), fcid("bob")]
    );
}

#[test]
fn a_world_file_round_trips_and_may_leave_out_the_bot_and_the_rooms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let world = corp_world();
    std::fs::write(&path, serde_json::to_string_pretty(&world).unwrap()).unwrap();
    assert_eq!(SandboxWorld::from_file(&path).unwrap(), world);
    assert_eq!(
        serde_json::to_value(&world).unwrap()["rooms"][0],
        json!({"room_id": "!team:corp.example", "name": "项目组",
               "members": ["@zhang:corp.example", "@li:corp.example"]})
    );

    std::fs::write(
        &path,
        r#"{"people": [{"fcid": "@zhang:corp.example", "name": "张三"}]}"#,
    )
    .unwrap();
    let read = SandboxWorld::from_file(&path).unwrap();
    assert_eq!(
        read,
        SandboxWorld::new().person("@zhang:corp.example", "张三")
    );
    assert_eq!(read.bot_account().fcid(), "@finchat-bot:sandbox");
    assert!(read.group_rooms().is_empty());
}

#[test]
fn a_world_file_with_an_unknown_field_or_missing_people_is_refused_naming_the_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        SandboxWorld::from_file(&path).unwrap_err().to_string()
    };
    let file = path.display().to_string();
    let typo = read(r#"{"people": [{"fcid": "@a:x", "nmae": "甲"}]}"#);
    assert!(
        typo.starts_with(&format!(
            "{file}: people[0].nmae: unknown field `nmae`, expected `fcid` or `name`"
        )),
        "{typo}"
    );
    let top = read(r#"{"persons": []}"#);
    assert!(
        top.starts_with(&format!(
            "{file}: persons: unknown field `persons`, expected one of `bot`, `people`, `rooms`"
        )),
        "{top}"
    );
    let missing = read(r#"{"bot": {"fcid": "@b:x", "name": "B"}}"#);
    assert!(
        missing.starts_with(&format!("{file}: missing field `people`")),
        "{missing}"
    );
    let invalid = read(r#"{"people": [{"fcid": "zhang", "name": "张三"}]}"#);
    assert_eq!(
        invalid,
        format!(r#"{file}: people[0].fcid: "zhang" is not an fcid (@localpart:server)"#)
    );

    let absent = SandboxWorld::from_file(dir.path().join("absent.json")).unwrap_err();
    assert!(
        absent
            .to_string()
            .starts_with("cannot read the world file "),
        "{absent}"
    );
    assert!(absent.problems_found().is_empty());
}

/// The problems of `world`, each as `path: message`.
fn problems(world: &SandboxWorld) -> Vec<String> {
    match world.validate() {
        Ok(()) => Vec::new(),
        Err(error) => error
            .problems_found()
            .iter()
            .map(|p| format!("{}: {}", p.path(), p.message()))
            .collect(),
    }
}

#[test]
fn each_problem_of_a_world_is_named_by_its_place() {
    let zhang = || SandboxWorld::new().person("@zhang:corp.example", "张三");
    let cases: Vec<(SandboxWorld, &str)> = vec![
        (
            zhang().person("zhang", "张三"),
            r#"people[1].fcid: "zhang" is not an fcid (@localpart:server)"#,
        ),
        (
            zhang()
                .person("@li:corp.example", "李四")
                .person("@zhang:corp.example", "张三二"),
            r#"people[2].fcid: duplicate "@zhang:corp.example""#,
        ),
        (
            zhang().group_room(
                "!team:corp.example",
                "项目组",
                ["@zhang:corp.example", "@x:corp.example"],
            ),
            r#"rooms[0].members[1]: "@x:corp.example" is not one of the people"#,
        ),
        (
            zhang().group_room(
                "!team:corp.example",
                "项目组",
                ["@zhang:corp.example", "@zhang:corp.example"],
            ),
            r#"rooms[0].members[1]: duplicate "@zhang:corp.example""#,
        ),
        (
            zhang()
                .bot("@helper:corp.example", "小助手")
                .person("@helper:corp.example", "助手"),
            r#"people[1].fcid: "@helper:corp.example" is the bot's fcid; the bot is not one of the people"#,
        ),
        (
            zhang().person("@li:corp.example", " "),
            "people[1].name: is empty; give a display name",
        ),
        (
            zhang().bot("@helper:corp.example", ""),
            "bot.name: is empty; give a display name",
        ),
        (
            zhang().bot("helper", "小助手"),
            r#"bot.fcid: "helper" is not an fcid (@localpart:server)"#,
        ),
        (SandboxWorld::new(), "people: no people; give at least one"),
        (
            zhang()
                .group_room("!team:corp.example", "项目组", ["@zhang:corp.example"])
                .group_room("!team:corp.example", "又一个", Vec::<String>::new()),
            r#"rooms[1].room_id: duplicate "!team:corp.example""#,
        ),
        (
            zhang().group_room("team", "项目组", ["@zhang:corp.example"]),
            r#"rooms[0].room_id: "team" is not a room id (!opaque:server)"#,
        ),
        (
            zhang().group_room("!direct-zhang:corp.example", "项目组", Vec::<String>::new()),
            r#"rooms[0].room_id: "!direct-zhang:corp.example" is the direct room of "@zhang:corp.example"; give the group room another id"#,
        ),
        (
            zhang().group_room("!team:corp.example", "", ["@zhang:corp.example"]),
            "rooms[0].name: is empty; give the room a name",
        ),
    ];
    for (world, expected) in cases {
        assert_eq!(problems(&world), [expected]);
        assert_eq!(world.validate().unwrap_err().to_string(), expected);
    }

    // Every problem is reported at once.
    let several = SandboxWorld::new()
        .person("zhang", "")
        .group_room("!g:x", "G", ["@nobody:x"]);
    assert_eq!(
        several.validate().unwrap_err().to_string(),
        r#"people[0].name: is empty; give a display name; people[0].fcid: "zhang" is not an fcid (@localpart:server); rooms[0].members[0]: "@nobody:x" is not one of the people"#
    );
}

#[tokio::test]
async fn serve_refuses_a_world_that_is_not_valid_and_a_router_falls_back_to_the_standard_world() {
    let world = SandboxWorld::new()
        .person("@zhang:corp.example", "张三")
        .person("zhang", "张三");
    let error = Sandbox::serve(SandboxConfig::new().world(world.clone()), "127.0.0.1:0")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(
        error.to_string(),
        r#"people[1].fcid: "zhang" is not an fcid (@localpart:server)"#
    );
    let inner = error.get_ref().and_then(|e| e.downcast_ref::<WorldError>());
    assert_eq!(inner, Some(&world.validate().unwrap_err()));

    let (_, handle) = Sandbox::router(SandboxConfig::new().world(world));
    assert_eq!(handle.users(), [fcid("alice"), fcid("bob"), fcid("carol")]);
    handle.reset();
    assert_eq!(handle.users(), [fcid("alice"), fcid("bob"), fcid("carol")]);
}

#[tokio::test]
async fn with_a_state_file_the_files_world_wins_after_the_first_start_until_a_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.json");
    let first = start(SandboxConfig::new().world(corp_world()).state_file(&path)).await;
    first.shutdown().await;

    let config = SandboxConfig::new()
        .person("@new:corp.example", "新人")
        .state_file(&path);
    let second = start(config).await;
    assert_eq!(
        second.handle.person_named("张三"),
        Some(id("@zhang:corp.example")),
        "the file's world"
    );
    second.handle.reset();
    assert_eq!(second.handle.users(), [id::<Fcid>("@new:corp.example")]);
    second.handle.flush().await.unwrap();
    let state: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        state["people"],
        json!([{"fcid": "@new:corp.example", "name": "新人"}])
    );
}

/// A raw call of the API with `token`: the status.
async fn send_with_token(sandbox: &finchat_sandbox::RunningSandbox, token: &str) -> u16 {
    let body = json!({"app_id": "sandbox-app", "room_ids": ["!direct-alice:sandbox"],
                      "content": {"msgtype": "m.text", "body": "还在吗"}});
    let path = format!("{OPEN}/message/send");
    api_call(
        sandbox,
        reqwest::Method::POST,
        &path,
        Some(token),
        Some(body),
    )
    .await
    .0
}

#[tokio::test]
async fn reset_clears_messages_media_and_events_keeps_the_token_and_counts_event_ids_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.json");
    let sandbox = start(SandboxConfig::new().state_file(&path)).await;
    let handle = &sandbox.handle;
    let api = client(&sandbox);
    let card = send_card(&api, &room("direct-alice"), approval_card()).await;
    let info = BTreeMap::from([("decision".to_owned(), "同意".to_owned())]);
    handle
        .submit(&fcid("alice"), &room("direct-alice"), &card, info)
        .unwrap();
    handle
        .say(&fcid("bob"), &room("finance"), "@机器人 在吗")
        .unwrap();
    let uri = api
        .media()
        .upload(b"\x89PNG fake".to_vec(), "image/png")
        .await
        .unwrap();
    let created = api
        .rooms()
        .create()
        .name("临时群")
        .fcid(fcid("carol"))
        .send()
        .await
        .unwrap();
    handle.flush().await.unwrap();
    let media_file = dir.path().join("sandbox.json.media").join(uri.media_id());
    assert!(media_file.exists());
    let token = raw_token(&sandbox).await;
    assert_eq!(send_with_token(&sandbox, &token).await, 200);
    let before = handle.events();
    let last_before = before.last().unwrap().event_id.clone();
    assert!(!handle.activity().is_empty());

    handle.reset();
    assert!(handle.activity().is_empty(), "the activity log is cleared");

    for room_id in handle.rooms() {
        assert!(handle.messages(&room_id).is_empty(), "{room_id} is empty");
    }
    assert!(!handle.rooms().contains(&created), "the app's room is gone");
    let after = handle.events();
    assert_eq!(types(&after), ["finstore.room.create"; 3]);
    assert_eq!(created_rooms(&after), created_rooms(&before[..3]));
    assert!(
        after[0].event_id > last_before,
        "{} after {last_before}",
        after[0].event_id
    );

    // The token a bot holds still works, with no new one asked for.
    assert_eq!(send_with_token(&sandbox, &token).await, 200);
    assert!(verify_token(&sandbox, &token).await);
    assert!(
        api.media().download(&uri).await.is_err(),
        "the upload is gone"
    );

    // A poller that had read everything before the reset gets the new events, nothing skipped.
    let page = api
        .forwarder()
        .events()
        .since(&last_before)
        .send()
        .await
        .unwrap();
    let polled: Vec<&str> = page
        .events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(polled, event_ids(&sandbox));

    // The state file holds the reset world, and the upload's file is gone.
    handle.flush().await.unwrap();
    let state: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(state["events"].as_array().unwrap().len(), 3);
    let alice = &state["rooms"][0];
    assert_eq!(alice["room_id"], "!direct-alice:sandbox");
    assert_eq!(
        alice["messages"].as_array().unwrap().len(),
        1,
        "the send after the reset"
    );
    assert_eq!(state["media"], json!({}));
    assert!(!media_file.exists());
}

/// A callback that holds its first push until released, and records the event id of each.
#[derive(Clone)]
struct HeldCallback {
    seen: Arc<Mutex<Vec<String>>>,
    arrived: Arc<Mutex<Option<oneshot::Sender<()>>>>,
    release: Arc<Semaphore>,
}

async fn held_push(State(callback): State<HeldCallback>, body: axum::body::Bytes) -> StatusCode {
    let body: Value = serde_json::from_slice(&body).unwrap();
    let first = callback.arrived.lock().unwrap().take();
    if let Some(arrived) = first {
        arrived.send(()).ok();
        callback.release.acquire().await.unwrap().forget();
    }
    let event_id = body["event"]["event_id"].as_str().unwrap().to_owned();
    callback.seen.lock().unwrap().push(event_id);
    StatusCode::OK
}

#[tokio::test]
async fn a_push_under_way_during_a_reset_is_finished_and_the_new_events_are_all_pushed() {
    let (arrived, first_arrived) = oneshot::channel();
    let callback = HeldCallback {
        arrived: Arc::new(Mutex::new(Some(arrived))),
        release: Arc::new(Semaphore::new(0)),
        seen: Arc::default(),
    };
    let url = serve(
        Router::new()
            .route("/callback", put(held_push))
            .with_state(callback.clone()),
    )
    .await;
    let sandbox = start(SandboxConfig::new().callback(format!("{url}/callback"), "t")).await;
    let first = event_ids(&sandbox);
    first_arrived.await.unwrap();

    // The first event's push is under way, at the index the new first event will have.
    sandbox.handle.reset();
    let new = event_ids(&sandbox);
    callback.release.add_permits(1);

    wait_until("the new events are pushed", || {
        callback.seen.lock().unwrap().len() == 4
    })
    .await;
    let seen = callback.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [&first[0], &new[0], &new[1], &new[2]].map(String::clone)
    );
    wait_until("their pushes are recorded", || {
        sandbox.handle.pushes().len() == 4
    })
    .await;
    let pushes = sandbox.handle.pushes();
    let recorded: Vec<&str> = pushes.iter().map(|p| p.event_id.as_str()).collect();
    assert_eq!(
        recorded,
        [&first[0], &new[0], &new[1], &new[2]].map(String::as_str)
    );
    assert!(pushes.iter().all(|p| p.outcome == PushOutcome::Delivered));
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        callback.seen.lock().unwrap().len(),
        4,
        "nothing pushed twice"
    );
}

#[tokio::test]
async fn reset_over_http_and_the_pages_button() {
    let sandbox = start(SandboxConfig::new()).await;
    let handle = &sandbox.handle;
    handle
        .say(&fcid("alice"), &room("direct-alice"), "一")
        .unwrap();

    let post = |path: &str| browser().post(format!("{}{path}", sandbox.url));
    let not_json = post("/sandbox/api/reset").send().await.unwrap();
    assert_eq!(not_json.status(), 415);
    let forged = post("/sandbox/api/reset")
        .header("origin", "http://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(handle.events().len(), 4, "not reset");

    let reset = post("/sandbox/api/reset")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert_eq!(reset.json::<Value>().await.unwrap(), json!({"ok": true}));
    assert_eq!(types(&handle.events()), ["finstore.room.create"; 3]);
    assert!(handle.messages(&room("direct-alice")).is_empty());

    // The page's button: a form of its own in the header.
    handle.say(&fcid("bob"), &room("direct-bob"), "二").unwrap();
    let page = crate::support::page(&sandbox, "bob", &room("direct-bob")).await;
    let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
    assert!(
        header.contains(
            "<form class=\"sb-reset\" method=\"post\" action=\"/sandbox/reset\">\
             <input type=\"hidden\" name=\"as\" value=\"@bob:sandbox\">\
             <button type=\"submit\""
        ),
        "{header}"
    );
    assert!(header.contains(">重置沙盒</button></form>"), "{header}");

    let form = format!("as={}", enc("@bob:sandbox"));
    let without_origin = post("/sandbox/reset")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(without_origin.status(), 403);
    assert_eq!(handle.messages(&room("direct-bob")).len(), 1, "not reset");
    let pressed = post_form(&sandbox, "/sandbox/reset", form).await;
    assert_eq!(pressed.status(), 303);
    assert_eq!(
        pressed.headers()["location"],
        format!("/?as={}", enc("@bob:sandbox")).as_str()
    );
    assert!(handle.messages(&room("direct-bob")).is_empty());
    let nobody = post_form(&sandbox, "/sandbox/reset", "as=nobody").await;
    assert_eq!(nobody.headers()["location"], "/");
}
