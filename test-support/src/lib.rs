//! Helpers the workspace's tests share: [`server::TestServer`], a real HTTP server on 127.0.0.1 and a
//! free port that records each request and answers what the test says, [`snapshot::snapshot`],
//! JSON snapshots in the workspace's `snapshots/` folder, [`logs::Logs`], what `tracing` emits, and
//! [`redis::RedisServer`], a Redis server for the `redis` stores' tests.

pub mod fuxin;
pub mod gobelieve;
pub mod logs;
pub mod redis;
pub mod server;
pub mod snapshot;
