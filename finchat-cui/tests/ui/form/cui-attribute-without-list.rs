use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui]
    amount: u32,
}

fn main() {}
