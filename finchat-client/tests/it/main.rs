//! Integration tests of finchat-client: every call against a real HTTP server in the test process, and
//! the `finchat` command-line tool run as a process.

mod cli;
mod cli_api;
mod directory;
mod errors;
mod events;
mod forwarder;
#[cfg(feature = "fuxin")]
mod fuxin;
#[cfg(feature = "fuxin")]
mod fuxin_schedule;
#[cfg(feature = "gobelieve")]
mod gobelieve;
#[cfg(feature = "gobelieve")]
mod gobelieve_client;
mod identity;
mod media;
mod messages;
mod polling;
mod receiver;
mod rooms;
mod sandbox;
mod sandbox_client;
mod sandbox_page;
mod sandbox_push;
mod server;
mod support;
mod token;
