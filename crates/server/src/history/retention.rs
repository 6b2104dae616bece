//! `--history-days N`: the history of interviews that ended more than N days ago is purged, at
//! start and then every hour. (Their documents stay: the final code and notes.) Without the
//! flag, history is kept as long as its interview.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::db::Store;

/// How often the purge runs.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Purges the history of interviews ended more than `days` days ago, now and every hour.
pub async fn purge_regularly(store: Arc<dyn Store>, days: u32) {
    let mut due = tokio::time::interval(PURGE_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        due.tick().await;
        let ended_before = Utc::now() - chrono::Duration::days(days.into());
        match store.purge_history(ended_before).await {
            Ok(0) => {}
            Ok(blocks) => tracing::info!(blocks, days, "purged the history of interviews ended long ago"),
            Err(err) => tracing::warn!(error = %err, "purging old document history failed"),
        }
    }
}
