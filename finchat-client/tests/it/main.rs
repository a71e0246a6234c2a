//! Integration tests of finchat-client: the `finchat` command-line tool, run as a process.

mod cli;
