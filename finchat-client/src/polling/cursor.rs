//! Where the consumer keeps its place: the `since` the forwarder API last said to pass back.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::dead_letter::{DeadLetter, FileDeadLetter, LogDeadLetter};
use super::passed::{append_passed, clear_passed, passed_path, read_passed};
use crate::token::StoreFuture;

/// The longest cursor a [`FileCursor`] reads or writes, in bytes. FinChat's positions are event ids,
/// well under it; a longer file is not a cursor.
pub const MAX_CURSOR_LEN: usize = 4096;

/// Where the `since` cursor is kept between runs.
///
/// The consumer saves only positions the forwarder API answered (never an empty one), and only once
/// every event before them is handled or kept in the dead letter.
pub trait CursorStore: Send + Sync {
    /// The saved cursor; `None` before the first save.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when the cursor cannot be read, or what is stored is not a cursor; the
    /// consumer then polls nothing (rather than start again from the first kept event).
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>>;

    /// Saves the cursor, durably: once this returns `Ok`, a crash does not take it back.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when it cannot be saved; the consumer then tries the same page again later.
    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>>;

    /// The events after `since` already passed (handled, or kept in the dead letter) as
    /// [`CursorStore::save_passed`] recorded them, so that after a restart the consumer does not
    /// handle the finished part of the page in hand again. By default none: a store that does not
    /// keep them makes a restart handle that part of the page again.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when they cannot be read; the consumer then polls nothing.
    fn load_passed(&self, since: Option<&str>) -> StoreFuture<'_, io::Result<Vec<String>>> {
        let _ = since;
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Records, durably, that the event `key` after `since` is passed. By default nothing is kept.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when it cannot be recorded; the consumer then stops before the next event and
    /// tries the page again later (the event may then be handled again).
    fn save_passed(&self, since: Option<&str>, key: &str) -> StoreFuture<'_, io::Result<()>> {
        let _ = (since, key);
        Box::pin(async { Ok(()) })
    }

    /// Takes or renews, for `ttl`, the lease that lets one consumer (`owner`) poll this cursor while
    /// the others wait: `Ok(true)` when `owner` holds it (taken, or renewed), `Ok(false)` when
    /// another owner does. The consumer asks before each fetch and before each event of a page;
    /// when its owner dies, the lease lapses after `ttl` and another takes over. By default always
    /// `Ok(true)`: a store that one consumer uses needs no lease. A store that wraps another must
    /// forward it, or the wrapped store's lease is never taken.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when the store cannot be asked; the consumer then polls nothing, and tries
    /// again after its backoff.
    fn lease(&self, owner: &str, ttl: Duration) -> StoreFuture<'_, io::Result<bool>> {
        let _ = (owner, ttl);
        Box::pin(async { Ok(true) })
    }

    /// Where the consumer keeps the events it gives up on, unless the app sets one
    /// ([`PollingConsumer::dead_letter`](super::PollingConsumer::dead_letter)). By default they are
    /// only logged ([`LogDeadLetter`]); a [`FileCursor`] keeps them in a file beside it.
    fn default_dead_letter(&self) -> Arc<dyn DeadLetter> {
        Arc::new(LogDeadLetter)
    }
}

/// A cursor in a file, one line, replaced atomically: written to a temporary file of a unique name in
/// the same directory, flushed to disk, renamed over the cursor, and the directory flushed, so that
/// after a crash the file holds either the old cursor or the new one, whole.
///
/// A file that is not a cursor (empty, blank, not UTF-8, with control characters or several lines,
/// longer than [`MAX_CURSOR_LEN`]) is refused, with its path: it is left for a person to look at.
/// A missing file means "from the first kept event".
///
/// The events of the page in hand already passed are kept in `<cursor file>.passed` (one line each,
/// flushed to disk), so a process killed in the middle of a page handles again at most the event it
/// was handling, not the page. Its default dead letter is a [`FileDeadLetter`] at
/// `<cursor file>.dead-letter.jsonl`.
#[derive(Debug, Clone)]
pub struct FileCursor {
    path: PathBuf,
}

impl FileCursor {
    /// The cursor kept in `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl CursorStore for FileCursor {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        let path = self.path.clone();
        Box::pin(blocking(move || read_cursor(&path)))
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        let path = self.path.clone();
        let since = since.to_owned();
        // On the blocking pool, it runs to its end even when the caller stops waiting for it.
        Box::pin(blocking(move || {
            write_cursor(&path, &since)?;
            clear_passed(&passed_path(&path));
            Ok(())
        }))
    }

    fn load_passed(&self, since: Option<&str>) -> StoreFuture<'_, io::Result<Vec<String>>> {
        let path = passed_path(&self.path);
        let since = since.map(str::to_owned);
        Box::pin(blocking(move || read_passed(&path, since.as_deref())))
    }

    fn save_passed(&self, since: Option<&str>, key: &str) -> StoreFuture<'_, io::Result<()>> {
        let path = passed_path(&self.path);
        let (since, key) = (since.map(str::to_owned), key.to_owned());
        Box::pin(blocking(move || {
            append_passed(&path, since.as_deref(), &key)
        }))
    }

    fn default_dead_letter(&self) -> Arc<dyn DeadLetter> {
        let mut path = self.path.clone().into_os_string();
        path.push(".dead-letter.jsonl");
        Arc::new(FileDeadLetter::new(path))
    }
}

/// Runs blocking file work off the runtime's threads.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(io::Error::other(format!("file work stopped: {e}"))))
}

fn read_cursor(path: &Path) -> io::Result<Option<String>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(FileError::io("cannot read the cursor file", path, e)),
    };
    if bytes.len() > MAX_CURSOR_LEN + 2 {
        return Err(FileError::not_a_cursor(path, "it is too long"));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| FileError::not_a_cursor(path, "it is not UTF-8 text"))?;
    // The one line, with the line end an editor adds.
    let line = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    check(line).map_err(|why| FileError::not_a_cursor(path, why))?;
    Ok(Some(line.to_owned()))
}

/// Why `since` is not a cursor a file can hold.
fn check(since: &str) -> Result<(), &'static str> {
    if since.trim().is_empty() {
        Err("it is empty")
    } else if since.len() > MAX_CURSOR_LEN {
        Err("it is too long")
    } else if since.contains(['\n', '\r']) {
        Err("it has more than one line")
    } else if since.chars().any(char::is_control) {
        Err("it holds control characters")
    } else if since.trim() != since {
        Err("it starts or ends with blanks")
    } else {
        Ok(())
    }
}

/// Tells temporary files of the same process apart.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

fn write_cursor(path: &Path, since: &str) -> io::Result<()> {
    check(since).map_err(|why| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to save a cursor that is not one ({why})"),
        )
    })?;
    let directory = directory_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| FileError::not_a_cursor(path, "the path names no file"))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        TEMPORARY.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = directory.join(temporary_name);
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(since.as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if let Err(e) = written {
        fs::remove_file(&temporary).ok();
        return Err(FileError::io("cannot write the cursor file", path, e));
    }
    sync_directory(directory)
        .map_err(|e| FileError::io("cannot flush the directory of the cursor file", path, e))
}

/// The directory `path` is in (`.` for a bare file name).
pub(super) fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Flushes a directory's entries (a rename, a new file) to disk. Only Unix can open a directory for
/// that; elsewhere the rename's own guarantees are what there is.
pub(super) fn sync_directory(directory: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(directory)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = directory;
    Ok(())
}

/// A file error that names the file, with the operating system's error as its source.
#[derive(Debug)]
pub(super) struct FileError {
    what: String,
    source: Option<io::Error>,
}

impl FileError {
    /// `doing` (e.g. "cannot read the cursor file") `path`, caused by `source`.
    pub(super) fn io(doing: &str, path: &Path, source: io::Error) -> io::Error {
        let kind = source.kind();
        io::Error::new(
            kind,
            Self {
                what: format!("{doing} {}", path.display()),
                source: Some(source),
            },
        )
    }

    fn not_a_cursor(path: &Path, why: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            Self {
                what: format!(
                    "the cursor file {} is not a cursor ({why}); remove it to start from the first \
                     kept event, or write the last `since` into it",
                    path.display()
                ),
                source: None,
            },
        )
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// A cursor in memory (tests, or an app that keeps it elsewhere itself).
#[derive(Debug, Default)]
pub struct MemoryCursor(Mutex<Option<String>>);

impl CursorStore for MemoryCursor {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        let since = self.0.lock().map(|c| c.clone()).unwrap_or_default();
        Box::pin(async move { Ok(since) })
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        if let Ok(mut cursor) = self.0.lock() {
            *cursor = Some(since.to_owned());
        }
        Box::pin(async { Ok(()) })
    }
}

/// A shared cursor store, so that the app can read the cursor while the consumer runs.
impl<T: CursorStore + ?Sized> CursorStore for Arc<T> {
    fn load(&self) -> StoreFuture<'_, io::Result<Option<String>>> {
        (**self).load()
    }

    fn save(&self, since: &str) -> StoreFuture<'_, io::Result<()>> {
        (**self).save(since)
    }

    fn load_passed(&self, since: Option<&str>) -> StoreFuture<'_, io::Result<Vec<String>>> {
        (**self).load_passed(since)
    }

    fn save_passed(&self, since: Option<&str>, key: &str) -> StoreFuture<'_, io::Result<()>> {
        (**self).save_passed(since, key)
    }

    fn lease(&self, owner: &str, ttl: Duration) -> StoreFuture<'_, io::Result<bool>> {
        (**self).lease(owner, ttl)
    }

    fn default_dead_letter(&self) -> Arc<dyn DeadLetter> {
        (**self).default_dead_letter()
    }
}
