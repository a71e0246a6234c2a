//! The events of the page in hand that a [`FileCursor`](super::FileCursor) already passed, kept in
//! `<cursor file>.passed` so that a restart does not handle them again.
//!
//! The file's first line is the cursor the events come after (JSON: a string, or `null` before the
//! first save); each further line is one passed event's key (a JSON string), appended and flushed to
//! disk before the consumer moves on. A file for another cursor is stale (the cursor moved past its
//! page) and is read as empty; an unfinished last line (a crash while writing it) is ignored.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::cursor::FileError;

/// `<cursor file>.passed`.
pub(super) fn passed_path(cursor: &Path) -> PathBuf {
    let mut path = cursor.to_path_buf().into_os_string();
    path.push(".passed");
    PathBuf::from(path)
}

/// The keys passed after `since`, from `path`; none when the file is missing or for another cursor.
pub(super) fn read_passed(path: &Path, since: Option<&str>) -> io::Result<Vec<String>> {
    let text = match fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(FileError::io("cannot read the passed events", path, e)),
    };
    // Only whole lines: the last one may have been cut by a crash.
    let whole = text.rsplit_once('\n').map_or("", |(whole, _)| whole);
    let mut lines = whole.lines();
    let header: Option<Option<String>> = lines.next().and_then(|l| serde_json::from_str(l).ok());
    if header.as_ref().map(Option::as_deref) != Some(since) {
        return Ok(Vec::new());
    }
    Ok(lines
        .filter_map(|line| serde_json::from_str::<String>(line).ok())
        .collect())
}

/// Records `key` as passed after `since`, durably: appended to `path` (started again when it holds
/// another cursor's events) and flushed to disk.
pub(super) fn append_passed(path: &Path, since: Option<&str>, key: &str) -> io::Result<()> {
    let header = format!("{}\n", serde_json::Value::from(since));
    let current = match fs::read(path) {
        Ok(bytes) => bytes.starts_with(header.as_bytes()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(FileError::io("cannot read the passed events", path, e)),
    };
    let line = format!("{}\n", serde_json::Value::from(key));
    let written = (|| {
        let mut file = if current {
            fs::OpenOptions::new().append(true).open(path)?
        } else {
            let mut file = fs::File::create(path)?;
            file.write_all(header.as_bytes())?;
            file
        };
        file.write_all(line.as_bytes())?;
        file.sync_data()
    })();
    written.map_err(|e| FileError::io("cannot record a passed event in", path, e))
}

/// Forgets the passed events once the cursor moved past their page (a leftover file is harmless: it
/// names another cursor).
pub(super) fn clear_passed(path: &Path) {
    fs::remove_file(path).ok();
}

#[cfg(test)]
mod tests {
    use super::{append_passed, read_passed};

    #[test]
    fn passed_events_are_read_back_only_for_their_cursor_and_only_whole_lines() {
        let dir = std::env::temp_dir().join(format!("finchat-passed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cursor.passed");
        std::fs::remove_file(&path).ok();

        assert!(read_passed(&path, None).unwrap().is_empty());
        append_passed(&path, None, "id $1:x").unwrap();
        append_passed(&path, None, "id $2:x\nwith a line break").unwrap();
        assert_eq!(
            read_passed(&path, None).unwrap(),
            ["id $1:x", "id $2:x\nwith a line break"]
        );
        assert!(read_passed(&path, Some("$2:x")).unwrap().is_empty());

        // Another cursor starts the file again.
        append_passed(&path, Some("$2:x"), "id $3:x").unwrap();
        assert_eq!(read_passed(&path, Some("$2:x")).unwrap(), ["id $3:x"]);
        assert!(read_passed(&path, None).unwrap().is_empty());

        // A line cut by a crash is not a passed event.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"\"id $4");
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(read_passed(&path, Some("$2:x")).unwrap(), ["id $3:x"]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
