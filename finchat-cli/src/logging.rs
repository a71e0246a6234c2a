//! The log on stderr: warnings by default, `-v` / `-vv` / `-vvv` for more, `-q` for errors only, and
//! `RUST_LOG` over all of them.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::output;

/// The crates whose logs `-v` turns up (the binary's own target is `finchat`).
const OURS: &[&str] = &[
    "finchat",
    "finchat_client",
    "finchat_cui",
    "finchat_sandbox",
];

/// Installs the subscriber for `-v` given `verbose` times, or `-q`.
pub fn init(verbose: u8, quiet: bool) {
    let default = default_filter(verbose, quiet);
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::try_new(&directives)
            .unwrap_or_else(|e| {
                output::error_line(format_args!(
                    "finchat: RUST_LOG={directives:?} is not a log filter ({e}); using `{default}`"
                ));
                EnvFilter::new(&default)
            }),
        _ => EnvFilter::new(&default),
    };
    let stderr = std::io::stderr();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(stderr.is_terminal())
        // Its report of a failed write goes through `eprintln!`, which panics on a closed stderr.
        .log_internal_errors(false);
    // Plain lines by default; times and module paths when asked for detail.
    let installed = if verbose == 0 {
        builder.without_time().with_target(false).try_init()
    } else {
        builder.try_init()
    };
    if let Err(e) = installed {
        output::error_line(format_args!("finchat: no log: {e}"));
    }
}

fn default_filter(verbose: u8, quiet: bool) -> String {
    let ours = |level: &str| {
        let directives: Vec<String> = OURS.iter().map(|c| format!("{c}={level}")).collect();
        directives.join(",")
    };
    match (quiet, verbose) {
        (true, _) => "error".to_owned(),
        (false, 0) => "warn".to_owned(),
        (false, 1) => format!("warn,{}", ours("debug")),
        (false, 2) => format!("warn,{}", ours("trace")),
        (false, _) => "trace".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_turns_our_crates_up_and_q_leaves_only_errors() {
        assert_eq!(default_filter(0, false), "warn");
        assert!(default_filter(1, false).contains("finchat_client=debug"));
        assert!(default_filter(2, false).contains("finchat=trace"));
        assert_eq!(default_filter(3, false), "trace");
        assert_eq!(default_filter(0, true), "error");
    }
}
