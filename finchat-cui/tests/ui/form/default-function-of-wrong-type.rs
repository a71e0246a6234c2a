use finchat_cui::CuiForm;

fn no_amount() -> String {
    String::new()
}

#[derive(CuiForm)]
struct Expense {
    #[cui(default = "no_amount")]
    amount: u32,
}

fn main() {}
