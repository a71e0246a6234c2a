use finchat_cui::CuiForm;

#[derive(CuiForm)]
#[cui(submit = "提交")]
#[cui(submit = "送审")]
struct Expense {
    amount: u32,
}

fn main() {}
