//! Opening the encrypted SQLite file: key, pragmas, migrations.

use crate::error::{ChartError, Result};
use crate::keys::{ChartKey, KeySource, read_salt};
use crate::migrations;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// How long a write waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens an existing chart file with `source`'s key and brings its schema up to date.
/// Returns the key too, for the chart's readers (see `Chart::reader`).
pub fn open_existing(path: &Path, source: &KeySource) -> Result<(Connection, ChartKey)> {
    if !path.exists() {
        return Err(ChartError::NoChart(path.display().to_string()));
    }
    let key = source.key_for(read_salt(path)?)?;
    let mut conn = open_with_key(path, &key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    migrations::migrate(&mut conn)?;
    Ok((conn, key))
}

/// Opens a second, read-only connection to a chart already open (and migrated) with
/// `key`. Writes through it fail; in WAL mode its reads never wait on the writer.
pub fn open_reader(path: &Path, key: &ChartKey) -> Result<Connection> {
    let conn = open_with_key(path, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(conn)
}

/// Creates a new, empty chart file (schema applied) keyed by `source`.
pub fn create_new(path: &Path, source: &KeySource) -> Result<(Connection, ChartKey)> {
    if path.exists() {
        return Err(ChartError::ChartExists(path.display().to_string()));
    }
    let key = source.create_key()?;
    let mut conn = open_with_key(
        path,
        &key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    migrations::migrate(&mut conn)?;
    Ok((conn, key))
}

/// Opens `path` with a raw key, checks the key, and sets the pragmas every connection uses.
pub fn open_with_key(path: &Path, key: &ChartKey, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    apply_key(&conn, key)?;
    configure(&conn)?;
    Ok(conn)
}

/// Gives SQLCipher the key and proves it by reading the schema.
pub(crate) fn apply_key(conn: &Connection, key: &ChartKey) -> Result<()> {
    // A wrong key is reported as ChartError::WrongKey; SQLCipher's own log lines on
    // stderr would only alarm the user.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value()))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            Err(ChartError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

/// Page cache per connection, in KiB: every page read from disk costs a decryption and an
/// HMAC check, so a warm cache matters more than in plain SQLite.
const CACHE_KIB: i64 = 32 * 1024;

/// Prepared statements kept per connection: more than the chart has.
const STATEMENT_CACHE: usize = 256;

/// WAL, full durability, foreign keys, a busy timeout, a large page cache, temporary
/// tables in memory (never in temporary files that would hold patient data), and query
/// plans that do not depend on the values bound to them.
fn configure(conn: &Connection) -> Result<()> {
    // Every statement the chart runs stays prepared (rusqlite keeps 16 by default).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // The query planner's stability guarantee. Without it SQLite (3.4x and later) marks
    // every `column = ?` statement to be planned again whenever its parameters are
    // cleared, and rusqlite clears them each time a statement goes back to the cache: every
    // cached statement was parsed and planned anew on each use (40% of a note's save).
    // With it, a statement keeps the plan it was prepared with, whatever it is given.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // INSERT OR REPLACE deletes the row it replaces; with recursive triggers on, that
    // delete fires the triggers that protect signed notes, addenda and the audit trail.
    conn.pragma_update(None, "recursive_triggers", "ON")?;
    Ok(())
}

/// Removes a database file and its WAL and shared-memory files, if present.
pub fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
