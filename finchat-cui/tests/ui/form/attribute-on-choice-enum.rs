use finchat_cui::CuiChoice;

#[derive(CuiChoice)]
#[cui(label = "部门")]
enum Dept {
    Finance,
}

fn main() {}
