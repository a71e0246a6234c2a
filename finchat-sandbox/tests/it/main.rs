//! Integration tests of the sandbox: the real `Client`, `Receiver` and `PollingConsumer` against it,
//! its pushes to a callback, and its page.

mod accessible;
mod activity;
mod cards;
mod client;
mod flows;
mod page;
mod playground;
mod push;
mod security;
mod serving;
mod state;
mod support;
mod telemetry;
mod world;

use finchat_test_support::server;
