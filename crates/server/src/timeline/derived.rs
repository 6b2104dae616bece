//! The timeline's events derived from the documents' history, kept per interview between
//! requests (the replay page of a live interview polls the timeline every few seconds):
//! `Derived` holds the trackers (`history::derive`) and the newest entry each document fed
//! them; `DerivedCache` keeps a few dozen interviews' (`KEPT_*`). `doc_history` feeds them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::event::{TimelineDetail, TimelineEvent};
use crate::domain::Language;
use crate::history::HistoryEntry;
use crate::history::derive::{BurstTracker, LanguageTracker};

/// Interviews whose derived events are kept.
const KEPT_INTERVIEWS: usize = 32;
/// How long an interview's derived events are kept after their last use.
const KEPT_FOR: Duration = Duration::from_secs(300);
/// Code history bytes above which an interview's derived events are not kept (its replayed
/// document and updates would stay in memory).
pub const KEPT_CODE_BYTES: usize = 4 << 20;

/// What the history told of one interview so far.
#[derive(Default)]
pub struct Derived {
    /// The newest entry fed, per document.
    pub code_seq: i64,
    pub notes_seq: i64,
    pub code_bytes: usize,
    languages: LanguageTracker,
    bursts: BurstTracker,
}

impl Derived {
    pub fn feed(&mut self, code: &[HistoryEntry], notes: &[HistoryEntry]) {
        self.languages.feed(code);
        self.bursts.feed(notes);
        self.code_bytes += code.iter().map(|entry| entry.update.len()).sum::<usize>();
        self.code_seq = code.last().map_or(self.code_seq, |entry| entry.seq);
        self.notes_seq = notes.last().map_or(self.notes_seq, |entry| entry.seq);
    }

    pub fn events(&self) -> Vec<TimelineEvent> {
        // The first is the language the document started in (the interview's), not a change.
        let languages = self.languages.changes().iter().skip(1).filter_map(|change| {
            // A language no runner knows (a hostile client can write any) is not a change.
            let language = Language::parse(&change.language).ok()?;
            let detail = TimelineDetail::LanguageChanged { language };
            Some(TimelineEvent { at: change.at, participant_id: change.participant_id, detail })
        });
        let edits = self.bursts.bursts().into_iter().map(|burst| TimelineEvent {
            at: burst.at,
            participant_id: burst.participant_id,
            detail: TimelineDetail::NoteEdited {
                until: burst.until,
                edits: u32::try_from(burst.edits).unwrap_or(u32::MAX),
            },
        });
        languages.chain(edits).collect()
    }
}

/// The derived events kept per interview (`AppState::timeline`). Cheap to clone.
#[derive(Clone, Default)]
pub struct DerivedCache {
    interviews: Arc<Mutex<HashMap<Uuid, Kept>>>,
}

struct Kept {
    used: Instant,
    /// Held by the request feeding it: one at a time per interview.
    derived: Arc<tokio::sync::Mutex<Derived>>,
}

impl DerivedCache {
    /// The interview's kept events (new if none), making room for them.
    pub fn take(&self, interview_id: Uuid) -> Arc<tokio::sync::Mutex<Derived>> {
        let now = Instant::now();
        let mut interviews = self.interviews.lock().expect("derived cache");
        interviews.retain(|_, kept| now.duration_since(kept.used) < KEPT_FOR);
        if !interviews.contains_key(&interview_id)
            && interviews.len() >= KEPT_INTERVIEWS
            && let Some(oldest) = interviews.iter().min_by_key(|(_, kept)| kept.used).map(|(id, _)| *id)
        {
            interviews.remove(&oldest);
        }
        let kept = interviews.entry(interview_id).or_insert_with(|| Kept { used: now, derived: Arc::default() });
        kept.used = now;
        kept.derived.clone()
    }

    pub fn forget(&self, interview_id: Uuid) {
        self.interviews.lock().expect("derived cache").remove(&interview_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_a_bounded_number_of_interviews_dropping_the_least_recently_used() {
        let cache = DerivedCache::default();
        let ids: Vec<Uuid> = (0..=KEPT_INTERVIEWS).map(|_| Uuid::new_v4()).collect();
        let first = cache.take(ids[0]);
        for id in &ids[1..KEPT_INTERVIEWS] {
            cache.take(*id);
        }
        assert!(Arc::ptr_eq(&first, &cache.take(ids[0])), "a kept interview was not reused");
        cache.take(ids[KEPT_INTERVIEWS]);
        let interviews = cache.interviews.lock().unwrap();
        assert_eq!(interviews.len(), KEPT_INTERVIEWS);
        assert!(interviews.contains_key(&ids[0]), "the most recently used was dropped");
        assert!(!interviews.contains_key(&ids[1]), "the least recently used was kept");
    }
}
