use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    Finance,
    #[cui(value = "finance")]
    Accounting,
}

fn main() {}
