use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(label)]
    amount: u32,
}

fn main() {}
