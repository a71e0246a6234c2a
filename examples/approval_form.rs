//! An approval form as a Rust struct with `#[derive(CuiForm)]`, and a notice written with `cui!`:
//! prints the form's card, reads back a submission (a good one and one with mistakes), and prints the
//! JSON Schema a front-end team gets for the submitted values.
//!
//! Run: `cargo run --example approval_form`

use std::error::Error;

use finchat_cui::{CuiChoice, CuiForm, Status, Submission, cui};

#[derive(Debug, Clone, PartialEq, CuiChoice)]
enum Dept {
    #[cui(label = "财务部", value = "fin")]
    Finance,
    #[cui(label = "运营部", value = "ops")]
    Operations,
}

/// An expense claim waiting for approval.
#[derive(Debug, Clone, PartialEq, CuiForm)]
#[cui(title = "报销审批", submit = "提交审批")]
struct Approval {
    #[cui(label = "申请人")]
    applicant: String,
    #[cui(label = "金额（元）", placeholder = "例如 1200")]
    amount: u32,
    #[cui(label = "部门")]
    dept: Dept,
    #[cui(label = "加急")]
    urgent: bool,
    #[cui(label = "备注")]
    note: Option<String>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let claim = Approval {
        applicant: "张三".into(),
        amount: 1200,
        dept: Dept::Finance,
        urgent: false,
        note: None,
    };
    let card = claim.card().into_content();
    card.validate()?;
    println!("== the form, pre-filled ==\n{}", card.info.to_plain_text());

    let edited = Submission::prefilled(&card.info)
        .with("amount", "1500")
        .with("urgent", "true");
    let approved = Approval::from_submission(&edited)?;
    println!("\n== read back ==\n{approved:?}");

    let wrong = Submission::new()
        .with("amount", "一千")
        .with("dept", "hr")
        .with("urgent", "yes");
    if let Err(errors) = Approval::from_submission(&wrong) {
        println!("\n== a submission with mistakes ==\n{errors}");
    }

    // The notice that replaces the form once it is handled; literals only, so it cannot fail.
    let notice = cui! {
        <form status="disable">
            <text>"报销审批"</text>
            <text>"已同意：张三 ¥1500"</text>
        </form>
    };
    assert_eq!(notice.info.status, Status::Disable);
    println!(
        "\n== update-cui content ==\n{}",
        serde_json::to_string(&notice)?
    );

    println!(
        "\n== JSON Schema of the submitted values ==\n{}",
        serde_json::to_string_pretty(&Approval::schema())?
    );
    Ok(())
}
