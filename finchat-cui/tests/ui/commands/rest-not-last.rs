use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    Remind {
        #[cui(rest)]
        message: String,
        times: u8,
    },
}

fn main() {}
