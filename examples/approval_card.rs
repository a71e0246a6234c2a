//! Builds an expense-approval card with the builders, validates it, and prints its JSON, its plain-text
//! fallback and the path of an HTML preview; then reads back what a user would submit.
//!
//! Run: `cargo run --example approval_card`

use std::error::Error;

use finchat_cui::element::{Divider, Dropdown, Reply, TextInput};
use finchat_cui::render::{HtmlOptions, html_page};
use finchat_cui::{Card, Color, CuiContent, MessageContent, Status, Submission};

fn approval_card(claim_id: u32, amount: &str) -> Result<Card, Box<dyn Error>> {
    Ok(Card::form()
        .text(format!("报销申请 #{claim_id}"))
        .element(
            Divider::new()
                .height(2)
                .background(Color::parse("#e5e5e5")?),
        )
        .text("申请人：张三 · 财务部")
        .input(TextInput::new("amount").placeholder("金额").value(amount))
        .dropdown(
            Dropdown::new("dept")
                .placeholder("部门")
                .option("财务部", "fin")
                .option("运营部", "ops")
                .value("fin"),
        )
        .input(TextInput::new("comment").placeholder("审批意见"))
        .reply(Reply::new("decision", "同意"))
        .reply(Reply::new("decision", "驳回"))
        .openurl(
            "查看详情",
            format!("https://example.org/claims/{claim_id}").parse()?,
        ))
}

fn main() -> Result<(), Box<dyn Error>> {
    let card = approval_card(42, "1200.00")?;
    let content: MessageContent = CuiContent::new(card.clone())
        .body("报销申请 #42 待审批")
        .into();

    // Nothing invalid is sent: validation reports every problem with its path.
    content.validate()?;
    println!("== content (what the send API gets) ==");
    println!("{}", serde_json::to_string_pretty(&content)?);

    println!("\n== plain-text fallback ==");
    println!("{}", content.to_plain_text());

    let preview = std::env::temp_dir().join("finchat-approval-card.html");
    std::fs::write(&preview, html_page(&content, &HtmlOptions::new()))?;
    println!("\n== HTML preview ==\n{}", preview.display());

    // A user presses 同意: FinChat sends the inputs and the pressed reply under their keys.
    let submission: Submission = serde_json::from_str(
        r#"{"action": "submit", "info": {"amount": "1200.00", "dept": "fin", "comment": "", "decision": "同意"}}"#,
    )?;
    let amount: f64 = submission.get("amount")?;
    let decision: String = submission.get("decision")?;
    let comment: Option<String> = submission.get("comment")?;
    println!("\n== submission ==\namount={amount} decision={decision} comment={comment:?}");

    // The app closes the card in place with update-cui.
    let closed: MessageContent = CuiContent::new(card.with_status(Status::Disable))
        .body("报销申请 #42 已同意")
        .into();
    closed.validate()?;
    println!(
        "\n== update-cui content status ==\n{}",
        closed.card().map_or("", |c| c.status.as_str())
    );

    // A mistake is caught before anything leaves the process.
    let broken: MessageContent = Card::form()
        .input(TextInput::new("amount"))
        .dropdown(Dropdown::new("amount").option("A", "a").value("b"))
        .into();
    println!("\n== what validation says about a broken card ==");
    if let Err(problems) = broken.validate() {
        println!("{problems}");
    }
    Ok(())
}
