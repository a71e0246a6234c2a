//! A bot with typed commands, end to end through the sandbox: a command in a direct room (`m.text`),
//! one @-mentioning the bot in a group room (`m.alert`), a mistyped one answered with the error,
//! the help card, and chat that goes on to the chat handler (issue 15, part 1).

use finchat_client::{Client, Dispatcher, HandlerError};
use finchat_cui::{CuiCommands, MessageContent, RoomId};
use finchat_test::{SandboxConfig, TestWorld};

#[derive(CuiCommands)]
enum Command {
    /// 报销：金额与事由
    Expense { amount: u32, reason: Option<String> },
    /// 显示帮助
    #[cui(alias = "帮助")]
    Help,
}

/// Answers each command in the room it came from; answers errors with their text; says `嗯` to chat.
fn expense_bot(client: Client) -> Dispatcher<Client> {
    Dispatcher::new(client)
        .on_command::<Command, _, _>(|client, event, command| async move {
            let answer = match command {
                Ok(Command::Expense { amount, reason }) => MessageContent::text(format!(
                    "已记录 ¥{amount}（{}）",
                    reason.as_deref().unwrap_or("无事由")
                )),
                Ok(Command::Help) => MessageContent::from(Command::help_card()),
                Err(error) => MessageContent::text(error.to_string()),
            };
            let room: RoomId = event.room_id.unwrap_or_default().parse()?;
            client.messages().send(answer).room(room).send().await?;
            Ok::<(), HandlerError>(())
        })
        .on_message(|client, event, _| async move {
            let room: RoomId = event.room_id.unwrap_or_default().parse()?;
            let answer = MessageContent::text("嗯");
            client.messages().send(answer).room(room).send().await?;
            Ok(())
        })
}

#[tokio::test(start_paused = true)]
async fn people_give_commands_in_a_direct_room_and_by_mentioning_the_bot() {
    let world = TestWorld::with_config(SandboxConfig::new()).await;
    world.serve(expense_bot(world.client()));
    let zhang = world.person("张三");
    zhang.say("/expense 1200 北京 出差").await;
    zhang
        .direct_room()
        .assert_posted("已记录 ¥1200（北京 出差）");

    let finance = world.room("财务部");
    zhang.mention_in(&finance, "expense 80").await;
    finance.assert_posted("已记录 ¥80（无事由）");
    zhang.mention_in(&finance, "/expnse 5").await;
    finance.assert_posted("unknown command `/expnse`; did you mean `/expense`?");
    zhang.mention_in(&finance, "/expense 很多").await;
    finance.assert_posted("/expense: <amount> expected a non-negative integer, found \"很多\"");
    zhang.mention_in(&finance, "帮助").await;
    finance
        .last_card()
        .assert_contains("/expense <amount> [reason…]")
        .assert_contains("显示帮助");
    zhang.mention_in(&finance, "你好").await;
    finance.assert_posted("嗯");
}
