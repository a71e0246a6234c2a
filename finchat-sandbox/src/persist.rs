//! Writing the state file and the media files durably (issue 12, item 25): each through a temporary
//! file of its own beside the target, written, fsynced, renamed over the target, and the directory
//! fsynced, so that a crash leaves the old file or the new one, never a mix or nothing.
//!
//! Media is kept out of the state file: each upload is one file in the media directory beside it
//! (`<state file name>.media/<media id>`), written once when it is uploaded.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The directory beside `state_file` that holds the uploads: `sandbox.json` → `sandbox.json.media`.
pub(crate) fn media_dir(state_file: &Path) -> PathBuf {
    let mut name = state_file.file_name().unwrap_or_default().to_owned();
    name.push(".media");
    state_file.with_file_name(name)
}

/// Whether `id` can name a file in the media directory (the sandbox makes them of hex digits;
/// anything else in a state file is refused, never joined into a path).
pub(crate) fn is_media_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `error` with the path it happened at (the operating system's message names none).
fn at(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("cannot write {}: {error}", path.display()),
    )
}

/// Writes `bytes` to `path` durably: a temporary file of a unique name beside it, fsynced, renamed
/// over `path`, and the directory fsynced (on Unix; elsewhere the rename is as durable as the
/// system makes it). Creates the directory if it is missing.
///
/// # Errors
///
/// The first I/O error, its message naming `path`; the temporary file is then removed.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(path.file_name().unwrap_or_default());
    temporary_name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = dir.join(temporary_name);
    let written = (|| {
        fs::create_dir_all(dir)?;
        let mut file = File::options()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        fs::remove_file(&temporary).ok();
    }
    written.map_err(|e| at(path, e))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ids_never_leave_the_media_directory() {
        assert!(is_media_id("0a1b2c3d4e5f"));
        for id in ["", "..", "../state.json", "a/b", "a\\b", "ß"] {
            assert!(!is_media_id(id), "{id}");
        }
        assert_eq!(
            media_dir(Path::new("/tmp/x/sandbox.json")),
            Path::new("/tmp/x/sandbox.json.media")
        );
    }

    #[test]
    fn a_durable_write_replaces_the_file_and_leaves_nothing_else() {
        let dir = std::env::temp_dir().join(format!("finchat-persist-{}", std::process::id()));
        fs::remove_dir_all(&dir).ok();
        let path = dir.join("state.json");
        write_durably(&path, b"one").unwrap();
        write_durably(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        let error = write_durably(&path.join("under-a-file"), b"x").unwrap_err();
        assert!(error.to_string().contains("under-a-file"), "{error}");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
        fs::remove_dir_all(&dir).ok();
    }
}
