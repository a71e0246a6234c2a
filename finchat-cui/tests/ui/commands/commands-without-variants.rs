use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
enum Command {}

fn main() {}
