use finchat_cui::CuiForm;

#[derive(CuiForm)]
#[cui(title = "报销申请", sumbit = "提交")]
struct Expense {
    #[cui(label = 3, placehodler = "金额")]
    amount: u32,
    #[cui(key = "amount")]
    total: u32,
    #[cui(skip, label = "单号")]
    claim_id: u64,
}

fn main() {}
