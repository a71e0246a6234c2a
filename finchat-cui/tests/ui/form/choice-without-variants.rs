use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {}

fn main() {}
