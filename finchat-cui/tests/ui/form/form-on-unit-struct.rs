use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense;

fn main() {}
