//! Building and reading a 30-element approval card, against what a user would write without this
//! crate: `serde_json::json!` to build, plain `#[derive(Deserialize)]` structs to read.
//!
//! Run: `cargo bench -p finchat-cui --bench card`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use finchat_cui::element::{Dropdown, Reply, TextInput};
use finchat_cui::{Card, Color, CuiContent, MessageContent};
use serde::Deserialize;
use serde_json::{Value, json};

const DETAILS: [(&str, &str); 10] = [
    ("申请人", "张三"),
    ("部门", "财务部"),
    ("金额", "¥12,000.00"),
    ("事由", "2026年第四季度差旅报销"),
    ("发票", "8 张"),
    ("提交时间", "2026-11-20 14:32"),
    ("审批人", "李四"),
    ("抄送", "王五, 赵六"),
    ("项目", "FinChat 私有化部署 POC"),
    ("备注", "含高铁票与酒店住宿"),
];
const INPUTS: [(&str, &str, &str); 6] = [
    ("amount", "核定金额", "12000"),
    ("invoice_no", "发票号", "INV-2026-0042"),
    ("cost_center", "成本中心", "CC-310"),
    ("budget", "预算科目", "差旅费"),
    ("comment", "审批意见", ""),
    ("due", "付款日期", "2026-11-30"),
];
const DROPDOWNS: [(&str, &str); 6] = [
    ("dept", "部门"),
    ("currency", "币种"),
    ("payment", "付款方式"),
    ("priority", "优先级"),
    ("region", "地区"),
    ("category", "类别"),
];
const OPTIONS: [(&str, &str); 4] = [
    ("选项一", "a"),
    ("选项二", "b"),
    ("选项三", "c"),
    ("选项四", "d"),
];
const REPLIES: [&str; 3] = ["同意", "驳回", "转交"];

/// 1 title + 1 divider + 1 image + 10 details + 6 inputs + 6 dropdowns + 3 replies + submit + link.
fn with_builders() -> MessageContent {
    let mut card = Card::form()
        .text("报销申请 #42")
        .element(
            finchat_cui::element::Divider::new()
                .height(1)
                .background(Color::parse("#e5e5e5").unwrap()),
        )
        .image(
            "mxc://example.org/6465762e66696e6f6765656b732e636c7562"
                .parse()
                .unwrap(),
        );
    for (label, value) in DETAILS {
        card = card.text(format!("{label}：{value}"));
    }
    for (key, placeholder, value) in INPUTS {
        card = card.input(TextInput::new(key).placeholder(placeholder).value(value));
    }
    for (key, placeholder) in DROPDOWNS {
        let mut dropdown = Dropdown::new(key).placeholder(placeholder).value("a");
        for (label, value) in OPTIONS {
            dropdown = dropdown.option(label, value);
        }
        card = card.dropdown(dropdown);
    }
    for caption in REPLIES {
        card = card.reply(Reply::new("decision", caption));
    }
    let card = card
        .submit("提交")
        .openurl("查看详情", "https://example.org/claims/42".parse().unwrap());
    CuiContent::new(card).into()
}

/// The same card written with `json!`, as a user without this crate would.
fn with_json_macro() -> Value {
    let mut elements = vec![
        json!({"type": "context", "subtype": "text", "value": "报销申请 #42"}),
        json!({"type": "divider", "subtype": "divider", "height": "1", "background": "#e5e5e5"}),
        json!({"type": "image", "subtype": "image", "o_url": "mxc://example.org/6465762e66696e6f6765656b732e636c7562"}),
    ];
    for (label, value) in DETAILS {
        elements.push(
            json!({"type": "context", "subtype": "text", "value": format!("{label}：{value}")}),
        );
    }
    for (key, placeholder, value) in INPUTS {
        elements.push(json!({"type": "input", "subtype": "text-input", "key": key, "placeholder": placeholder, "value": value}));
    }
    for (key, placeholder) in DROPDOWNS {
        let options: Vec<Value> = OPTIONS
            .iter()
            .map(|(label, value)| json!({"label": label, "value": value}))
            .collect();
        elements.push(json!({"type": "input", "subtype": "dropdown-input", "key": key, "placeholder": placeholder,
            "value": "a", "options": options}));
    }
    for caption in REPLIES {
        elements.push(
            json!({"type": "button", "subtype": "reply", "key": "decision", "value": caption}),
        );
    }
    elements
        .push(json!({"type": "button", "subtype": "submit", "value": "提交", "action": "submit"}));
    elements.push(json!({"type": "button", "subtype": "openurl", "value": "查看详情", "action": "https://example.org/claims/42"}));
    json!({"msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]",
        "info": {"type": "form", "status": "input", "shared": true, "fcids": [], "elements": elements}})
}

/// What a user would parse into without this crate: plain structs, no validation.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainContent {
    msgtype: String,
    version: String,
    body: String,
    info: PlainCard,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainCard {
    #[serde(rename = "type")]
    card_type: String,
    status: String,
    shared: bool,
    fcids: Vec<String>,
    elements: Vec<PlainElement>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainElement {
    #[serde(rename = "type")]
    element_type: String,
    subtype: String,
    value: Option<String>,
    key: Option<String>,
    placeholder: Option<String>,
    options: Option<Vec<PlainOption>>,
    height: Option<String>,
    background: Option<String>,
    o_url: Option<String>,
    action: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainOption {
    label: String,
    value: String,
}

fn build(c: &mut Criterion) {
    assert_eq!(with_builders().card().unwrap().elements.len(), 30);
    assert_eq!(
        serde_json::to_value(with_builders()).unwrap(),
        with_json_macro()
    );
    let mut group = c.benchmark_group("build_and_serialise_30_elements");
    group.bench_function("json_macro", |b| {
        b.iter(|| serde_json::to_string(&black_box(with_json_macro())).unwrap())
    });
    group.bench_function("builders", |b| {
        b.iter(|| serde_json::to_string(&black_box(with_builders())).unwrap())
    });
    group.finish();
}

fn parse(c: &mut Criterion) {
    let text = serde_json::to_string(&with_builders()).unwrap();
    let mut group = c.benchmark_group("parse_30_elements");
    group.bench_function("plain_structs", |b| {
        b.iter(|| serde_json::from_str::<PlainContent>(black_box(&text)).unwrap())
    });
    group.bench_function("typed_and_validated", |b| {
        b.iter(|| {
            let content = serde_json::from_str::<MessageContent>(black_box(&text)).unwrap();
            content.validate().unwrap();
            content
        })
    });
    group.finish();
}

criterion_group!(benches, build, parse);
criterion_main!(benches);
