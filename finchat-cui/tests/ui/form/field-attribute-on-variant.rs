use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    #[cui(key = "fin")]
    Finance,
}

fn main() {}
