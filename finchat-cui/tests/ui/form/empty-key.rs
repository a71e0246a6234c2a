use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(key = "")]
    amount: u32,
}

fn main() {}
