use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    amount: u32,
    #[cui(skip = true)]
    claim_id: u64,
}

fn main() {}
