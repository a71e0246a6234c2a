//! `#[derive(CuiCommands)]`: bodies as FinChat delivers them (`m.text` in a direct room, `m.alert`
//! with the bot's @-mention in a group room) read into typed commands, errors that say what was
//! expected, and the generated help.

use std::net::Ipv4Addr;

use finchat_cui::commands::ArgumentKind;
use finchat_cui::{CommandErrorKind, CuiCommands, MessageContent, TextContent};

use crate::support::{snapshot, snapshot_text};

/// What an expense bot answers to.
#[derive(Debug, PartialEq, CuiCommands)]
enum Command {
    /// 报销：金额，以及可选的事由
    ///
    /// Shown only in the code: the help takes the first paragraph.
    Expense { amount: u32, reason: Option<String> },
    /// 查询某人某月的报销
    #[cui(alias = "查询", alias = "q")]
    Lookup { who: String, month: u8 },
    /// 退回一笔报销，并说明原因
    Reject(u64, #[cui(name = "reason")] String),
    /// 只接受一个地址
    Ping(Option<Ipv4Addr>),
    #[cui(description = "显示帮助", rename = "help")]
    Manual,
}

#[derive(Debug, PartialEq, CuiCommands)]
#[cui(prefix = "!", rename_rule = "snake_case")]
enum Admin {
    /// 重新开始
    StartOver,
    /// 发公告
    Announce {
        #[cui(rest)]
        text: Option<String>,
    },
}

#[test]
fn typed_arguments_are_read_in_order() {
    assert_eq!(
        Command::parse("/expense 1200 差旅"),
        Ok(Command::Expense {
            amount: 1200,
            reason: Some("差旅".into())
        })
    );
    assert_eq!(
        Command::parse("/expense 1200"),
        Ok(Command::Expense {
            amount: 1200,
            reason: None
        })
    );
    assert_eq!(
        Command::parse("/reject 42 发票 不清楚"),
        Ok(Command::Reject(42, "发票 不清楚".into()))
    );
    assert_eq!(
        Command::parse("/ping 10.0.0.1"),
        Ok(Command::Ping(Some(Ipv4Addr::new(10, 0, 0, 1))))
    );
    assert_eq!(Command::parse("/ping"), Ok(Command::Ping(None)));
    assert_eq!(Command::parse("/help"), Ok(Command::Manual));
}

#[test]
fn quoted_arguments_keep_their_spaces_in_ascii_or_full_width_quotes() {
    let expected = Command::Lookup {
        who: "张 三".into(),
        month: 12,
    };
    assert_eq!(Command::parse(r#"/lookup "张 三" 12"#), Ok(expected));
    assert_eq!(
        Command::parse("/q “李 四” 3"),
        Ok(Command::Lookup {
            who: "李 四".into(),
            month: 3
        })
    );
    assert_eq!(
        Command::parse("/expense 1200 “去 北京”"),
        Ok(Command::Expense {
            amount: 1200,
            reason: Some("去 北京".into())
        })
    );
}

#[test]
fn the_trailing_text_takes_the_rest_with_its_spaces() {
    assert_eq!(
        Command::parse("/expense  1200   去北京   出差 "),
        Ok(Command::Expense {
            amount: 1200,
            reason: Some("去北京   出差".into())
        })
    );
    assert_eq!(
        Admin::parse("!announce 周五 下午 停电"),
        Ok(Admin::Announce {
            text: Some("周五 下午 停电".into())
        })
    );
    assert_eq!(
        Admin::parse("!announce"),
        Ok(Admin::Announce { text: None })
    );
}

#[test]
fn the_bots_mention_is_taken_off_as_the_seeds_alert_sample_sends_it() {
    // The seeds' `m.alert` sample body: `@FinChat小助手 test`.
    #[derive(Debug, PartialEq, CuiCommands)]
    enum Seed {
        Test,
    }
    let alert: MessageContent = serde_json::from_value(serde_json::json!({
        "msgtype": "m.alert",
        "body": "@FinChat小助手 test"
    }))
    .unwrap();
    assert_eq!(Seed::from_content(&alert), Ok(Seed::Test));
    for body in [
        "@FinChat小助手 /test",
        "@FinChat小助手\u{3000}test",
        "  @FinChat小助手  @张三 Test ",
        "＠FinChat小助手 ／test",
    ] {
        assert_eq!(Seed::parse(body), Ok(Seed::Test), "{body:?}");
    }
}

#[test]
fn text_and_alert_bodies_are_read_and_other_msgtypes_are_not_commands() {
    let text = MessageContent::Text(TextContent::new("/expense 5"));
    let alert = MessageContent::Alert(TextContent::new("@机器人 expense 5"));
    let five = Command::Expense {
        amount: 5,
        reason: None,
    };
    assert_eq!(Command::from_content(&text), Ok(five));
    assert_eq!(
        Command::from_content(&alert),
        Ok(Command::Expense {
            amount: 5,
            reason: None
        })
    );
    let card = Command::help_card();
    let error = Command::from_content(&MessageContent::from(card)).unwrap_err();
    assert!(error.is_not_a_command());
}

#[test]
fn chat_is_not_a_command_so_other_routes_can_take_it() {
    for body in [
        "午饭吃什么",
        "",
        "   ",
        "/",
        "@机器人 你好",
        "@机器人",
        "see /expense",
    ] {
        let error = Command::parse(body).unwrap_err();
        assert!(error.is_not_a_command(), "{body:?}: {error}");
    }
    assert_eq!(
        Command::parse("hi").unwrap_err().to_string(),
        "not a command: a command starts with `/`, e.g. `/expense`"
    );
    // The example is one of the enum's commands, not a `help` it may not have.
    assert_eq!(
        Admin::parse("hi").unwrap_err().to_string(),
        "not a command: a command starts with `!`, e.g. `!start_over`"
    );
}

#[test]
fn a_mistyped_command_gets_a_did_you_mean_or_the_list() {
    assert_eq!(
        Command::parse("/expnse 1200").unwrap_err().to_string(),
        "unknown command `/expnse`; did you mean `/expense`?"
    );
    assert_eq!(
        Command::parse("/Lookupp 张三 1").unwrap_err().to_string(),
        "unknown command `/Lookupp`; did you mean `/lookup`?"
    );
    let far = Command::parse("/weather").unwrap_err();
    assert_eq!(
        far.to_string(),
        "unknown command `/weather`; the commands are /expense, /lookup, /reject, /ping, /help"
    );
    assert!(!far.is_not_a_command());
    assert!(matches!(
        far.kind(),
        CommandErrorKind::UnknownCommand {
            suggestion: None,
            ..
        }
    ));
}

#[test]
fn names_ignore_ascii_case_as_phones_capitalise() {
    assert_eq!(Command::parse("/HELP"), Ok(Command::Manual));
    assert_eq!(Command::parse("@bot Help"), Ok(Command::Manual));
    assert_eq!(Admin::parse("!Start_Over"), Ok(Admin::StartOver));
}

#[test]
fn argument_errors_name_the_argument_and_show_the_usage() {
    let missing = Command::parse("/lookup 张三").unwrap_err();
    assert_eq!(
        missing.to_string(),
        "/lookup: missing <month>; usage: /lookup <who> <month>"
    );
    assert_eq!(missing.usage(), Some("/lookup <who> <month>"));
    assert_eq!(
        Command::parse("/lookup 张三 13月").unwrap_err().to_string(),
        "/lookup: <month> expected a non-negative integer, found \"13月\" \
         (invalid digit found in string); usage: /lookup <who> <month>"
    );
    assert_eq!(
        Command::parse("/lookup 张三 300").unwrap_err().to_string(),
        "/lookup: <month> expected a non-negative integer, found \"300\" \
         (number too large to fit in target type); usage: /lookup <who> <month>"
    );
    assert_eq!(
        Command::parse("/ping localhost").unwrap_err().to_string(),
        "/ping: [ipv4addr] expected `Ipv4Addr`, found \"localhost\" \
         (invalid IPv4 address syntax); usage: /ping [ipv4addr]"
    );
    assert_eq!(
        Command::parse("/reject 42").unwrap_err().to_string(),
        "/reject: missing <reason…>; usage: /reject <u64> <reason…>"
    );
}

#[test]
fn text_after_the_last_argument_is_too_many() {
    assert_eq!(
        Command::parse("/help me please").unwrap_err().to_string(),
        "/help: too many arguments, \"me please\" is left over; usage: /help"
    );
    assert_eq!(
        Command::parse("/ping 10.0.0.1 10.0.0.2")
            .unwrap_err()
            .to_string(),
        "/ping: too many arguments, \"10.0.0.2\" is left over; usage: /ping [ipv4addr]"
    );
}

/// A Chinese keyboard in full-width mode types U+3000 for a space; the error is sent to the user as
/// it is, so it shows their text as typed, not as a Rust escape (`\u{3000}`).
#[test]
fn errors_quote_the_users_text_as_typed_with_full_width_spaces() {
    assert_eq!(
        Command::parse("/help 我\u{3000}要")
            .unwrap_err()
            .to_string(),
        "/help: too many arguments, \"我\u{3000}要\" is left over; usage: /help"
    );
    assert_eq!(
        Command::parse("/lookup 张三 “十\u{3000}二”")
            .unwrap_err()
            .to_string(),
        "/lookup: <month> expected a non-negative integer, found \"十\u{3000}二\" \
         (invalid digit found in string); usage: /lookup <who> <month>"
    );
}

#[test]
fn the_command_set_describes_each_command() {
    let set = Command::command_set();
    assert_eq!(set.prefix(), "/");
    let lookup = &set.commands()[1];
    assert_eq!(lookup.name(), "lookup");
    assert_eq!(lookup.aliases(), ["查询", "q"]);
    assert_eq!(lookup.usage("/"), "/lookup <who> <month>");
    let kinds: Vec<ArgumentKind> = set.commands()[0]
        .arguments()
        .iter()
        .map(|argument| argument.kind())
        .collect();
    assert_eq!(kinds, [ArgumentKind::Required, ArgumentKind::OptionalRest]);
    assert_eq!(Admin::command_set().commands()[0].name(), "start_over");
}

#[test]
fn the_help_text_lists_each_command_with_its_usage() {
    snapshot_text("commands_help_text", &Command::help_text());
}

#[test]
fn the_help_card_is_a_valid_card_listing_each_command() {
    let content = MessageContent::from(Command::help_card());
    content.validate().unwrap();
    snapshot("commands_help_card", &content);
}
