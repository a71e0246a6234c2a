//! Integration tests of finchat-client: every call against a real HTTP server in the test process, and
//! the `finchat` command-line tool run as a process.

mod cli;
mod cli_api;
mod directory;
mod errors;
mod forwarder;
mod identity;
mod media;
mod messages;
mod rooms;
mod server;
mod support;
mod token;
