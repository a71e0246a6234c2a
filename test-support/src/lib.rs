//! Helpers the workspace's tests share: [`server::TestServer`], a real HTTP server on 127.0.0.1 and a
//! free port that records each request and answers what the test says, and [`snapshot::snapshot`],
//! JSON snapshots in the workspace's `snapshots/` folder.

pub mod fuxin;
pub mod gobelieve;
pub mod server;
pub mod snapshot;
