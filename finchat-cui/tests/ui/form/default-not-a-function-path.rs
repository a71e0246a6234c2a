use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(default = "1200")]
    amount: u32,
}

fn main() {}
