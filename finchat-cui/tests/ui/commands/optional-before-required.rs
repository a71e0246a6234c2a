use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {
    Lookup { month: Option<u8>, year: u16 },
}

fn main() {}
