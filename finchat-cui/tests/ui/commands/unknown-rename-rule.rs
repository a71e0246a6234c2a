use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
#[cui(rename_rule = "snakecase")]
enum Command {
    StartOver,
}

fn main() {}
