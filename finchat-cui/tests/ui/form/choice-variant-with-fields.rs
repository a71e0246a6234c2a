use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    Finance,
    Other(String),
}

fn main() {}
