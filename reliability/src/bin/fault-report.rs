//! The published figures: every fault of the suite at `--events` events (default 100,000), the
//! de-duplication window against the event rate, and the memory held by entries that never finish,
//! printed as the markdown tables of `RELIABILITY.md`. Progress goes to stderr.
//!
//! `cargo build --release -p finchat-reliability --bins && target/release/fault-report --events 100000
//! [--seed N] [--kills N] [--only TEXT] [--skip-memory]` (the polling faults run the `poll-consumer`
//! binary that sits beside this one, so both must be built: `cargo run --bin fault-report` alone
//! builds only this one).

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use finchat_client::receiver::InMemoryDedupe;
use finchat_reliability::dedupe_figures::{self, REDELIVERY_WINDOW, Window, highest_covered_rate};
use finchat_reliability::polling_faults::{PollingFault, PollingRun};
use finchat_reliability::receiver_faults::{ReceiverFault, ReceiverRun};
use finchat_reliability::{Tally, seed};

/// The default store's size, as `InMemoryDedupe::default()` documents it.
const CAPACITY: usize = 100_000;
const TTL: Duration = Duration::from_secs(2 * 3600);

type Failure = Box<dyn std::error::Error>;

struct Options {
    events: usize,
    seed: u64,
    kills: usize,
    only: Option<String>,
    memory: bool,
    probe: Option<(usize, usize, u64)>,
}

fn options() -> Result<Options, Failure> {
    let mut options = Options {
        events: 100_000,
        seed: seed(),
        kills: 100,
        only: None,
        memory: true,
        probe: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        match flag.as_str() {
            "--events" => options.events = value()?.parse()?,
            "--seed" => options.seed = value()?.parse()?,
            "--kills" => options.kills = value()?.parse()?,
            "--only" => options.only = Some(value()?),
            "--skip-memory" => options.memory = false,
            // Internal: one memory measurement in a fresh process (in flight, finished, budget s).
            "--memory-probe" => {
                options.probe = Some((value()?.parse()?, value()?.parse()?, value()?.parse()?));
            }
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    Ok(options)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> Result<(), Failure> {
    let options = options()?;
    if let Some((in_flight, finished, budget)) = options.probe {
        let m =
            dedupe_figures::measure_stuck_memory(in_flight, finished, Duration::from_secs(budget))
                .await;
        println!(
            "{}",
            serde_json::json!({
                "in_flight": m.in_flight, "finished": m.finished, "out_of_time": m.out_of_time,
                "grown_mib": m.grown_mib(), "elapsed_s": m.elapsed.as_secs_f64(),
                "last_begin_us": m.last_begin.as_secs_f64() * 1e6,
                "oldest_finished_remembered": m.oldest_finished_remembered,
            })
        );
        return Ok(());
    }
    let wanted = |name: &str| {
        options
            .only
            .as_ref()
            .is_none_or(|o| name.contains(o.as_str()))
    };
    // Checked before anything runs, so that a missing consumer does not cost the receiver's minutes.
    let consumer = std::env::current_exe()?.with_file_name("poll-consumer");
    if PollingFault::ALL.iter().any(|f| wanted(f.name())) && !consumer.exists() {
        return Err(format!(
            "{} is not built; build both binaries: cargo build --release -p finchat-reliability --bins",
            consumer.display()
        )
        .into());
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!(
        "Commit `{commit}`, {} events per fault, seed {}.\n",
        options.events, options.seed
    );
    println!("{}", Tally::header());
    for fault in ReceiverFault::ALL {
        if !wanted(fault.name()) {
            continue;
        }
        // Each hang costs a deadline of the one-at-a-time pushes: fewer of them.
        let fraction = match fault {
            ReceiverFault::HangPastDeadline | ReceiverFault::BlockPastDeadline => 0.005,
            _ => 0.1,
        };
        eprintln!("running {} …", fault.name());
        let tally = ReceiverRun::new(fault, options.events, fraction, options.seed)
            .run()
            .await?;
        println!("{}", tally.row());
    }
    for fault in PollingFault::ALL {
        if !wanted(fault.name()) {
            continue;
        }
        eprintln!("running {} …", fault.name());
        let mut run = PollingRun::new(fault, options.events, options.seed, &consumer);
        run.kills = options.kills;
        // The largest page the forwarder serves: it copies every later event for each page.
        run.page_size = 1000;
        run.window = Duration::from_secs(3);
        println!("{}", run.run().await?.row());
    }
    if wanted("dedupe") {
        dedupe_window().await;
    }
    if options.memory && wanted("memory") {
        stuck_memory()?;
    }
    Ok(())
}

async fn dedupe_window() {
    eprintln!("measuring the de-duplication window …");
    println!(
        "\n`InMemoryDedupe::default()`: {CAPACITY} ids for {} h; FinChat redelivers for {} h, so \
         the hour is covered up to {:.1} events/s.\n",
        TTL.as_secs() / 3600,
        REDELIVERY_WINDOW.as_secs() / 3600,
        highest_covered_rate(CAPACITY)
    );
    println!(
        "| events/s | ids remembered for | covers FinChat's hour | handled ids fed (one hour) | forgotten before the hour ends (measured) |"
    );
    println!("| ---: | ---: | --- | ---: | ---: |");
    for rate in [1.0, 10.0, 27.0, 28.0, 100.0, 1000.0] {
        let window = Window::at(CAPACITY, TTL, rate);
        let measured = if rate >= 10.0 {
            let store = InMemoryDedupe::default();
            let e = dedupe_figures::measure_early_evictions(&store, rate).await;
            (e.fed.to_string(), e.early().to_string())
        } else {
            ("–".to_owned(), "–".to_owned())
        };
        println!(
            "| {rate} | {} | {} | {} | {} |",
            minutes(window.covered),
            if window.covers_redeliveries() {
                "yes"
            } else {
                "**no**"
            },
            measured.0,
            measured.1
        );
    }
}

fn minutes(duration: Duration) -> String {
    format!("{:.1} min", duration.as_secs_f64() / 60.0)
}

/// Each memory case in a fresh process, so that what earlier runs allocated does not blur it.
fn stuck_memory() -> Result<(), Failure> {
    eprintln!("measuring memory with stuck entries …");
    println!(
        "\n| entries put in (`InMemoryDedupe::default()`) | put in within the budget | resident memory grown | last `begin` | oldest finished id still remembered | time |"
    );
    println!("| --- | ---: | ---: | ---: | --- | ---: |");
    let exe = std::env::current_exe()?;
    for (label, in_flight, finished) in [
        (
            "1,000,000 in flight, never finished",
            1_000_000_usize,
            0_usize,
        ),
        ("1 in flight, then 1,000,000 finished", 1, 1_000_000),
    ] {
        let output = Command::new(&exe)
            .args(["--memory-probe", &in_flight.to_string()])
            .arg(finished.to_string())
            .arg("30")
            .output()?;
        let m: HashMap<String, serde_json::Value> = serde_json::from_slice(&output.stdout)?;
        let put = m["in_flight"].as_u64().unwrap_or(0) + m["finished"].as_u64().unwrap_or(0);
        let budget = if m["out_of_time"] == true {
            " (30 s budget ran out)"
        } else {
            ""
        };
        println!(
            "| {label} | {put}{budget} | {:.0} MiB | {:.1} µs | {} | {:.1} s |",
            m["grown_mib"].as_f64().unwrap_or(f64::NAN),
            m["last_begin_us"].as_f64().unwrap_or(f64::NAN),
            if m["oldest_finished_remembered"] == true {
                "yes"
            } else if finished == 0 {
                "–"
            } else {
                "no"
            },
            m["elapsed_s"].as_f64().unwrap_or(f64::NAN),
        );
    }
    Ok(())
}
