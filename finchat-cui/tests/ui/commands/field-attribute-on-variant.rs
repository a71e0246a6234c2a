use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    #[cui(rest)]
    Remind(String),
}

fn main() {}
