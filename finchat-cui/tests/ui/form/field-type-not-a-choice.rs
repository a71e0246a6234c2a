use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    amount: u32,
    receipts: Vec<String>,
}

fn main() {}
