use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(title = "报销申请")]
    amount: u32,
}

fn main() {}
