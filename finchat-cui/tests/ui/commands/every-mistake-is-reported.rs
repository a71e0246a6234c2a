use finchat_cui::CuiCommands;

#[derive(CuiCommands)]
#[cui(prefx = "/")]
enum Command {
    #[cui(description = "")]
    Help,
    #[cui(rename = "help")]
    Manual(Option<String>, u8),
}

fn main() {}
