use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(label = "金额", label = "数额")]
    amount: u32,
}

fn main() {}
