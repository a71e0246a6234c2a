//! The quick fault-injection suite: each fault on 1,000 events, counted by id. The seed is printed
//! with every failure; `FINCHAT_RELIABILITY_SEED=<seed>` replays it.

mod polling;
mod receiver;
