//! `Dispatcher::on_command`: a message addressed as a command reaches the handler typed (or with
//! the error to answer), and chat falls through to the next route (issue 15, part 1).

use std::sync::{Arc, Mutex};

use finchat_client::events::Event;
use finchat_client::{Dispatched, Dispatcher};
use finchat_cui::{CuiCommands, MessageContent};
use serde_json::{Value, json};

#[derive(Debug, PartialEq, CuiCommands)]
enum Command {
    /// 报销：金额与事由
    Expense { amount: u32, reason: Option<String> },
    /// 显示帮助
    Help,
}

/// What the routes saw: `command: …` for the command route, `chat: …` for the message route.
#[derive(Default)]
struct Seen(Mutex<Vec<String>>);

impl Seen {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn message(content: Value) -> Event {
    serde_json::from_value(json!({
        "event_id": "$said:example.org",
        "type": "m.room.message",
        "sender": "@alice:example.org",
        "timestamp": 1_700_000_000_000_i64,
        "room_id": "!finance:example.org",
        "room_type": "multi_room",
        "content": content,
    }))
    .unwrap()
}

fn text(body: &str) -> Event {
    message(json!({"msgtype": "m.text", "body": body}))
}

fn alert(body: &str) -> Event {
    message(json!({"msgtype": "m.alert", "body": body}))
}

fn dispatcher() -> Dispatcher<Seen> {
    Dispatcher::new(Seen::default())
        .on_command::<Command, _, _>(|seen, event, command| async move {
            assert_eq!(event.sender, "@alice:example.org");
            let line = match command {
                Ok(command) => format!("command: {command:?}"),
                Err(error) => format!("error: {error}"),
            };
            seen.push(line);
            Ok(())
        })
        .on_message(|seen, _, message| async move {
            seen.push(format!("chat: {}", message.body().unwrap_or_default()));
            Ok(())
        })
}

async fn seen_after(events: impl IntoIterator<Item = Event>) -> Vec<String> {
    let dispatcher = dispatcher();
    for event in events {
        assert_eq!(
            dispatcher.dispatch(event).await.unwrap(),
            Dispatched::Handled
        );
    }
    dispatcher.state().lines()
}

#[tokio::test]
async fn a_command_in_a_direct_room_or_a_mention_reaches_the_handler_typed() {
    let seen = seen_after([
        text("/expense 1200 差旅"),
        alert("@FinChat小助手 help"),
        alert("@FinChat小助手\u{3000}/expense 80"),
    ])
    .await;
    assert_eq!(
        seen,
        [
            "command: Expense { amount: 1200, reason: Some(\"差旅\") }",
            "command: Help",
            "command: Expense { amount: 80, reason: None }",
        ]
    );
}

#[tokio::test]
async fn chat_falls_through_to_the_next_route() {
    let seen = seen_after([text("午饭吃什么"), alert("@FinChat小助手 你好")]).await;
    assert_eq!(seen, ["chat: 午饭吃什么", "chat: @FinChat小助手 你好"]);
}

#[tokio::test]
async fn a_command_that_does_not_read_reaches_the_handler_with_the_error_to_answer() {
    let seen = seen_after([
        text("/expense lots"),
        text("/expnse 5"),
        alert("@bot /help me"),
    ])
    .await;
    assert_eq!(
        seen,
        [
            "error: /expense: <amount> expected a non-negative integer, found \"lots\" \
             (invalid digit found in string); usage: /expense <amount> [reason…]",
            "error: unknown command `/expnse`; did you mean `/expense`?",
            "error: /help: too many arguments, \"me\" is left over; usage: /help",
        ]
    );
}

#[tokio::test]
async fn other_msgtypes_and_events_are_not_commands() {
    let dispatcher =
        Dispatcher::new(Seen::default()).on_command::<Command, _, _>(|seen, _, _| async move {
            seen.push("command".to_owned());
            Ok(())
        });
    let card = MessageContent::from(Command::help_card());
    let events = [
        message(serde_json::to_value(card).unwrap()),
        message(json!({"msgtype": "m.notice", "body": "/help"})),
    ];
    for event in events {
        assert_eq!(
            dispatcher.dispatch(event).await.unwrap(),
            Dispatched::NoHandler
        );
    }
    assert!(Arc::clone(dispatcher.state()).lines().is_empty());
}
