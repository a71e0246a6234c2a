//! `finchat completions <shell>`: prints the shell's completion script for `finchat`.

use clap_complete::Shell;

use crate::exit::{Error, Exit};
use crate::output;

/// Arguments of `finchat completions`.
#[derive(clap::Args)]
pub struct Args {
    /// The shell, e.g. `bash`: `finchat completions bash > /etc/bash_completion.d/finchat`.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the script for `command`, the whole `finchat` command line.
pub fn run(args: &Args, mut command: clap::Command) -> Result<Exit, Error> {
    // Into memory first: `generate` panics when it cannot write.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "finchat", &mut script);
    output::bytes(&script)?;
    Ok(Exit::Done)
}
