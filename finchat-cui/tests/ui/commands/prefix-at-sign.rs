use finchat_cui::CuiCommands;

// `@help` would be taken off as a mention before the command is read.
#[derive(CuiCommands)]
#[cui(prefix = "@")]
enum Command {
    Help,
}

fn main() {}
