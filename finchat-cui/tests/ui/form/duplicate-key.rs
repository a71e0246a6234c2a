use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    amount: u32,
    #[cui(key = "amount")]
    total: u32,
}

fn main() {}
