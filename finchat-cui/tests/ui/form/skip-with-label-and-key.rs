use finchat_cui::CuiForm;

#[derive(CuiForm)]
struct Expense {
    amount: u32,
    #[cui(skip, label = "单号", key = "id")]
    claim_id: u64,
}

fn main() {}
