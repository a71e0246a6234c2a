//! Helpers the workspace's tests share: [`server::TestServer`], a real HTTP server on 127.0.0.1 and a
//! free port that records each request and answers what the test says, [`snapshot::snapshot`],
//! JSON snapshots in the workspace's `snapshots/` folder, [`logs::Logs`], what `tracing` emits,
//! [`redis::RedisServer`], a Redis server for the `redis` stores' tests, and [`missing::tool_missing`],
//! what a test does when a tool it needs is not installed.

pub mod fuxin;
pub mod gobelieve;
pub mod logs;
pub mod missing;
pub mod redis;
pub mod server;
pub mod snapshot;
