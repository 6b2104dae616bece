//! Reading a document's history for a request: loading it and replaying it are CPU work
//! proportional to the history (tens of milliseconds for an hour of typing), so both run on
//! the blocking pool, a few at a time (`REPLAYS_AT_ONCE`), whoever asks (the history routes,
//! the timeline).

use std::sync::{Arc, OnceLock};

use codeview_collab::DocKind;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::HistoryEntry;
use super::load::{HistoryError, load_history};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Replays (history loads) running at once; more wait their turn.
const REPLAYS_AT_ONCE: usize = 2;

/// Every entry of the interview's document `doc` after `after_seq` (0: all), in order.
pub async fn load(
    state: &AppState,
    interview_id: Uuid,
    doc: DocKind,
    after_seq: i64,
) -> AppResult<Arc<Vec<HistoryEntry>>> {
    let _turn = replay_turn().await;
    match load_history(&*state.store, interview_id, doc.text_name(), after_seq).await {
        Ok(entries) => Ok(Arc::new(entries)),
        Err(HistoryError::Store(err)) => Err(err.into()),
        Err(err) => Err(AppError::Internal(err.into())),
    }
}

/// Runs `work` on the blocking pool, in turn with the other replays.
pub async fn replay<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _turn = replay_turn().await;
    tokio::task::spawn_blocking(work).await.map_err(|err| AppError::Internal(anyhow::anyhow!("replay failed: {err}")))
}

async fn replay_turn() -> tokio::sync::SemaphorePermit<'static> {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| Semaphore::new(REPLAYS_AT_ONCE)).acquire().await.expect("the semaphore is never closed")
}
