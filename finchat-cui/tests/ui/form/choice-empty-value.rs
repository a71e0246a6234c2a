use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    #[cui(value = "")]
    Unknown,
    Finance,
}

fn main() {}
