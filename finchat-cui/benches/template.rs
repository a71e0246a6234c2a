//! Run-time templates against the `cui!` macro: the approval card of examples/approval.rs, built by
//! the macro from Rust values, rendered from a template parsed once, and parsed and rendered each
//! time. Compare each to `cui_macro` as a ratio (BENCHMARKS.md).
//!
//! Run: `cargo bench -p finchat-cui --bench template`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use finchat_cui::template::Template;
use finchat_cui::{CuiContent, Problems, cui};
use serde::Serialize;

#[derive(Serialize)]
struct Claim {
    id: u32,
    applicant: &'static str,
    amount: u32,
}

/// The card of examples/approval.rs.
fn with_cui_macro(claim: &Claim) -> Result<CuiContent, Problems> {
    cui! {
        <form body={format!("报销申请 #{} 待审批", claim.id)}>
            <text>"报销申请 #" {claim.id}</text>
            <text>"申请人：" {claim.applicant} " · 金额 ¥" {claim.amount}</text>
            <divider/>
            <input key="amount" placeholder="核定金额（元）" value={claim.amount.to_string()}/>
            <input key="comment" placeholder="审批意见"/>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
        </form>
    }
}

/// The same card as a template; the data carries what the macro computes with `format!`.
const TEMPLATE: &str = r#"
<form body={title}>
    <text>"报销申请 #" {claim.id}</text>
    <text>"申请人：" {claim.applicant} " · 金额 ¥" {claim.amount}</text>
    <divider/>
    <input key="amount" placeholder="核定金额（元）" value={claim.amount}/>
    <input key="comment" placeholder="审批意见"/>
    <reply key="decision">"同意"</reply>
    <reply key="decision">"驳回"</reply>
</form>
"#;

#[derive(Serialize)]
struct Data<'a> {
    title: String,
    claim: &'a Claim,
}

fn approval_card(c: &mut Criterion) {
    let claim = Claim {
        id: 42,
        applicant: "张三",
        amount: 1200,
    };
    let data = || Data {
        title: format!("报销申请 #{} 待审批", claim.id),
        claim: &claim,
    };
    let template = Template::parse(TEMPLATE).expect("the template parses");
    assert_eq!(
        serde_json::to_value(template.render(&data()).expect("renders")).unwrap(),
        serde_json::to_value(finchat_cui::MessageContent::from(
            with_cui_macro(&claim).unwrap()
        ))
        .unwrap(),
        "the template and the macro make the same card"
    );
    let mut group = c.benchmark_group("approval_card");
    group.bench_function("cui_macro", |b| {
        b.iter(|| with_cui_macro(black_box(&claim)))
    });
    group.bench_function("template_render", |b| b.iter(|| template.render(&data())));
    group.bench_function("template_parse_and_render", |b| {
        b.iter(|| Template::parse(black_box(TEMPLATE)).map(|t| t.render(&data())))
    });
    group.finish();
}

criterion_group!(benches, approval_card);
criterion_main!(benches);
