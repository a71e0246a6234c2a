//! Card templates (`finchat_cui::template`) from arbitrary text, and bot commands
//! (`#[derive(CuiCommands)]`) from arbitrary message bodies: what people who do not write Rust type.
//! Nothing may panic. A template's every mistake must point inside the text (a line and a column
//! that exist, or one past the end); a template that renders must give content that validates and
//! reads back as itself; an @-mention before a command body must not change what it reads as.
#![no_main]

use finchat_cui::template::Template;
use finchat_cui::{CuiCommands, MessageContent};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// Commands of every argument shape: none, required and optional, a typed value, the rest.
#[derive(Debug, PartialEq, CuiCommands)]
#[allow(dead_code)]
enum Command {
    /// 报销
    #[cui(alias = "报销")]
    Expense { amount: u32, reason: Option<String> },
    /// 请假
    Leave(u8, #[cui(rest)] String),
    /// 帮助
    Help,
    /// 查询
    Find { city: String, day: Option<i32> },
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    template(text);
    command(text);
});

/// Data with a value of each JSON kind under names a template is likely to use.
fn data() -> serde_json::Value {
    json!({
        "title": "报销申请 #42", "id": 42, "amount": 1200, "urgent": true, "none": null,
        "empty": "", "zero": 0, "ratio": 0.5, "list": [], "obj": {},
        "items": [{"what": "机票", "amount": 1200}, {"what": "<script>", "amount": -1}],
        "names": ["甲", "乙", "\"\\"],
        "claim": {"id": 7, "applicant": "张三", "amount": 3, "src": "mxc://example.org/abc",
                  "url": "https://example.org/a", "fcids": ["@a:example.org"]},
    })
}

fn template(text: &str) {
    let template = match Template::parse(text) {
        Ok(template) => template,
        Err(errors) => {
            let lines: Vec<&str> = text.split('\n').collect();
            for error in errors.iter() {
                let (line, column) = (error.position.line as usize, error.position.column as usize);
                assert!(line >= 1 && line <= lines.len(), "line {line} of {}: {error:?}", lines.len());
                let width = lines[line - 1].chars().count();
                assert!(column >= 1 && column <= width + 1, "column {column} of {width}: {error:?}");
                assert!(!error.message.is_empty());
            }
            return;
        }
    };
    let Ok(content) = template.render(&data()) else {
        return;
    };
    if let Err(problems) = content.validate() {
        panic!("a rendered template is invalid: {problems}\n--- template ---\n{text}");
    }
    let json = serde_json::to_value(&content).expect("rendered content serialises");
    let again: MessageContent = serde_json::from_value(json.clone()).expect("and reads back");
    assert_eq!(serde_json::to_value(&again).unwrap(), json, "the same content");
    let _ = content.lint();
    let _ = content.to_plain_text();
}

fn command(body: &str) {
    // An @-mention before a body changes nothing in what a command body says: the same command,
    // or the same mistake. (Only a body that is not a command at all may become one, since after a
    // mention the prefix can be left out.)
    let mentioned = Command::parse(&format!("@FinChat小助手 {body}"));
    match Command::parse(body) {
        Ok(command) => assert_eq!(mentioned.ok(), Some(command), "{body:?}"),
        Err(error) if !error.is_not_a_command() => assert_eq!(
            mentioned.map_err(|e| e.to_string()).err(),
            Some(error.to_string()),
            "{body:?}"
        ),
        Err(_) => {}
    }
}
