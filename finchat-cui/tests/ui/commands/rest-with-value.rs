use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    Remind(#[cui(rest = true)] String),
}

fn main() {}
