//! The server's own integrity signal: a candidate's code update that inserts at least 200
//! characters at once, with no `paste` reported by that candidate just before (a paste
//! explains it; `recent_pastes` says when), is stored and announced as `large_insert`.
//!
//! The live documents announce such inserts (`LargeInsert`, candidates' updates to the code
//! only); one task here judges them in arrival order, each once its paste could still be
//! reported (`PASTE_REPORT_GRACE` after it), off the documents' path: nothing here delays an
//! edit.

use chrono::Utc;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use super::recent_pastes::{PASTE_REPORT_GRACE, RecentPastes};
use super::signals::flag_large_insert;
use crate::realtime::large_inserts::{LARGE_INSERT_CHARS, LargeInsert};
use crate::state::AppState;

/// Starts judging the live documents' large inserts; the server aborts the task when it stops.
pub fn start(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let inserts = state.live_docs.subscribe_large_inserts();
        keep_judging(state, inserts).await;
    })
}

async fn keep_judging(state: AppState, mut inserts: broadcast::Receiver<LargeInsert>) {
    loop {
        let insert = match inserts.recv().await {
            Ok(insert) => insert,
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "large inserts arrived faster than they were judged; some were not");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        let judge_at = insert.at + PASTE_REPORT_GRACE;
        if let Ok(wait) = (judge_at - Utc::now()).to_std() {
            tokio::time::sleep(wait).await;
        }
        if is_unexplained(&insert, &state.timeline.pastes) {
            let length = u64::try_from(insert.length).unwrap_or(u64::MAX);
            flag_large_insert(&state, insert.interview_id, insert.participant_id, insert.at, length).await;
        }
    }
}

/// Whether `insert` is large and no paste of its author explains it.
pub fn is_unexplained(insert: &LargeInsert, pastes: &RecentPastes) -> bool {
    insert.length >= LARGE_INSERT_CHARS && !pastes.explains(insert.participant_id, insert.at)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration};
    use uuid::Uuid;

    use super::*;

    fn insert(participant_id: Uuid, length: usize, at: DateTime<Utc>) -> LargeInsert {
        LargeInsert { interview_id: Uuid::nil(), participant_id, length, at }
    }

    #[test]
    fn a_large_insert_without_a_paste_is_flagged() {
        let pastes = RecentPastes::default();
        let casey = Uuid::now_v7();
        assert!(is_unexplained(&insert(casey, 200, Utc::now()), &pastes));
        assert!(!is_unexplained(&insert(casey, 199, Utc::now()), &pastes), "typing speed, not large");
    }

    #[test]
    fn a_paste_just_before_or_reported_just_after_explains_it() {
        let pastes = RecentPastes::default();
        let (casey, other) = (Uuid::now_v7(), Uuid::now_v7());
        let now = Utc::now();
        pastes.note(casey, now - Duration::seconds(4));
        assert!(!is_unexplained(&insert(casey, 5_000, now), &pastes), "pasted 4 s before");
        assert!(is_unexplained(&insert(other, 5_000, now), &pastes), "someone else's paste");
        assert!(is_unexplained(&insert(casey, 5_000, now + Duration::seconds(2)), &pastes), "6 s after the paste");
        let later = now + Duration::minutes(1);
        pastes.note(casey, later + Duration::milliseconds(400));
        assert!(!is_unexplained(&insert(casey, 300, later), &pastes), "the paste's report trailed the edit");
    }
}
