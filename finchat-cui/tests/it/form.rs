//! `#[derive(CuiForm)]` and `#[derive(CuiChoice)]`: the cards a form draws, its schema, reading it back
//! with every bad field reported, and the round trip through a prefilled submission.

use finchat_cui::{CuiChoice, CuiForm, Submission, SubmissionErrorKind};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::snapshot;

#[derive(Debug, Clone, Default, PartialEq, CuiChoice)]
enum Dept {
    #[cui(label = "财务部", value = "fin")]
    Finance,
    #[default]
    #[cui(label = "运营部", value = "ops")]
    Operations,
    #[cui(label = "人力资源部")]
    HumanResources,
}

/// An expense claim waiting for approval.
#[derive(Debug, Clone, PartialEq, CuiForm)]
#[cui(title = "报销审批", submit = "提交审批")]
struct ExpenseApproval {
    /// Who asks to be paid back.
    #[cui(label = "申请人")]
    applicant: String,
    /// In yuan.
    #[cui(label = "金额（元）", placeholder = "例如 1200")]
    amount: u32,
    #[cui(label = "部门", key = "dept")]
    department: Dept,
    #[cui(label = "加急")]
    urgent: bool,
    #[cui(label = "备注")]
    note: Option<String>,
    /// Filled in by the app, never by the user.
    #[cui(skip)]
    claim_id: u64,
}

fn expense() -> ExpenseApproval {
    ExpenseApproval {
        applicant: "张三".into(),
        amount: 1200,
        department: Dept::Finance,
        urgent: true,
        note: Some("差旅".into()),
        claim_id: 0,
    }
}

fn three_days() -> Option<u8> {
    Some(3)
}

fn unknown_rate() -> f64 {
    -1.0
}

/// Every kind of field: each number type family, optional dropdowns, defaults and a renamed key.
#[derive(Debug, Clone, PartialEq, CuiForm)]
struct Everything {
    name: String,
    #[cui(default)]
    nickname: String,
    delta: i64,
    #[cui(default = "unknown_rate")]
    rate: f64,
    small: Option<u8>,
    #[cui(default = "three_days")]
    days: Option<u8>,
    #[cui(key = "team")]
    dept: Option<Dept>,
    #[cui(default)]
    backup: Dept,
    approved: Option<bool>,
    #[cui(default)]
    notify: bool,
    #[cui(skip, default = "three_days")]
    internal: Option<u8>,
}

fn info(submission: &Submission) -> Value {
    Value::Object(submission.info.clone())
}

#[test]
fn the_expense_card_has_title_labels_inputs_and_submit() {
    let card = expense().card();
    snapshot("form_expense_card", &card);
    card.validate().unwrap();
}

#[test]
fn the_blank_expense_card_has_nothing_chosen() {
    let card = ExpenseApproval::blank();
    snapshot("form_expense_blank", &card);
    card.validate().unwrap();
    assert_eq!(
        info(&Submission::prefilled(&card)),
        json!({"applicant": "", "amount": "", "dept": "", "urgent": "", "note": ""})
    );
}

#[test]
fn the_expense_schema_describes_the_submitted_info() {
    let schema = serde_json::to_value(ExpenseApproval::schema()).unwrap();
    snapshot("form_expense_schema", &schema);
    jsonschema::meta::validate(&schema).expect("valid against the draft 2020-12 meta-schema");
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&info(&Submission::prefilled(&expense().card()))));
    let bad = json!({"applicant": "张三", "amount": "lots", "dept": "hr", "urgent": "yes"});
    let mut errors: Vec<String> = validator
        .iter_errors(&bad)
        .map(|e| e.instance_path().to_string())
        .collect();
    errors.sort();
    assert_eq!(errors, ["/amount", "/dept", "/urgent"]);
}

#[test]
fn a_good_submission_is_read_into_the_struct() {
    let submission: Submission = serde_json::from_value(json!({
        "action": "submit",
        "info": {"applicant": "李四", "amount": " 88 ", "dept": "human_resources", "urgent": "false", "note": ""}
    }))
    .unwrap();
    assert_eq!(
        ExpenseApproval::from_submission(&submission),
        Ok(ExpenseApproval {
            applicant: "李四".into(),
            amount: 88,
            department: Dept::HumanResources,
            urgent: false,
            note: None,
            claim_id: 0,
        })
    );
}

#[test]
fn every_bad_field_is_reported_by_key_in_field_order() {
    let submission = Submission::new()
        .with("applicant", "李四")
        .with("urgent", "maybe")
        .with("dept", "hr")
        .with("amount", "-5");
    let errors = ExpenseApproval::from_submission(&submission).unwrap_err();
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["amount", "dept", "urgent"]);
    assert_eq!(
        errors.to_string(),
        [
            r#"info.amount: expected an integer from 0 to 4294967295, found "-5""#,
            r#"info.dept: expected one of "fin", "ops", "human_resources", found "hr""#,
            r#"info.urgent: expected one of "true", "false", found "maybe""#,
        ]
        .join("\n")
    );
    assert_eq!(
        errors.get("dept").unwrap().kind,
        SubmissionErrorKind::NotAnOption {
            found: r#""hr""#.into(),
            options: vec!["fin".into(), "ops".into(), "human_resources".into()],
        }
    );
    assert!(errors.get("note").is_none());
}

#[test]
fn missing_fields_are_reported_and_optional_ones_are_none() {
    let errors = ExpenseApproval::from_submission(&Submission::new()).unwrap_err();
    assert_eq!(errors.len(), 4);
    assert_eq!(
        errors.get("applicant").unwrap().kind,
        SubmissionErrorKind::Missing
    );
    assert_eq!(
        errors.get("dept").unwrap().kind,
        SubmissionErrorKind::Missing
    );
}

#[test]
fn defaults_fill_the_blank_card_and_empty_values() {
    let blank = Submission::prefilled(&Everything::blank());
    assert_eq!(
        info(&blank),
        json!({
            "name": "", "nickname": "", "delta": "", "rate": "-1", "small": "", "days": "3",
            "team": "", "backup": "ops", "approved": "", "notify": "false",
        })
    );
    let submission = Submission::new()
        .with("name", "n")
        .with("delta", "-7")
        .with("backup", "")
        .with("days", "");
    assert_eq!(
        Everything::from_submission(&submission),
        Ok(Everything {
            name: "n".into(),
            nickname: String::new(),
            delta: -7,
            rate: -1.0,
            small: None,
            days: Some(3),
            dept: None,
            backup: Dept::Operations,
            approved: None,
            notify: false,
            internal: Some(3),
        })
    );
}

#[test]
fn choices_come_from_the_variants() {
    let options: Vec<(String, String)> = Dept::options()
        .into_iter()
        .map(|o| (o.label, o.value))
        .collect();
    assert_eq!(
        options,
        [
            ("财务部".into(), "fin".into()),
            ("运营部".into(), "ops".into()),
            ("人力资源部".into(), "human_resources".into()),
        ]
    );
    assert_eq!(Dept::from_value("ops"), Some(Dept::Operations));
    assert_eq!(Dept::from_value("Operations"), None);
}

/// The one value the wire cannot carry: an empty text and "nothing" are both `""`.
#[test]
fn an_empty_optional_text_comes_back_as_none() {
    let value = ExpenseApproval {
        note: Some(String::new()),
        ..expense()
    };
    let back = ExpenseApproval::from_submission(&Submission::prefilled(&value.card())).unwrap();
    assert_eq!(back.note, None);
}

fn reader() -> String {
    "from the user's function".to_owned()
}

/// Fields and a default function named like the expansion's own variables.
#[derive(Debug, PartialEq, CuiForm)]
struct Shadowing {
    submission: String,
    value: u8,
    #[cui(default = "reader")]
    r#type: String,
    field0: Option<std::string::String>,
}

#[test]
fn names_in_the_struct_do_not_clash_with_the_expansion() {
    let submission = Submission::new()
        .with("submission", "s")
        .with("value", "1")
        .with("type", "");
    let read = Shadowing::from_submission(&submission).unwrap();
    assert_eq!(read.r#type, "from the user's function");
    let blank = Shadowing::blank();
    let keys: Vec<&str> = blank.keys().collect();
    assert_eq!(keys, ["submission", "value", "type", "field0"]);
}

/// A generic form: a type parameter is a dropdown, so it needs `CuiChoice`.
#[derive(Debug, PartialEq, CuiForm)]
#[cui(submit = "选好了")]
struct Pick<T: CuiChoice> {
    pick: T,
}

#[test]
fn a_generic_form_draws_the_options_of_its_parameter() {
    let card = Pick {
        pick: Dept::Finance,
    }
    .card();
    let submission = Submission::prefilled(&card);
    assert_eq!(info(&submission), json!({"pick": "fin"}));
    assert_eq!(
        Pick::<Dept>::from_submission(&submission),
        Ok(Pick {
            pick: Dept::Finance
        })
    );
    assert_eq!(
        serde_json::to_value(card.elements.last()).unwrap()["value"],
        "选好了"
    );
}

fn dept() -> impl Strategy<Value = Dept> {
    prop_oneof![
        Just(Dept::Finance),
        Just(Dept::Operations),
        Just(Dept::HumanResources)
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[\u{4e00}-\u{4eff}]{1,6}",
        any::<String>(),
    ]
}

/// An `Option<String>` whose `Some` is never empty: `Some("")` reads back as `None`.
fn note() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text().prop_filter("not empty", |t| !t.is_empty()))
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        -1e6..1e6f64
    ]
}

fn expense_approval() -> impl Strategy<Value = ExpenseApproval> {
    (text(), any::<u32>(), dept(), any::<bool>(), note()).prop_map(
        |(applicant, amount, department, urgent, note)| ExpenseApproval {
            applicant,
            amount,
            department,
            urgent,
            note,
            claim_id: 0,
        },
    )
}

fn everything() -> impl Strategy<Value = Everything> {
    (
        (text(), text(), any::<i64>(), finite()),
        (
            any::<Option<u8>>(),
            any::<Option<u8>>(),
            proptest::option::of(dept()),
            dept(),
            any::<Option<bool>>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((name, nickname, delta, rate), (small, days, dept, backup, approved, notify))| {
                Everything {
                    name,
                    nickname,
                    delta,
                    rate,
                    small,
                    days,
                    dept,
                    backup,
                    approved,
                    notify,
                    internal: Some(3),
                }
            },
        )
}

/// `v` as it comes back from an unchanged submission of its card: `None` is submitted as `""`, which
/// a field with a `default` reads as its default. (`nickname`'s default is the empty string itself.)
fn expected_back(mut v: Everything) -> Everything {
    if v.days.is_none() {
        v.days = three_days();
    }
    v
}

proptest! {
    #[test]
    fn an_unchanged_expense_form_reads_back_as_the_same_value(v in expense_approval()) {
        let card = v.card();
        card.clone().into_content().validate().unwrap();
        let submission = Submission::prefilled(&card);
        prop_assert_eq!(ExpenseApproval::from_submission(&submission), Ok(v));
    }

    #[test]
    fn an_unchanged_form_of_every_field_kind_reads_back(v in everything()) {
        let card = v.card();
        card.clone().into_content().validate().unwrap();
        let submission = Submission::prefilled(&card);
        prop_assert_eq!(Everything::from_submission(&submission), Ok(expected_back(v)));
    }

    #[test]
    fn the_schema_accepts_every_unchanged_form(v in everything()) {
        let schema = serde_json::to_value(Everything::schema()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let submitted = info(&Submission::prefilled(&v.card()));
        let errors: Vec<String> = validator.iter_errors(&submitted).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "{:?} in {}", errors, submitted);
    }
}
