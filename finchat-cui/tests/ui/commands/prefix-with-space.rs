use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
#[cui(prefix = "! ")]
enum Command {
    Help,
}

fn main() {}
