use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(description = "")]
    Help,
}

fn main() {}
