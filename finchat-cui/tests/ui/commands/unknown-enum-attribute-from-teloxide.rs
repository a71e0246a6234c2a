use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
#[cui(rename_all = "snake_case")]
enum Command {
    Help,
}

fn main() {}
