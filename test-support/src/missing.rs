//! What a test does when a tool it needs is not installed: under CI (`CI` set) it fails, asking for
//! the install; elsewhere it says which tests were not run, and the test returns.
//!
//! This file has no dependencies, so a crate that cannot depend on this one (finchat-cui's tests) can
//! include it with `#[path]`.

/// Where `program` is on `PATH`, if it is there.
pub fn on_path(program: &str) -> Option<std::path::PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// Reports that `tool` is missing, so `tests` are not run; `install` says how to install it.
///
/// # Panics
///
/// Under CI (`CI` set), where every test must run.
pub fn tool_missing(tests: &str, tool: &str, install: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{tool} is not installed: {install} so the {tests} run"
    );
    eprintln!("{tests} not run: {tool} is not installed ({install})");
}
