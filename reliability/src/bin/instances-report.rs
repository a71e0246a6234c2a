//! The many-instances figure: `--cards` cards (default 5,000; two submissions each) on three
//! instances of one Redis behind a round-robin balancer, 5 % of first pushes cut mid-handler, one
//! instance killed half way; printed as the markdown row of `BENCHMARKS.md`.
//!
//! `cargo run --release -p finchat-reliability --bin instances-report -- [--cards N] [--seed N]
//! [--redis redis://…]` (without `--redis`, a `redis-server` of its own on a free port).

use finchat_reliability::instances::{InstancesRun, InstancesTally};
use finchat_test_support::redis::RedisServer;

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Failure> {
    let mut cards = 5000;
    let mut seed = finchat_reliability::seed();
    let mut url = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        match flag.as_str() {
            "--cards" => cards = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--redis" => url = Some(value()?),
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    let server = match &url {
        Some(_) => None,
        None => Some(RedisServer::start_local().ok_or("redis-server is not installed")?),
    };
    let (url, prefix) = match (&url, &server) {
        (Some(url), _) => (url.clone(), format!("instances-report-{seed}:")),
        (None, Some(server)) => (server.url().to_owned(), server.prefix().to_owned()),
        (None, None) => unreachable!("a server was started when no URL was given"),
    };
    eprintln!("{cards} cards, seed {seed}, redis {prefix}");
    let tally = InstancesRun::new(url, prefix, cards, seed).run().await?;
    println!("{}\n{}", InstancesTally::header(), tally.row());
    eprintln!("{tally:?}");
    if tally.lost > 0 || tally.decided_twice > 0 || tally.token_requests != 1 {
        return Err(
            "a card was lost or decided twice, or the instances fetched more than one token".into(),
        );
    }
    Ok(())
}
