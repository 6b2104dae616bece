//! The PostgreSQL document log writer: sqlx driven from the update log's thread by a runtime
//! and a connection of the writer's own. On the server's runtime the commit's answer waited
//! for a busy worker to next poll the network (workers poll it between tasks), which under
//! load added milliseconds to the commit every edit waits for; on its own current-thread
//! runtime the writer's thread reads the answer as soon as it arrives. Entries go straight to
//! `doc_updates`, whose key refuses an entry written twice; the journal is only ever trimmed
//! (see `DocLogWriter::keeps_journal`).

use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::runtime::Runtime;

use super::documents::log_sql;
use super::{DocAppend, DocLogWriter, DocSnapshot, StoreResult};

/// Rows per `INSERT` statement (6 bound values each; well under PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 1000;
/// How long a write waits for the writer's connection (as the server's pool waits for one).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct PostgresLogWriter {
    /// One connection (reopened after a failure), on `runtime`.
    pool: sqlx::PgPool,
    /// Taken only when the writer is dropped (see `Drop`).
    runtime: Option<Runtime>,
}

impl PostgresLogWriter {
    /// A writer connecting with the server pool's `options` (its TLS settings included); it
    /// connects on its first write.
    pub(super) fn new(options: PgConnectOptions) -> anyhow::Result<PostgresLogWriter> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the document log writer's runtime")?;
        let pool = {
            let _inside = runtime.enter();
            PgPoolOptions::new().max_connections(1).acquire_timeout(CONNECT_TIMEOUT).connect_lazy_with(options)
        };
        Ok(PostgresLogWriter { pool, runtime: Some(runtime) })
    }

    fn block_on<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        self.runtime.as_ref().expect("the runtime lives as long as the writer").block_on(work)
    }
}

impl Drop for PostgresLogWriter {
    /// The writer may be dropped on an async task (a test's, or when its thread failed to
    /// start), where dropping a runtime would block: its tasks are left to end in the background.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl DocLogWriter for PostgresLogWriter {
    fn write(&mut self, appends: &[DocAppend<'_>], snapshots: &[DocSnapshot<'_>]) -> StoreResult<()> {
        let now = chrono::Utc::now();
        let rows: Vec<(&DocAppend<'_>, i64, &[u8])> = appends
            .iter()
            .flat_map(|entry| {
                let numbered = entry.updates.iter().zip(entry.after_seq + 1..);
                numbered.map(move |(update, seq)| (entry, seq, update.as_ref()))
            })
            .collect();
        let fences = super::documents::fences(appends, snapshots);
        if snapshots.is_empty() && !rows.is_empty() && rows.len() <= ROWS_PER_STATEMENT {
            // The common case, a few edits: one statement is its own transaction (the fence's
            // row lock is held until it commits), so no BEGIN and COMMIT round trips.
            return self.block_on(async {
                let inserted = insert_rows(&rows, &fences).build().execute(&self.pool).await?;
                refuse_if_fenced_out(inserted.rows_affected() == rows.len() as u64, &fences)
            });
        }
        self.block_on(async {
            let mut tx = self.pool.begin().await?;
            // The fence check rides on the first insert (no round trip of its own on the hot
            // path); a transaction of snapshots only checks on its own.
            let mut fences_checked = fences.is_empty();
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let held: &[_] = if fences_checked { &[] } else { &fences };
                let inserted = insert_rows(chunk, held).build().execute(&mut *tx).await?;
                refuse_if_fenced_out(inserted.rows_affected() == chunk.len() as u64, held)?;
                fences_checked = true;
            }
            if !fences_checked {
                check_fences(&mut tx, &fences).await?;
            }
            for snapshot in snapshots {
                let DocSnapshot { interview_id, doc, data, up_to_seq, sealed, sealed_seq, .. } = *snapshot;
                if let Some(block) = sealed {
                    let store = sqlx::query(log_sql::STORE_HISTORY_BLOCK).bind(interview_id).bind(doc);
                    let store = store.bind(block.from_seq).bind(block.to_seq).bind(block.first_at);
                    let store = store.bind(block.last_at).bind(block.entries).bind(block.bytes).bind(&block.data);
                    store.execute(&mut *tx).await?;
                }
                let store = sqlx::query(log_sql::STORE_SNAPSHOT).bind(interview_id).bind(doc).bind(data);
                store.bind(up_to_seq).bind(now).bind(sealed_seq).execute(&mut *tx).await?;
                let sealed = sqlx::query(log_sql::DELETE_SEALED).bind(interview_id).bind(doc).bind(sealed_seq);
                sealed.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn keeps_journal(&self) -> bool {
        false
    }

    fn journal_end(&mut self) -> StoreResult<i64> {
        Ok(self.block_on(sqlx::query_scalar(log_sql::JOURNAL_END).fetch_one(&self.pool))?)
    }

    fn trim_journal(&mut self, end: i64) -> StoreResult<u64> {
        self.block_on(async {
            let mut tx = self.pool.begin().await?;
            let moved = sqlx::query(log_sql::MOVE_UNCOVERED).bind(end).execute(&mut *tx).await?;
            sqlx::query(log_sql::DROP_TRIMMED).bind(end).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(moved.rows_affected())
        })
    }
}

/// `INSERT` of `rows`; with `fences`, only if every fenced document still has the fence its
/// writes carry (else it inserts nothing: see `refuse_if_fenced_out`).
fn insert_rows(
    rows: &[(&DocAppend<'_>, i64, &[u8])],
    fences: &[(uuid::Uuid, &str, i64)],
) -> sqlx::QueryBuilder<sqlx::Postgres> {
    let mut insert = sqlx::QueryBuilder::new("");
    let check = !fences.is_empty();
    if check {
        push_held_fences(&mut insert, fences);
    }
    insert.push("INSERT INTO doc_updates (interview_id, doc, seq, data, created_at, author) ");
    if check {
        insert.push("SELECT * FROM (");
    }
    insert.push_values(rows, |mut row, (entry, seq, data)| {
        row.push_bind(entry.interview_id).push_bind(entry.doc).push_bind(*seq).push_bind(*data);
        row.push_bind(entry.at).push_bind(entry.author);
    });
    if check {
        insert.push(") AS v WHERE (SELECT COUNT(*) FROM held) = ").push_bind(fences.len() as i64);
    }
    insert
}

/// A fenced write that did not `complete` (inserted nothing, or found a fence moved) is
/// refused: another instance took the document.
fn refuse_if_fenced_out(complete: bool, fences: &[(uuid::Uuid, &str, i64)]) -> StoreResult<()> {
    match fences.first() {
        Some((id, doc, _)) if !complete => Err(super::fenced_out(*id, doc)),
        _ => Ok(()),
    }
}

/// `WITH held AS (…)`: the fenced documents whose fence is still the one their writes carry,
/// their rows locked `FOR SHARE` until the commit (see `check_fences`).
fn push_held_fences(query: &mut sqlx::QueryBuilder<sqlx::Postgres>, fences: &[(uuid::Uuid, &str, i64)]) {
    query.push("WITH held AS (");
    push_lock_held_leases(query, fences);
    query.push(") ");
}

/// Selects and locks (`FOR SHARE`) the lease rows of `fences` that still have their fence. One
/// scalar parameter per value, so the prepared statement's generic plan is primary-key lookups
/// and is reused: with arrays (`UNNEST`) of unknown length PostgreSQL planned every commit anew.
fn push_lock_held_leases(query: &mut sqlx::QueryBuilder<sqlx::Postgres>, fences: &[(uuid::Uuid, &str, i64)]) {
    query.push("SELECT 1 FROM doc_leases WHERE (interview_id, doc, fence) IN (");
    let mut separated = query.separated(", ");
    for (id, doc, fence) in fences {
        separated.push("(").push_bind_unseparated(*id).push_unseparated(", ");
        separated.push_bind_unseparated((*doc).to_owned()).push_unseparated(", ");
        separated.push_bind_unseparated(*fence).push_unseparated(")");
    }
    query.push(") FOR SHARE");
}

/// Refuses the transaction unless each fenced document's fence is still the one its writes
/// carry. The rows are locked `FOR SHARE` until the commit: a new owner's bump
/// (`take_doc_lease`) waits for this transaction, and any transaction after the bump reads
/// the new fence — so no write of an older fence can commit after a newer one was taken.
async fn check_fences(tx: &mut sqlx::PgConnection, fences: &[(uuid::Uuid, &str, i64)]) -> StoreResult<()> {
    if fences.is_empty() {
        return Ok(());
    }
    let mut count = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM (");
    push_lock_held_leases(&mut count, fences);
    count.push(") AS held");
    let held: i64 = count.build_query_scalar().fetch_one(&mut *tx).await?;
    refuse_if_fenced_out(held == fences.len() as i64, fences)
}
