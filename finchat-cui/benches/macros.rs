//! The `cui!` macro and `#[derive(CuiForm)]` against what a user would write without them: the
//! 30-element approval card as `serde_json::json!`, and a submission read with `serde` into an
//! equivalent `#[derive(Deserialize)]` struct.
//!
//! Run: `cargo bench -p finchat-cui --bench macros`

// `json!` of a 30-element card needs more than the default macro recursion limit.
#![recursion_limit = "512"]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use finchat_cui::{CuiChoice, CuiContent, CuiForm, Submission, cui};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// The 30-element card of `benches/card.rs`, written with `cui!`: every value a literal.
fn with_cui_macro() -> CuiContent {
    cui! {
        <form>
            <text>"报销申请 #42"</text>
            <divider height=1 background="#e5e5e5"/>
            <image src="mxc://example.org/6465762e66696e6f6765656b732e636c7562"/>
            <text>"申请人：张三"</text>
            <text>"部门：财务部"</text>
            <text>"金额：¥12,000.00"</text>
            <text>"事由：2026年第四季度差旅报销"</text>
            <text>"发票：8 张"</text>
            <text>"提交时间：2026-11-20 14:32"</text>
            <text>"审批人：李四"</text>
            <text>"抄送：王五, 赵六"</text>
            <text>"项目：FinChat 私有化部署 POC"</text>
            <text>"备注：含高铁票与酒店住宿"</text>
            <input key="amount" placeholder="核定金额" value="12000"/>
            <input key="invoice_no" placeholder="发票号" value="INV-2026-0042"/>
            <input key="cost_center" placeholder="成本中心" value="CC-310"/>
            <input key="budget" placeholder="预算科目" value="差旅费"/>
            <input key="comment" placeholder="审批意见" value=""/>
            <input key="due" placeholder="付款日期" value="2026-11-30"/>
            <dropdown key="dept" placeholder="部门" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <dropdown key="currency" placeholder="币种" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <dropdown key="payment" placeholder="付款方式" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <dropdown key="priority" placeholder="优先级" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <dropdown key="region" placeholder="地区" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <dropdown key="category" placeholder="类别" value="a"><option value="a">"选项一"</option><option value="b">"选项二"</option><option value="c">"选项三"</option><option value="d">"选项四"</option></dropdown>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
            <reply key="decision">"转交"</reply>
            <submit>"提交"</submit>
            <openurl href="https://example.org/claims/42">"查看详情"</openurl>
        </form>
    }
}

/// The same card written with `json!`.
fn with_json_macro() -> Value {
    json!({"msgtype": "m.cui", "version": "0.1.0", "body": "[交互卡片]",
    "info": {"type": "form", "status": "input", "shared": true, "fcids": [], "elements": [
        {"type": "context", "subtype": "text", "value": "报销申请 #42"},
        {"type": "divider", "subtype": "divider", "height": "1", "background": "#e5e5e5"},
        {"type": "image", "subtype": "image", "o_url": "mxc://example.org/6465762e66696e6f6765656b732e636c7562"},
        {"type": "context", "subtype": "text", "value": "申请人：张三"},
        {"type": "context", "subtype": "text", "value": "部门：财务部"},
        {"type": "context", "subtype": "text", "value": "金额：¥12,000.00"},
        {"type": "context", "subtype": "text", "value": "事由：2026年第四季度差旅报销"},
        {"type": "context", "subtype": "text", "value": "发票：8 张"},
        {"type": "context", "subtype": "text", "value": "提交时间：2026-11-20 14:32"},
        {"type": "context", "subtype": "text", "value": "审批人：李四"},
        {"type": "context", "subtype": "text", "value": "抄送：王五, 赵六"},
        {"type": "context", "subtype": "text", "value": "项目：FinChat 私有化部署 POC"},
        {"type": "context", "subtype": "text", "value": "备注：含高铁票与酒店住宿"},
        {"type": "input", "subtype": "text-input", "key": "amount", "placeholder": "核定金额", "value": "12000"},
        {"type": "input", "subtype": "text-input", "key": "invoice_no", "placeholder": "发票号", "value": "INV-2026-0042"},
        {"type": "input", "subtype": "text-input", "key": "cost_center", "placeholder": "成本中心", "value": "CC-310"},
        {"type": "input", "subtype": "text-input", "key": "budget", "placeholder": "预算科目", "value": "差旅费"},
        {"type": "input", "subtype": "text-input", "key": "comment", "placeholder": "审批意见", "value": ""},
        {"type": "input", "subtype": "text-input", "key": "due", "placeholder": "付款日期", "value": "2026-11-30"},
        {"type": "input", "subtype": "dropdown-input", "key": "dept", "placeholder": "部门", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "input", "subtype": "dropdown-input", "key": "currency", "placeholder": "币种", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "input", "subtype": "dropdown-input", "key": "payment", "placeholder": "付款方式", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "input", "subtype": "dropdown-input", "key": "priority", "placeholder": "优先级", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "input", "subtype": "dropdown-input", "key": "region", "placeholder": "地区", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "input", "subtype": "dropdown-input", "key": "category", "placeholder": "类别", "value": "a", "options": [{"label": "选项一", "value": "a"}, {"label": "选项二", "value": "b"}, {"label": "选项三", "value": "c"}, {"label": "选项四", "value": "d"}]},
        {"type": "button", "subtype": "reply", "key": "decision", "value": "同意"},
        {"type": "button", "subtype": "reply", "key": "decision", "value": "驳回"},
        {"type": "button", "subtype": "reply", "key": "decision", "value": "转交"},
        {"type": "button", "subtype": "submit", "value": "提交", "action": "submit"},
        {"type": "button", "subtype": "openurl", "value": "查看详情", "action": "https://example.org/claims/42"}
    ]}})
}

#[derive(Debug, Clone, Copy, PartialEq, CuiChoice, Deserialize)]
enum Dept {
    #[cui(label = "财务部", value = "fin")]
    #[serde(rename = "fin")]
    Finance,
    #[cui(label = "运营部", value = "ops")]
    #[serde(rename = "ops")]
    Operations,
}

/// An expense approval as a form.
#[derive(Debug, PartialEq, CuiForm)]
#[allow(dead_code)]
struct Expense {
    applicant: String,
    amount: u32,
    rate: f64,
    dept: Dept,
    urgent: bool,
    note: Option<String>,
    invoices: Option<u16>,
}

/// The same fields read with serde, parsing the submitted strings the way the form does.
#[derive(Debug, PartialEq, Deserialize)]
#[allow(dead_code)]
struct PlainExpense {
    applicant: String,
    #[serde(deserialize_with = "parsed")]
    amount: u32,
    #[serde(deserialize_with = "parsed")]
    rate: f64,
    dept: Dept,
    #[serde(deserialize_with = "parsed")]
    urgent: bool,
    #[serde(default, deserialize_with = "optional")]
    note: Option<String>,
    #[serde(default, deserialize_with = "optional_parsed")]
    invoices: Option<u16>,
}

fn parsed<'de, D: Deserializer<'de>, T: std::str::FromStr>(d: D) -> Result<T, D::Error> {
    let text = <&str>::deserialize(d)?;
    text.trim()
        .parse()
        .map_err(|_| serde::de::Error::custom(format!("cannot parse {text:?}")))
}

fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    Ok((!text.is_empty()).then_some(text))
}

fn optional_parsed<'de, D: Deserializer<'de>, T: std::str::FromStr>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let text = <&str>::deserialize(d)?;
    if text.is_empty() {
        return Ok(None);
    }
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("cannot parse {text:?}")))
}

fn build(c: &mut Criterion) {
    assert_eq!(
        serde_json::to_value(with_cui_macro()).unwrap(),
        with_json_macro()
    );
    let mut group = c.benchmark_group("cui_macro_30_elements");
    group.bench_function("json_macro", |b| {
        b.iter(|| serde_json::to_string(&black_box(with_json_macro())).unwrap())
    });
    group.bench_function("cui_macro", |b| {
        b.iter(|| serde_json::to_string(&black_box(with_cui_macro())).unwrap())
    });
    group.finish();
}

fn read_submission(c: &mut Criterion) {
    let submission = Submission::new()
        .with("applicant", "张三")
        .with("amount", "1200")
        .with("rate", "0.85")
        .with("dept", "ops")
        .with("urgent", "true")
        .with("note", "差旅")
        .with("invoices", "8");
    let info = Value::Object(submission.info.clone());
    let ours = Expense::from_submission(&submission).unwrap();
    let plain = PlainExpense::deserialize(&info).unwrap();
    assert_eq!(
        (ours.amount, ours.dept, ours.invoices),
        (plain.amount, plain.dept, plain.invoices)
    );
    let mut group = c.benchmark_group("read_submission_7_fields");
    group.bench_function("serde_from_value", |b| {
        b.iter(|| PlainExpense::deserialize(black_box(&info)).unwrap())
    });
    group.bench_function("from_submission", |b| {
        b.iter(|| Expense::from_submission(black_box(&submission)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, build, read_submission);
criterion_main!(benches);
