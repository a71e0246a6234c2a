//! Integration tests of finchat-client: every call against a real HTTP server in the test process, and
//! the `finchat` command-line tool run as a process.

mod cli;
mod errors;
mod media;
mod messages;
mod server;
mod support;
mod token;
