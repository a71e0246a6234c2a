use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(rename = "/help")]
    Help,
}

fn main() {}
