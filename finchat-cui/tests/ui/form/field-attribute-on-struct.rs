use finchat_cui::CuiForm;

#[derive(CuiForm)]
#[cui(label = "报销申请")]
struct Expense {
    amount: u32,
}

fn main() {}
