//! The embedded SQLite backend (the default): one file under `./data/`, WAL journal, foreign
//! keys on, and a busy timeout so concurrent writers queue instead of failing. Automatic WAL
//! checkpoints are off: they would run inside whichever commit crossed the threshold (the
//! document log's, adding milliseconds to an edit's relay); the update log checkpoints every
//! second on a task of its own instead (`realtime/update_log.rs`). The document log's writer
//! has a connection of its own (`sqlite_log.rs`): a pooled one would come with a cold page
//! cache (every other connection's write invalidates it) and sqlx's round trips.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::DocLogWriter;
use super::sqlite_log::{BUSY_TIMEOUT, SqliteLogWriter};

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// The database file (the document log writer opens it on its own).
    path: PathBuf,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> anyhow::Result<SqliteStore> {
        // The document log's writer opens the file on a connection of its own; an in-memory
        // database would be a different, empty one there.
        if url.contains(":memory:") || url.contains("mode=memory") {
            anyhow::bail!("an in-memory SQLite database cannot be used: give a file, e.g. sqlite://data/codeview.db");
        }
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite database URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("wal_autocheckpoint", "0");
        if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the database directory {}", dir.display()))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            // An embedded database's connection cannot go stale: skip the check round trip.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .context("opening the SQLite database")?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await.context("migrating the SQLite database")?;
        Ok(SqliteStore { pool, path: options.get_filename().to_owned() })
    }

    /// The document log's writer, on a connection of its own.
    pub(super) fn log_writer(&self) -> anyhow::Result<Box<dyn DocLogWriter>> {
        let writer = SqliteLogWriter::open(&self.path)
            .with_context(|| format!("opening {} for the document log", self.path.display()))?;
        Ok(Box::new(writer))
    }
}

super::impl_all_stores!(SqliteStore, "sqlite");

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_in_memory_database_is_refused_with_a_clear_error() {
        for url in ["sqlite::memory:", "sqlite://file.db?mode=memory"] {
            let err = SqliteStore::connect(url).await.err().expect("refused");
            assert!(err.to_string().contains("in-memory SQLite database cannot be used"), "{url}: {err}");
        }
    }
}
