use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(description = "帮助", description = "显示帮助")]
    Help,
}

fn main() {}
