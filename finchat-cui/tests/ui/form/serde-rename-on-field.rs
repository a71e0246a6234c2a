use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(rename = "amt")]
    amount: u32,
}

fn main() {}
