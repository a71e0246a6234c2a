use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    #[cui(value = "fin")]
    Finance,
    #[cui(value = "fin")]
    Accounting,
}

fn main() {}
