use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(description = 42)]
    Help,
}

fn main() {}
