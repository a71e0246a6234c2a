use finchat_cui::{CuiChoice, CuiForm};

#[derive(CuiChoice)]
enum Dept {
    Finance,
    Operations,
}

#[derive(CuiForm)]
struct Expense {
    #[cui(default)]
    dept: Dept,
}

fn main() {}
