use finchat_cui::CuiForm;

#[derive(CuiForm)]
enum Expense {
    Travel,
    Meal,
}

fn main() {}
