use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
struct Dept {
    name: String,
}

fn main() {}
