use finchat_cui::CuiCommands;

struct Amount(u32);

#[derive(CuiCommands)]
enum Command {
    Expense { amount: Amount, reason: String },
}

fn main() {}
