use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(label = 3)]
    amount: u32,
}

fn main() {}
