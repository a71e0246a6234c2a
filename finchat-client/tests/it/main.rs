//! Integration tests of finchat-client: every call against a real HTTP server in the test process.

mod conventions;
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
#[cfg(all(feature = "metrics", feature = "receiver"))]
mod metrics;
mod polling;
mod polling_faults;
#[cfg(feature = "receiver")]
mod receiver;
mod rooms;
mod telemetry;
mod token;

use finchat_test_support::{server, snapshot as support};
