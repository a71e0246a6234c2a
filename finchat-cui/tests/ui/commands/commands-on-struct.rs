use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
struct Help {
    topic: String,
}

fn main() {}
