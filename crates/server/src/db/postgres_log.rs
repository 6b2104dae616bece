//! The PostgreSQL document log writer: sqlx on the server's runtime, driven from the update
//! log's thread with `Handle::block_on` (PostgreSQL's commit is a network round trip; the
//! thread just waits for it). Entries go straight to `doc_updates`, whose key refuses an entry
//! written twice; the journal is only ever trimmed (see `DocLogWriter::keeps_journal`).

use tokio::runtime::Handle;

use super::documents::log_sql;
use super::{DocAppend, DocLogWriter, DocSnapshot, StoreResult};

/// Rows per `INSERT` statement (6 bound values each; well under PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 1000;

pub struct PostgresLogWriter {
    pub(super) pool: sqlx::PgPool,
    pub(super) runtime: Handle,
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
        self.runtime.block_on(async {
            let mut tx = self.pool.begin().await?;
            // The fence check rides on the first insert (no round trip of its own on the hot
            // path); a transaction of snapshots only checks on its own.
            let mut fences_checked = fences.is_empty();
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let mut insert = sqlx::QueryBuilder::new("");
                let check = !fences_checked;
                if check {
                    push_held_fences(&mut insert, &fences);
                }
                insert.push("INSERT INTO doc_updates (interview_id, doc, seq, data, created_at, author) ");
                if check {
                    insert.push("SELECT * FROM (");
                }
                insert.push_values(chunk, |mut row, (entry, seq, data)| {
                    row.push_bind(entry.interview_id).push_bind(entry.doc).push_bind(*seq).push_bind(*data);
                    row.push_bind(entry.at).push_bind(entry.author);
                });
                if check {
                    insert.push(") AS v WHERE (SELECT COUNT(*) FROM held) = ").push_bind(fences.len() as i64);
                }
                let inserted = insert.build().execute(&mut *tx).await?;
                if check {
                    if inserted.rows_affected() != chunk.len() as u64 {
                        let (id, doc, _) = fences[0];
                        return Err(super::fenced_out(id, doc));
                    }
                    fences_checked = true;
                }
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
        Ok(self.runtime.block_on(sqlx::query_scalar(log_sql::JOURNAL_END).fetch_one(&self.pool))?)
    }

    fn trim_journal(&mut self, end: i64) -> StoreResult<u64> {
        self.runtime.block_on(async {
            let mut tx = self.pool.begin().await?;
            let moved = sqlx::query(log_sql::MOVE_UNCOVERED).bind(end).execute(&mut *tx).await?;
            sqlx::query(log_sql::DROP_TRIMMED).bind(end).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(moved.rows_affected())
        })
    }
}

/// `WITH held AS (…)`: the fenced documents whose fence is still the one their writes carry,
/// their rows locked `FOR SHARE` until the commit (see `check_fences`).
fn push_held_fences(query: &mut sqlx::QueryBuilder<sqlx::Postgres>, fences: &[(uuid::Uuid, &str, i64)]) {
    let ids: Vec<uuid::Uuid> = fences.iter().map(|(id, ..)| *id).collect();
    let docs: Vec<String> = fences.iter().map(|(_, doc, _)| (*doc).to_owned()).collect();
    let values: Vec<i64> = fences.iter().map(|(.., fence)| *fence).collect();
    query.push("WITH held AS (SELECT 1 FROM doc_leases l JOIN UNNEST(");
    query.push_bind(ids).push("::uuid[], ").push_bind(docs).push("::text[], ").push_bind(values);
    query.push(
        "::bigint[]) AS w (interview_id, doc, fence) ON l.interview_id = w.interview_id AND l.doc = w.doc \
         AND l.fence = w.fence FOR SHARE OF l) ",
    );
}

/// Refuses the transaction unless each fenced document's fence is still the one its writes
/// carry. The rows are locked `FOR SHARE` until the commit: a new owner's bump
/// (`take_doc_lease`) waits for this transaction, and any transaction after the bump reads
/// the new fence — so no write of an older fence can commit after a newer one was taken.
async fn check_fences(tx: &mut sqlx::PgConnection, fences: &[(uuid::Uuid, &str, i64)]) -> StoreResult<()> {
    if fences.is_empty() {
        return Ok(());
    }
    let ids: Vec<uuid::Uuid> = fences.iter().map(|(id, ..)| *id).collect();
    let docs: Vec<&str> = fences.iter().map(|(_, doc, _)| *doc).collect();
    let held: Vec<(uuid::Uuid, String, i64)> = sqlx::query_as(
        "SELECT l.interview_id, l.doc, l.fence FROM doc_leases l \
         JOIN UNNEST($1::uuid[], $2::text[]) AS w (interview_id, doc) \
         ON l.interview_id = w.interview_id AND l.doc = w.doc FOR SHARE OF l",
    )
    .bind(&ids)
    .bind(&docs)
    .fetch_all(&mut *tx)
    .await?;
    for (id, doc, fence) in fences {
        if !held.iter().any(|(held_id, held_doc, held_fence)| held_id == id && held_doc == doc && held_fence == fence) {
            return Err(super::fenced_out(*id, doc));
        }
    }
    Ok(())
}
