use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    #[cui(vaule = "fin")]
    Finance,
}

fn main() {}
