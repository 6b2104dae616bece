//! The PostgreSQL document log writer: sqlx on the server's runtime, driven from the update
//! log's thread with `Handle::block_on` (PostgreSQL's commit is a network round trip; the
//! thread just waits for it).

use tokio::runtime::Handle;
use uuid::Uuid;

use super::{DocAppend, DocLogWriter, StoreResult};

/// Rows per `INSERT` statement (5 bound values each; well under PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 1000;

pub struct PostgresLogWriter {
    pub(super) pool: sqlx::PgPool,
    pub(super) runtime: Handle,
}

impl DocLogWriter for PostgresLogWriter {
    fn append(&mut self, batch: &[DocAppend<'_>]) -> StoreResult<()> {
        let now = chrono::Utc::now();
        let rows: Vec<(Uuid, &str, i64, &[u8])> = batch
            .iter()
            .flat_map(|entry| {
                let numbered = entry.updates.iter().zip(entry.after_seq + 1..);
                numbered.map(move |(update, seq)| (entry.interview_id, entry.doc, seq, update.as_ref()))
            })
            .collect();
        self.runtime.block_on(async {
            let mut tx = self.pool.begin().await?;
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let mut insert =
                    sqlx::QueryBuilder::new("INSERT INTO doc_updates (interview_id, doc, seq, data, created_at) ");
                insert.push_values(chunk, |mut row, (interview_id, doc, seq, data)| {
                    row.push_bind(*interview_id).push_bind(*doc).push_bind(*seq).push_bind(*data).push_bind(now);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn compact(&mut self, interview_id: Uuid, doc: &str, snapshot: &[u8], up_to_seq: i64) -> StoreResult<()> {
        self.runtime.block_on(async {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO doc_snapshots (interview_id, doc, data, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (interview_id, doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            )
            .bind(interview_id)
            .bind(doc)
            .bind(snapshot)
            .bind(chrono::Utc::now())
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM doc_updates WHERE interview_id = $1 AND doc = $2 AND seq <= $3")
                .bind(interview_id)
                .bind(doc)
                .bind(up_to_seq)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
