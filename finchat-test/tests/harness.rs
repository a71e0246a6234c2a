//! The harness itself: people talk, the bot answers, assertions say what the bot did instead, a
//! failed push shows its redelivery, a world of one's own, and a bot that hangs is named.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use finchat_client::{Client, Dispatcher, HandlerError};
use finchat_cui::{MessageContent, RoomId};
use finchat_test::{PushAnswer, PushState, SandboxConfig, TestWorld};

/// A bot that answers every message with `echo: <body>` in its room, and fails (once) on `fail`.
fn echo_bot(client: Client, failures: Arc<AtomicUsize>) -> Dispatcher<Client> {
    Dispatcher::new(client).on_message(move |client, event, message| {
        let failures = Arc::clone(&failures);
        async move {
            let body = message.body().unwrap_or_default().to_owned();
            if body.ends_with("fail") && failures.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err(HandlerError::msg("the first try fails"));
            }
            let room: RoomId = event.room_id.unwrap_or_default().parse()?;
            let answer = MessageContent::text(format!("echo: {body}"));
            client.messages().send(answer).room(room).send().await?;
            Ok(())
        }
    })
}

async fn echo_world(config: SandboxConfig) -> TestWorld {
    let world = TestWorld::with_config(config).await;
    world.serve(echo_bot(world.client(), Arc::default()));
    world
}

#[tokio::test(start_paused = true)]
async fn a_person_talks_and_the_bot_answers_in_their_room() {
    let world = echo_world(SandboxConfig::new()).await;
    let zhang = world.person("张三");
    zhang.say("你好").await;
    zhang.direct_room().assert_posted("echo: 你好");

    // In a group room the bot hears only what @-mentions it.
    let finance = world.room("财务部");
    zhang.say_in(&finance, "大家好").await;
    finance.assert_not_posted("大家好");
    zhang.mention_in(&finance, "报销").await;
    finance.assert_posted("报销");
    assert_eq!(
        world.room("!finance:sandbox").transcript(),
        "== 财务部 (!finance:sandbox) ==\n\
         张三: 大家好\n\
         张三: @机器人 报销\n\
         机器人: echo: @机器人 报销\n"
    );
}

#[tokio::test(start_paused = true)]
#[should_panic(
    expected = "expected the bot to post \"再见\" in 李四 ↔ 机器人 (!direct-bob:sandbox); it posted:\n== 李四 ↔ 机器人 (!direct-bob:sandbox) ==\n李四: 你好\n机器人: echo: 你好"
)]
async fn an_assertion_that_fails_shows_what_the_bot_posted_instead() {
    let world = echo_world(SandboxConfig::new()).await;
    let li = world.person("李四");
    li.say("你好").await;
    li.direct_room().assert_posted("再见");
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "no person `赵六` in the sandbox; there are 张三 (@alice:sandbox)")]
async fn an_unknown_person_is_named_with_who_there_is() {
    let world = TestWorld::start().await;
    world.person("赵六");
}

#[tokio::test(start_paused = true)]
async fn a_failed_push_is_redelivered_when_its_time_comes() {
    let world = echo_world(SandboxConfig::new()).await;
    let zhang = world.person("张三");
    zhang.say("please fail").await;
    let room = zhang.direct_room();
    room.assert_not_posted("echo");
    let last = world.pushes().pop().unwrap();
    assert_eq!(last.state, PushState::Retrying);
    assert!(
        matches!(last.attempts[0].answer, PushAnswer::Refused { .. }),
        "{last:?}"
    );

    // The sandbox retries after a second, as FinChat does; the paused clock lets it pass at once.
    world.advance(Duration::from_secs(2)).await;
    room.assert_posted("echo: please fail");
    let last = world.pushes().pop().unwrap();
    assert_eq!(last.state, PushState::Delivered);
    assert_eq!(last.attempts.len(), 2);
    assert!(matches!(last.attempts[1].answer, PushAnswer::Acked));
}

#[tokio::test(start_paused = true)]
async fn a_world_of_ones_own_people() {
    let config = SandboxConfig::new()
        .person("@zhang:corp.example", "张三")
        .person("@li:corp.example", "李四");
    let world = echo_world(config).await;
    let zhang = world.person("张三");
    assert_eq!(zhang.fcid().as_str(), "@zhang:corp.example");
    assert_eq!(world.people().len(), 2);
    zhang.say("hi").await;
    zhang.direct_room().assert_posted("echo: hi");
}

#[tokio::test]
#[should_panic(expected = "the bot has not answered the push of")]
async fn a_bot_that_hangs_is_named_by_the_push_it_holds() {
    let world = TestWorld::start()
        .await
        .with_settle_limit(Duration::from_secs(1));
    world.serve(Dispatcher::new(()).on_message(|_, _, _| async {
        std::future::pending::<()>().await;
        Ok(())
    }));
    world.person("张三").say("hello").await;
}

#[tokio::test(start_paused = true)]
async fn settling_does_not_depend_on_the_activity_log() {
    // The log is capped and can be cleared; what the bot has still to answer is the sandbox's.
    let world = echo_world(SandboxConfig::new())
        .await
        .with_settle_limit(Duration::from_secs(2));
    let zhang = world.person("张三");
    zhang.say("first").await;
    world.sandbox().clear_activity();
    zhang.say("second").await;
    zhang.direct_room().assert_posted("echo: second");
}
