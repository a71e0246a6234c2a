use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(lable = "金额")]
    amount: u32,
}

fn main() {}
