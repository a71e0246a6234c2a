use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(descripton = "显示帮助")]
    Help,
}

fn main() {}
