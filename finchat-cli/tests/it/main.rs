//! The `finchat` command-line tool, run as a process the way a user runs it: the offline commands
//! (schema, validate, render, completions) and the API commands against a real HTTP server in the test
//! process.

mod api;
mod events;
#[cfg(feature = "fuxin")]
mod fuxin;
#[cfg(feature = "gobelieve")]
mod gobelieve;
mod lint;
mod offline;
mod process;
mod sandbox;

use finchat_test_support::server;
