use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
enum Dept {
    #[cui(label = 财务部)]
    Finance,
}

fn main() {}
