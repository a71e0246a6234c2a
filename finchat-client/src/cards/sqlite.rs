//! [`SqliteCardStore`]: cards in an embedded SQLite file.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_cui::EventId;
use rusqlite::types::ToSql;
use rusqlite::{
    Connection, OptionalExtension, Params, TransactionBehavior, params, params_from_iter,
};

use super::store::{CardFilter, CardStore, StoreError, StoreResult};
use super::{CardId, CardRecord};
use crate::token::StoreFuture;

/// The schema this version writes and reads, kept in the file's `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// How long a call waits for another connection (in this process or another) that holds the
/// file's write lock, before it fails as [`StoreError::Unavailable`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Schema version 1. Each card's whole record is its JSON; the other columns and tables are what
/// the store selects by, written in the same transaction as the record.
const SCHEMA_V1: &str = "
CREATE TABLE cards (
    id TEXT PRIMARY KEY NOT NULL,
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    live INTEGER NOT NULL,
    wakes_at INTEGER,
    record TEXT NOT NULL
);
CREATE INDEX cards_wakes_at ON cards (wakes_at, id) WHERE wakes_at IS NOT NULL;
CREATE INDEX cards_kind ON cards (kind, created_ms, id);
CREATE INDEX cards_created ON cards (created_ms, id);
CREATE TABLE origins (
    origin_event TEXT PRIMARY KEY NOT NULL,
    card_id TEXT NOT NULL REFERENCES cards (id)
);
CREATE INDEX origins_card ON origins (card_id);
CREATE TABLE labels (
    card_id TEXT NOT NULL REFERENCES cards (id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (card_id, key)
) WITHOUT ROWID;
CREATE INDEX labels_key_value ON labels (key, value, card_id);
";

/// A [`CardStore`] in an embedded SQLite file (bundled: nothing to install), for one process
/// whose cards must survive a restart or a crash. Feature `sqlite`.
///
/// The file is opened in WAL mode with `synchronous=FULL`: once [`CardStore::insert`] or
/// [`CardStore::replace`] has answered `Ok`, the change is on disk and survives a crash of the
/// process or of the machine. Every change is one transaction, so a crash mid-call leaves the card
/// as it was before the call.
///
/// Several stores (in this process or in others on the same machine) may open one file: a call
/// waits up to 5 seconds for another that is writing rather than failing, and the
/// compare-and-set of [`CardStore::replace`] holds across all of them. The file must be on a local
/// disk (SQLite's locks do not work over most network file systems); for many machines use
/// `RedisCardStore`.
///
/// SQLite is blocking: each call runs on tokio's blocking thread pool (so it must be made inside a
/// tokio runtime), one at a time per store. A call whose future is dropped, e.g. by a deadline,
/// still completes or rolls back as a whole.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use finchat_client::cards::{CardFilter, CardStore, SqliteCardStore};
///
/// let store = SqliteCardStore::open("/var/lib/mybot/cards.sqlite3")?;
/// let waiting = store.find(&CardFilter::kind("ApprovalForm").live()).await?;
/// println!("{} approvals are waiting", waiting.len());
/// # Ok(())
/// # }
/// ```
pub struct SqliteCardStore {
    conn: Arc<Mutex<Connection>>,
    /// The file's path (or `:memory:`), for errors.
    location: Arc<str>,
}

impl std::fmt::Debug for SqliteCardStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteCardStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl SqliteCardStore {
    /// Opens the store in the file at `path`, creating the file and its tables when missing.
    ///
    /// This reads and may write the file: in async code, call it before serving or on
    /// [`tokio::task::spawn_blocking`].
    ///
    /// ```no_run
    /// use finchat_client::cards::SqliteCardStore;
    ///
    /// let store = SqliteCardStore::open("cards.sqlite3")?;
    /// # let _ = store;
    /// # Ok::<(), finchat_client::cards::StoreError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`], naming the file, when it cannot be opened or created (a
    /// directory, a missing parent directory, no permission, not an SQLite file), or when it was
    /// written by a newer version of this crate (its schema version is newer than this one reads).
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref();
        let location: Arc<str> = path.display().to_string().into();
        let conn = Connection::open(path).map_err(|source| {
            StoreError::unavailable(SqliteError::Open {
                what: "open",
                location: Arc::clone(&location),
                source,
            })
        })?;
        Self::setup(conn, location, true)
    }

    /// A store in this process's memory, empty, forgotten when dropped: for tests.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), finchat_client::cards::StoreError> {
    /// use finchat_client::cards::{CardFilter, CardStore, SqliteCardStore};
    ///
    /// let store = SqliteCardStore::in_memory()?;
    /// assert!(store.find(&CardFilter::all()).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when SQLite cannot make the database (out of memory).
    pub fn in_memory() -> StoreResult<Self> {
        let location: Arc<str> = ":memory:".into();
        let conn = Connection::open_in_memory().map_err(|source| {
            StoreError::unavailable(SqliteError::Open {
                what: "open",
                location: Arc::clone(&location),
                source,
            })
        })?;
        Self::setup(conn, location, false)
    }

    /// Sets the connection up (waiting on locks, WAL, durable commits, foreign keys) and creates or
    /// checks the schema.
    fn setup(mut conn: Connection, location: Arc<str>, file: bool) -> StoreResult<Self> {
        let fail = |what: &'static str| {
            let location = Arc::clone(&location);
            move |source| {
                StoreError::unavailable(SqliteError::Open {
                    what,
                    location,
                    source,
                })
            }
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(fail("set the busy timeout of"))?;
        if file {
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
                .map_err(fail("turn on the WAL journal of"))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(
                    file = %location,
                    journal_mode = %mode,
                    "the SQLite card store could not use WAL mode",
                );
            }
        }
        // FULL: in WAL mode, NORMAL may lose the last commits when the machine (not the process)
        // crashes; a registered card must not be lost.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail("set synchronous=FULL on"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(fail("turn on foreign keys of"))?;

        // IMMEDIATE: two processes creating one new file do it one after the other.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail("lock"))?;
        let found: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail("read the schema version of"))?;
        match found {
            0 => {
                tx.execute_batch(SCHEMA_V1)
                    .map_err(fail("create the tables of"))?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(fail("set the schema version of"))?;
            }
            SCHEMA_VERSION => {}
            _ => {
                return Err(StoreError::unavailable(SqliteError::Schema {
                    location: Arc::clone(&location),
                    found,
                }));
            }
        }
        tx.commit().map_err(fail("set up"))?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            location,
        })
    }

    /// Runs `f` on the connection on tokio's blocking pool: a panic there, or a connection left
    /// poisoned by one, is [`StoreError::Unavailable`].
    fn run<T, F>(&self, call: &'static str, f: F) -> StoreFuture<'static, StoreResult<T>>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Fail> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let location = Arc::clone(&self.location);
        Box::pin(async move {
            let task_location = Arc::clone(&location);
            let task = tokio::task::spawn_blocking(move || {
                let mut conn = conn.lock().map_err(|_| {
                    StoreError::unavailable(SqliteError::Poisoned {
                        location: Arc::clone(&task_location),
                    })
                })?;
                f(&mut conn).map_err(|fail| match fail {
                    Fail::Sql(source) => StoreError::unavailable(SqliteError::Call {
                        call,
                        location: task_location,
                        source,
                    }),
                    Fail::Store(error) => error,
                })
            });
            match task.await {
                Ok(result) => result,
                Err(source) => Err(StoreError::unavailable(SqliteError::Panicked {
                    call,
                    location,
                    source,
                })),
            }
        })
    }
}

/// Why a call failed inside the blocking closure: SQLite's error (made
/// [`StoreError::Unavailable`] with the call and the file) or the store's own.
enum Fail {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for Fail {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sql(error)
    }
}

impl From<StoreError> for Fail {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// The causes of [`StoreError::Unavailable`] this store gives, each naming the file.
#[derive(Debug, thiserror::Error)]
enum SqliteError {
    #[error("cannot {what} the SQLite card store `{location}`: {source}")]
    Open {
        what: &'static str,
        location: Arc<str>,
        source: rusqlite::Error,
    },
    #[error(
        "the SQLite card store `{location}` has schema version {found}, which this version of \
         finchat-client cannot read (it reads version {SCHEMA_VERSION}): a newer finchat-client \
         wrote it, or it is not a card store"
    )]
    Schema { location: Arc<str>, found: i64 },
    #[error("{call} on the SQLite card store `{location}` failed: {source}")]
    Call {
        call: &'static str,
        location: Arc<str>,
        source: rusqlite::Error,
    },
    #[error("{call} on the SQLite card store `{location}` panicked: {source}")]
    Panicked {
        call: &'static str,
        location: Arc<str>,
        source: tokio::task::JoinError,
    },
    #[error(
        "the SQLite card store `{location}` is unusable: a call panicked while it held the \
         connection"
    )]
    Poisoned { location: Arc<str> },
    #[error("card `{id}` has revision {revision}, more than SQLite can keep")]
    Revision { id: CardId, revision: u64 },
}

/// A card as the columns and index rows it is written as.
struct Row {
    id: String,
    revision: i64,
    kind: String,
    created_ms: i64,
    live: bool,
    wakes_at: Option<i64>,
    record: String,
    labels: Vec<(String, String)>,
    origins: Vec<String>,
}

impl Row {
    fn of(card: &CardRecord) -> StoreResult<Self> {
        Ok(Self {
            id: card.id.as_str().to_owned(),
            revision: sql_revision(card, card.revision)?,
            kind: card.kind.clone(),
            created_ms: card.created_ms,
            live: card.is_live(),
            wakes_at: card.wakes_at(),
            record: serde_json::to_string(card).map_err(StoreError::unavailable)?,
            labels: card
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            origins: card
                .copies
                .iter()
                .map(|c| c.origin_event.as_str().to_owned())
                .collect(),
        })
    }

    /// The columns of `cards`, as `?1` to `?7`: id, revision, kind, created_ms, live, wakes_at,
    /// record.
    fn columns(&self) -> [&dyn ToSql; 7] {
        [
            &self.id,
            &self.revision,
            &self.kind,
            &self.created_ms,
            &self.live,
            &self.wakes_at,
            &self.record,
        ]
    }

    fn write_labels(&self, conn: &Connection) -> rusqlite::Result<()> {
        let mut insert =
            conn.prepare("INSERT INTO labels (card_id, key, value) VALUES (?1, ?2, ?3)")?;
        for (key, value) in &self.labels {
            insert.execute(params![self.id, key, value])?;
        }
        Ok(())
    }
}

fn sql_revision(card: &CardRecord, revision: u64) -> StoreResult<i64> {
    i64::try_from(revision).map_err(|_| {
        StoreError::unavailable(SqliteError::Revision {
            id: card.id.clone(),
            revision,
        })
    })
}

/// The cards `sql` selects as rows of `(id, record)`, in order.
fn select(conn: &Connection, sql: &str, params: impl Params) -> Result<Vec<CardRecord>, Fail> {
    let mut select = conn.prepare(sql)?;
    let rows = select.query_map(params, |row| Ok((row.get(0)?, row.get(1)?)))?;
    let mut cards = Vec::new();
    for row in rows {
        let (id, record): (String, String) = row?;
        cards.push(StoreError::decode(&id, record.as_bytes())?);
    }
    Ok(cards)
}

/// The cards whose `wakes_at` is at or before `?1`, soonest first, at most `?2`: the partial index
/// `cards_wakes_at` holds them in this order.
const DUE_SQL: &str = "SELECT id, record FROM cards
     WHERE wakes_at IS NOT NULL AND wakes_at <= ?1
     ORDER BY wakes_at, id LIMIT ?2";

/// The query of [`CardStore::find`] for `filter`, and its parameters: selected by the indexes on
/// kind and labels, never by reading every card.
fn find_sql(filter: &CardFilter) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT c.id, c.record FROM cards AS c WHERE 1");
    let mut args: Vec<String> = Vec::new();
    if let Some(kind) = &filter.kind {
        args.push(kind.clone());
        sql.push_str(&format!(" AND c.kind = ?{}", args.len()));
    }
    if filter.live_only {
        sql.push_str(" AND c.live = 1");
    }
    for (key, value) in &filter.labels {
        args.push(key.clone());
        args.push(value.clone());
        sql.push_str(&format!(
            " AND c.id IN (SELECT card_id FROM labels WHERE key = ?{} AND value = ?{})",
            args.len() - 1,
            args.len()
        ));
    }
    sql.push_str(" ORDER BY c.created_ms, c.id");
    (sql, args)
}

impl CardStore for SqliteCardStore {
    fn insert<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<()>> {
        let row = match Row::of(card) {
            Ok(row) => row,
            Err(e) => return Box::pin(async move { Err(e) }),
        };
        let id = card.id.clone();
        self.run("insert", move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id_taken = tx
                .query_row("SELECT 1 FROM cards WHERE id = ?1", [&row.id], |_| Ok(()))
                .optional()?
                .is_some();
            let mut origin_taken = false;
            {
                let mut taken = tx.prepare("SELECT 1 FROM origins WHERE origin_event = ?1")?;
                for origin in &row.origins {
                    origin_taken |= taken.exists([origin])?;
                }
            }
            if id_taken || origin_taken {
                return Err(StoreError::Exists(id).into());
            }
            tx.execute(
                "INSERT INTO cards (id, revision, kind, created_ms, live, wakes_at, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &row.columns()[..],
            )?;
            {
                // OR IGNORE: a card that lists one event twice keeps it once.
                let mut insert = tx.prepare(
                    "INSERT OR IGNORE INTO origins (origin_event, card_id) VALUES (?1, ?2)",
                )?;
                for origin in &row.origins {
                    insert.execute(params![origin, row.id])?;
                }
            }
            row.write_labels(&tx)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        let id = id.as_str().to_owned();
        self.run("get", move |conn| {
            Ok(select(conn, "SELECT id, record FROM cards WHERE id = ?1", [&id])?.pop())
        })
    }

    fn revision<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<Option<u64>>> {
        let id = id.as_str().to_owned();
        self.run("revision", move |conn| {
            let revision: Option<i64> = conn
                .query_row("SELECT revision FROM cards WHERE id = ?1", [&id], |row| {
                    row.get(0)
                })
                .optional()?;
            Ok(revision.and_then(|r| u64::try_from(r).ok()))
        })
    }

    fn by_origin<'a>(
        &'a self,
        origin: &'a EventId,
    ) -> StoreFuture<'a, StoreResult<Option<CardRecord>>> {
        let origin = origin.as_str().to_owned();
        self.run("by_origin", move |conn| {
            let mut found = select(
                conn,
                "SELECT c.id, c.record FROM origins AS o JOIN cards AS c ON c.id = o.card_id
                 WHERE o.origin_event = ?1",
                [&origin],
            )?;
            Ok(found.pop())
        })
    }

    fn replace<'a>(&'a self, card: &'a CardRecord) -> StoreFuture<'a, StoreResult<bool>> {
        // Revision 0 is never kept: nothing to write over.
        let Some(previous) = card.revision.checked_sub(1) else {
            return Box::pin(async { Ok(false) });
        };
        let prepared = sql_revision(card, previous).and_then(|p| Ok((p, Row::of(card)?)));
        let (previous, row) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => return Box::pin(async move { Err(e) }),
        };
        self.run("replace", move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE cards
                 SET revision = ?2, kind = ?3, created_ms = ?4, live = ?5, wakes_at = ?6,
                     record = ?7
                 WHERE id = ?1 AND revision = ?8",
                params_from_iter(row.columns().into_iter().chain([&previous as &dyn ToSql])),
            )?;
            if changed == 0 {
                return Ok(false);
            }
            tx.execute("DELETE FROM labels WHERE card_id = ?1", [&row.id])?;
            row.write_labels(&tx)?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn find<'a>(&'a self, filter: &'a CardFilter) -> StoreFuture<'a, StoreResult<Vec<CardRecord>>> {
        let (sql, args) = find_sql(filter);
        self.run("find", move |conn| {
            select(conn, &sql, params_from_iter(&args))
        })
    }

    fn due(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, StoreResult<Vec<CardRecord>>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run("due", move |conn| {
            select(conn, DUE_SQL, params![now_ms, limit])
        })
    }

    fn remove<'a>(&'a self, id: &'a CardId) -> StoreFuture<'a, StoreResult<()>> {
        let id = id.as_str().to_owned();
        self.run("remove", move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM labels WHERE card_id = ?1", [&id])?;
            tx.execute("DELETE FROM origins WHERE card_id = ?1", [&id])?;
            tx.execute("DELETE FROM cards WHERE id = ?1", [&id])?;
            tx.commit()?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::contract;
    use super::*;

    fn event(n: &str) -> EventId {
        format!("${n}:contract.example")
            .parse()
            .expect("an event id")
    }

    #[tokio::test]
    async fn sqlite_store_keeps_the_card_store_contract() {
        let memory = SqliteCardStore::in_memory().expect("in memory");
        contract::check(&memory).await;

        let dir = tempfile::tempdir().expect("tempdir");
        let file = SqliteCardStore::open(dir.path().join("cards.sqlite3")).expect("open");
        contract::check(&file).await;
    }

    #[tokio::test]
    async fn a_card_survives_closing_and_reopening_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cards.sqlite3");
        let mut kept = contract::card("kept", "Approval", &["k1", "k2"], 7);
        kept.deadline_ms = Some(100);
        kept.labels.insert("claim".into(), "42".into());
        {
            let store = SqliteCardStore::open(&path).expect("open");
            store.insert(&kept).await.expect("insert");
        }

        let store = SqliteCardStore::open(&path).expect("open again");
        assert_eq!(store.get(&kept.id).await.expect("get"), Some(kept.clone()));
        let found = store.by_origin(&event("k2")).await.expect("by_origin");
        assert_eq!(found.map(|c| c.id), Some(kept.id.clone()));
        let due = store.due(100, 10).await.expect("due");
        assert_eq!(due, [kept.clone()]);
        let labelled = store
            .find(&CardFilter::kind("Approval").label("claim", "42").live())
            .await
            .expect("find");
        assert_eq!(labelled, [kept]);
    }

    #[tokio::test]
    async fn a_file_of_a_newer_schema_is_refused_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cards.sqlite3");
        drop(SqliteCardStore::open(&path).expect("open"));
        Connection::open(&path)
            .and_then(|conn| conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1))
            .expect("a newer schema version");

        let error = SqliteCardStore::open(&path).expect_err("a newer schema is refused");
        assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains(&path.display().to_string()),
            "the message names the file: {message}"
        );
        assert!(message.contains("schema version 2"), "{message}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_stores_on_one_file_lose_no_change() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cards.sqlite3");
        let first = Arc::new(SqliteCardStore::open(&path).expect("open"));
        let second = Arc::new(SqliteCardStore::open(&path).expect("open again"));
        let counter = contract::card("counter", "Counter", &["n1"], 1);
        first.insert(&counter).await.expect("insert");

        const WRITERS: u64 = 4;
        const CHANGES: u64 = 10;
        let mut tasks = Vec::new();
        for store in [&first, &second] {
            for _ in 0..WRITERS {
                let store = Arc::clone(store);
                let id = counter.id.clone();
                tasks.push(tokio::spawn(async move {
                    for _ in 0..CHANGES {
                        contract::increment(&*store, &id).await;
                    }
                }));
            }
        }
        for task in tasks {
            task.await.expect("a writer");
        }
        let changes = 2 * WRITERS * CHANGES;
        for store in [&first, &second] {
            let kept = store.get(&counter.id).await.expect("get").expect("kept");
            assert_eq!(
                (kept.revision, kept.data),
                (changes + 1, serde_json::json!(changes)),
                "every change lands once, seen from both stores"
            );
        }
    }

    #[tokio::test]
    async fn a_file_that_cannot_be_opened_is_unavailable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = SqliteCardStore::open(dir.path()).expect_err("a directory is no store");
        assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains(&dir.path().display().to_string()),
            "{error}"
        );

        let missing = dir.path().join("no such directory").join("cards.sqlite3");
        let error = SqliteCardStore::open(&missing).expect_err("no parent directory");
        assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
    }

    #[tokio::test]
    async fn find_selects_in_sql_without_reading_other_cards() {
        let store = SqliteCardStore::in_memory().expect("in memory");
        let mut wanted = contract::card("wanted", "Approval", &["w1"], 1);
        wanted.labels.insert("claim".into(), "42".into());
        store.insert(&wanted).await.expect("insert");
        store
            .insert(&contract::card("other", "Poll", &["o1"], 2))
            .await
            .expect("insert");
        // A card this version cannot read: only a call that reads it fails.
        store
            .run("corrupt", |conn| {
                conn.execute("UPDATE cards SET record = '{' WHERE id = 'other'", [])?;
                Ok(())
            })
            .await
            .expect("corrupt");

        let found = store
            .find(&CardFilter::kind("Approval"))
            .await
            .expect("find");
        assert_eq!(found, [wanted.clone()]);
        let found = store
            .find(&CardFilter::all().label("claim", "42"))
            .await
            .expect("find");
        assert_eq!(found, [wanted]);
        assert!(matches!(
            store.find(&CardFilter::all()).await,
            Err(StoreError::Corrupt { id, .. }) if id == "other"
        ));
        assert!(matches!(
            store.get(&CardId::new("other")).await,
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[tokio::test]
    async fn due_and_find_use_the_indexes() {
        let store = SqliteCardStore::in_memory().expect("in memory");
        let plans = store
            .run("explain", |conn| {
                let plan = |sql: &str| -> rusqlite::Result<String> {
                    let mut explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                    let details = explain
                        .query_map([], |row| row.get::<_, String>(3))?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    Ok(details.join("; "))
                };
                let explain = |sql: &str, args: &[&str]| {
                    let mut sql = sql.to_owned();
                    for (n, arg) in args.iter().enumerate().rev() {
                        sql = sql.replace(&format!("?{}", n + 1), arg);
                    }
                    plan(&sql)
                };
                let (kind, _) = find_sql(&CardFilter::kind("k").live());
                let (labels, _) = find_sql(&CardFilter::all().label("a", "b"));
                Ok([
                    explain(DUE_SQL, &["5", "3"])?,
                    explain(&kind, &["'k'"])?,
                    explain(&labels, &["'a'", "'b'"])?,
                ])
            })
            .await
            .expect("explain");
        assert!(plans[0].contains("cards_wakes_at"), "{}", plans[0]);
        assert!(!plans[0].contains("TEMP B-TREE"), "{}", plans[0]);
        assert!(plans[1].contains("cards_kind"), "{}", plans[1]);
        assert!(plans[2].contains("labels_key_value"), "{}", plans[2]);
    }

    #[tokio::test]
    async fn a_panic_on_the_connection_is_unavailable() {
        let store = SqliteCardStore::in_memory().expect("in memory");
        let panicked = store
            .run::<(), _>("panic", |_| panic!("a bug in a call"))
            .await;
        assert!(
            matches!(panicked, Err(StoreError::Unavailable(_))),
            "{panicked:?}"
        );
        let after = store.get(&CardId::new("any")).await;
        assert!(
            matches!(after, Err(StoreError::Unavailable(_))),
            "{after:?}"
        );
    }
}
