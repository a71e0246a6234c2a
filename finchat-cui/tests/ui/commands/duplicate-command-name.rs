use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    Help,
    #[cui(rename = "HELP")]
    Manual,
}

fn main() {}
