//! The README's approval form, written three ways — with `cui!`, with the builders and with
//! `#[derive(CuiForm)]` — is one and the same card.

use finchat_cui::element::{Dropdown, TextInput};
use finchat_cui::{Card, CuiChoice, CuiContent, CuiForm, cui};

use crate::support::snapshot;

#[derive(Debug, Clone, PartialEq, CuiChoice)]
enum Dept {
    #[cui(label = "财务部", value = "fin")]
    Finance,
    #[cui(label = "运营部", value = "ops")]
    Operations,
}

#[derive(Debug, Clone, PartialEq, CuiForm)]
#[cui(title = "报销申请 #42", submit = "提交")]
struct Approval {
    #[cui(placeholder = "金额")]
    amount: u32,
    #[cui(placeholder = "部门")]
    dept: Dept,
}

fn with_macro() -> CuiContent {
    cui! {
        <form>
            <text>"报销申请 #42"</text>
            <input key="amount" placeholder="金额" value="1200"/>
            <dropdown key="dept" placeholder="部门" value="fin">
                <option value="fin">"财务部"</option>
                <option value="ops">"运营部"</option>
            </dropdown>
            <submit>"提交"</submit>
        </form>
    }
}

fn with_builders() -> CuiContent {
    let card = Card::form()
        .text("报销申请 #42")
        .input(TextInput::new("amount").placeholder("金额").value("1200"))
        .dropdown(
            Dropdown::new("dept")
                .placeholder("部门")
                .option("财务部", "fin")
                .option("运营部", "ops")
                .value("fin"),
        )
        .submit("提交");
    CuiContent::new(card)
}

fn with_derive() -> CuiContent {
    let approval = Approval {
        amount: 1200,
        dept: Dept::Finance,
    };
    CuiContent::new(approval.card())
}

#[test]
fn the_readme_form_is_the_same_card_with_the_macro_the_builders_and_the_derive() {
    let json = serde_json::to_value(with_macro()).unwrap();
    assert_eq!(serde_json::to_value(with_builders()).unwrap(), json);
    assert_eq!(serde_json::to_value(with_derive()).unwrap(), json);
    assert_eq!(with_macro().validate(), Ok(()));
    snapshot("readme_approval_form", &json);
}

#[test]
fn the_readme_form_reads_back_what_a_user_submits() {
    let submission = finchat_cui::Submission::prefilled(&with_macro().info).with("dept", "ops");
    assert_eq!(
        Approval::from_submission(&submission),
        Ok(Approval {
            amount: 1200,
            dept: Dept::Operations
        })
    );
}
