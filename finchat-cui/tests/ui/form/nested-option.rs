use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    note: Option<Option<String>>,
}

fn main() {}
