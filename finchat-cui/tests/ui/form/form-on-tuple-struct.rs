use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense(u32, String);

fn main() {}
