use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    Start,
    #[cui(alias = "h", alias = "start")]
    Help,
}

fn main() {}
