//! Every example card (examples/, the doc examples of dsl.md and README.md) written once, made by the
//! `cui!` macro and by a template of the same text, gives the same JSON. `{expr}`s are plain paths,
//! bound in the template from JSON holding the same values as the Rust variables.

use finchat_cui::template::Template;
use finchat_cui::{MessageContent, cui};
use serde_json::{Value, json};

/// The macro's content and the template's content (rendered with `$data`) of the same text.
macro_rules! both {
    (fallible $data:expr, $($markup:tt)*) => {
        both!(@ $data, (cui! { $($markup)* }).expect("valid"), $($markup)*)
    };
    ($data:expr, $($markup:tt)*) => {
        both!(@ $data, cui! { $($markup)* }, $($markup)*)
    };
    (@ $data:expr, $made:expr, $($markup:tt)*) => {{
        let made = $made;
        let text = stringify!($($markup)*);
        let template = Template::parse(text).unwrap_or_else(|e| panic!("{e}\nin: {text}"));
        let rendered = template.render(&$data).unwrap_or_else(|e| panic!("{e}\nin: {text}"));
        (
            serde_json::to_value(MessageContent::from(made)).unwrap(),
            serde_json::to_value(rendered).unwrap(),
        )
    }};
}

fn assert_same((macro_json, template_json): (Value, Value)) {
    assert_eq!(template_json, macro_json);
}

#[test]
fn the_readme_cards_are_the_same() {
    assert_same(both!(json!({}),
        <form>
            <text>"报销申请 #42"</text>
            <input key="amount" placeholder="金额" value="1200"/>
            <dropdown key="dept" placeholder="部门" value="fin">
                <option value="fin">"财务部"</option>
                <option value="ops">"运营部"</option>
            </dropdown>
            <submit>"提交"</submit>
        </form>
    ));
    assert_same(both!(json!({}),
        <form><text>"周报提醒"</text><reply key="ack">"知道了"</reply></form>
    ));
    assert_same(both!(json!({}),
        <form body="报销申请 #42 待审批">
            <text>"报销申请 #42 · ¥1200"</text>
            <input key="amount" value="1200"/><input key="comment" placeholder="审批意见"/>
            <submit>"提交"</submit>
        </form>
    ));
}

#[test]
fn the_dsl_doc_cards_are_the_same() {
    assert_same(both!(json!({}),
        <form status="input">
            <text>"报销申请 #42"</text>
            <input key="amount" placeholder="金额" value="1200"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
        </form>
    ));
    assert_same(both!(json!({}),
        <textcard title="测试卡片" description="测试卡片的内容" url="https://example.org/home"
                  btntext="发送" opentype="inapp"/>
    ));
    assert_same(both!(json!({}),
        <image name="test.png" src="mxc://example.org/abc" mimetype="image/png" size=1234 w=750 h=1334/>
    ));
    assert_same(both!(json!({}),
        <file name="test.pdf" src="mxc://example.org/def" mimetype="" size=1234242/>
    ));
    assert_same(both!(json!({}), <text>"hello world"</text>));
    let amount = 1200;
    assert_same(both!(json!({"amount": 1200}),
        <form><text>"金额：" {amount} " 元"</text></form>
    ));
    let key = "amount";
    assert_same(both!(fallible json!({"key": "amount"}),
        <form><input key={key}/><submit>"提交"</submit></form>
    ));
}

#[test]
fn the_dsl_doc_card_with_every_element_is_the_same() {
    let fcids: Vec<finchat_cui::Fcid> = vec!["@alice:example.org".parse().unwrap()];
    let value = "1200";
    assert_same(
        both!(fallible json!({"fcids": ["@alice:example.org"], "value": "1200"}),
            <form status="input" shared=true fcids={fcids} body="报销申请待审批">
                <text>"报销申请 #" "42"</text>
                <divider height=2 background="#e5e5e5"/>
                <image src="mxc://example.org/abc123"/>
                <input key="amount" placeholder="金额" value={value}/>
                <dropdown key="dept" placeholder="部门" value="fin">
                    <option value="fin">"财务部"</option>
                    <option value="ops">"运营部"</option>
                </dropdown>
                <reply key="decision" status="input">"同意"</reply>
                <submit>"提交"</submit>
                <openurl href="https://example.org/claims/42">"查看详情"</openurl>
            </form>
        ),
    );
}

/// The claim of examples/approval.rs.
struct Claim {
    id: u32,
    applicant: &'static str,
    amount: u32,
}

#[test]
fn the_example_cards_are_the_same() {
    // examples/approval.rs, with `format!` and `to_string()` done before, as a template's data is.
    let claim = Claim {
        id: 42,
        applicant: "张三",
        amount: 1200,
    };
    let body = format!("报销申请 #{} 待审批", claim.id);
    let amount = claim.amount.to_string();
    let data = json!({
        "claim": {"id": 42, "applicant": "张三", "amount": 1200},
        "body": body, "amount": amount,
    });
    assert_same(both!(fallible data,
        <form body={body}>
            <text>"报销申请 #" {claim.id}</text>
            <text>"申请人：" {claim.applicant} " · 金额 ¥" {claim.amount}</text>
            <divider/>
            <input key="amount" placeholder="核定金额（元）" value={amount}/>
            <input key="comment" placeholder="审批意见"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
        </form>
    ));
    // examples/approval_form.rs
    assert_same(both!(json!({}),
        <form status="disable">
            <text>"报销审批"</text>
            <text>"已同意：张三 ¥1500"</text>
        </form>
    ));
}

#[test]
fn escapes_in_string_literals_read_as_rust_reads_them() {
    assert_same(both!(json!({}),
        <text>"a\"b\\c\n\t\u{4e2d}\x41 \
               d"</text>
    ));
    assert_same(both!(json!({}),
        <form><dropdown key="path" value=r"C:\dir">
            <option value=r"C:\dir">r#"say "hi" \n"#</option>
        </dropdown></form>
    ));
}

#[test]
fn a_card_that_breaks_a_rule_gets_the_same_problems_at_the_same_paths() {
    let key = "amount";
    let made = cui! { <form><input key={key}/><input key="amount"/></form> }.unwrap_err();
    let template =
        Template::parse(stringify!(<form><input key={key}/><input key="amount"/></form>)).unwrap();
    let error = template.render(&json!({"key": "amount"})).unwrap_err();
    let finchat_cui::template::RenderError::Invalid { problems, .. } = error else {
        panic!("{error}");
    };
    assert_eq!(problems.to_string(), made.to_string());
    assert_eq!(
        problems.as_slice()[0].path.to_string(),
        "info.elements[1].key"
    );
}
