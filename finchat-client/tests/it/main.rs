//! Integration tests of finchat-client: every call against a real HTTP server in the test process.

mod api_auth;
mod api_media;
mod api_received;
mod cards;
mod commands;
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
#[cfg(feature = "receiver")]
mod receiver_dedupe;
#[cfg(feature = "receiver")]
mod receiver_delivery;
#[cfg(feature = "receiver")]
mod receiver_timeouts;
#[cfg(feature = "receiver")]
mod receiver_token;
#[cfg(feature = "receiver")]
mod receiver_unread;
#[cfg(feature = "redis")]
mod redis_cursor;
#[cfg(all(feature = "redis", feature = "receiver"))]
mod redis_dedupe;
#[cfg(feature = "redis")]
mod redis_token;
mod rooms;
mod telemetry;
mod token;
mod token_answers;
mod token_in_transit;
mod token_outage;

use finchat_test_support::{server, snapshot as support};
