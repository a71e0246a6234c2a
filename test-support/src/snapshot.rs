//! Shared test helpers: JSON snapshots in the workspace's `snapshots/` folder.

use serde::Serialize;

/// Snapshots `value` as JSON under `snapshots/<name>.snap` at the workspace root.
pub fn snapshot(name: &str, value: &impl Serialize) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_sort_maps(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}
