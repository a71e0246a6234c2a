//! Running `finchat` as a user runs it: a process with its own stdin, stdout and stderr.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `finchat` binary this test run built, as a command to add arguments and variables to.
pub fn finchat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_finchat"))
}

/// Runs `command` with `stdin` as its standard input, and collects what it printed and its status.
pub fn run(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("finchat starts");
    // A command that exits without reading its input closes the pipe: that is not the test's failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}
