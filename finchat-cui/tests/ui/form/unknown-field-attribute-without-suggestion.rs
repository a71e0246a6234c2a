use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    #[cui(tooltip = "报销金额")]
    amount: u32,
}

fn main() {}
