use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
#[cui(description = "命令")]
enum Command {
    Help,
}

fn main() {}
