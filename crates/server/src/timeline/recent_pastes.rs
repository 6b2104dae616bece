//! When each candidate last reported a paste, so a large insert into the code that a paste
//! explains is not flagged (`large_inserts`). A paste counts for an insert that arrives up to
//! 5 s after it — or up to 1 s before it: the browser reports the paste on another connection
//! than the one its edit travels on, so the edit may arrive first.
//!
//! Bounded: a few recent times per participant, and at most `MAX_PARTICIPANTS` participants
//! (those with no paste in the window are dropped first).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How long before an insert a paste explains it.
pub const PASTE_EXPLAINS_FOR: Duration = Duration::seconds(5);
/// How long after an insert its paste may still be reported (the insert waits this long
/// before it is judged).
pub const PASTE_REPORT_GRACE: Duration = Duration::seconds(1);
/// Times kept per participant.
const TIMES_KEPT: usize = 4;
const MAX_PARTICIPANTS: usize = 10_000;

/// Recent paste times per participant, in this process.
#[derive(Clone, Default)]
pub struct RecentPastes {
    /// A std mutex: held for map operations only.
    times: Arc<Mutex<HashMap<Uuid, VecDeque<DateTime<Utc>>>>>,
}

impl RecentPastes {
    /// Notes a paste reported by `participant_id` at `at`.
    pub fn note(&self, participant_id: Uuid, at: DateTime<Utc>) {
        let mut times = self.times.lock().expect("recent pastes");
        if times.len() >= MAX_PARTICIPANTS && !times.contains_key(&participant_id) {
            let stale = at - PASTE_EXPLAINS_FOR - PASTE_REPORT_GRACE;
            times.retain(|_, kept| kept.back().is_some_and(|last| *last >= stale));
            if times.len() >= MAX_PARTICIPANTS {
                let oldest = times.iter().min_by_key(|(_, kept)| kept.back().copied()).map(|(id, _)| *id);
                if let Some(oldest) = oldest {
                    times.remove(&oldest);
                }
            }
        }
        let kept = times.entry(participant_id).or_default();
        if kept.len() == TIMES_KEPT {
            kept.pop_front();
        }
        kept.push_back(at);
    }

    /// Whether a paste of `participant_id` explains their insert at `insert_at`.
    pub fn explains(&self, participant_id: Uuid, insert_at: DateTime<Utc>) -> bool {
        let times = self.times.lock().expect("recent pastes");
        times.get(&participant_id).is_some_and(|kept| kept.iter().any(|paste| paste_explains(*paste, insert_at)))
    }

    #[cfg(test)]
    fn participants(&self) -> usize {
        self.times.lock().unwrap().len()
    }
}

/// Whether a paste at `paste_at` explains an insert at `insert_at`.
pub fn paste_explains(paste_at: DateTime<Utc>, insert_at: DateTime<Utc>) -> bool {
    paste_at >= insert_at - PASTE_EXPLAINS_FOR && paste_at <= insert_at + PASTE_REPORT_GRACE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_explains_inserts_up_to_five_seconds_later_or_one_second_earlier() {
        let insert = Utc::now();
        let seconds = |s: i64| insert + Duration::seconds(s);
        assert!(paste_explains(seconds(-5), insert));
        assert!(paste_explains(seconds(0), insert));
        assert!(paste_explains(seconds(1), insert), "the report may trail the edit");
        assert!(!paste_explains(seconds(-6), insert), "too long before");
        assert!(!paste_explains(seconds(2), insert), "too long after");
    }

    #[test]
    fn only_the_participants_own_recent_pastes_count() {
        let pastes = RecentPastes::default();
        let (casey, other) = (Uuid::now_v7(), Uuid::now_v7());
        let now = Utc::now();
        pastes.note(casey, now - Duration::seconds(3));
        assert!(pastes.explains(casey, now));
        assert!(!pastes.explains(other, now), "another participant's paste explains nothing");
        assert!(!pastes.explains(casey, now + Duration::seconds(10)), "an old paste explains nothing");
        for i in 0..10 {
            pastes.note(casey, now + Duration::minutes(i));
        }
        assert!(pastes.explains(casey, now + Duration::minutes(9)));
        assert!(!pastes.explains(casey, now), "only the latest few times are kept");
    }

    #[test]
    fn the_map_stays_bounded() {
        let pastes = RecentPastes::default();
        let long_ago = Utc::now() - Duration::hours(1);
        for _ in 0..MAX_PARTICIPANTS {
            pastes.note(Uuid::now_v7(), long_ago);
        }
        let newcomer = Uuid::now_v7();
        pastes.note(newcomer, Utc::now());
        assert_eq!(pastes.participants(), 1, "stale participants were dropped for the newcomer");
        assert!(pastes.explains(newcomer, Utc::now()));
        let recent = Utc::now();
        for _ in 0..MAX_PARTICIPANTS {
            pastes.note(Uuid::now_v7(), recent);
        }
        assert!(pastes.participants() <= MAX_PARTICIPANTS, "never more than the bound");
    }
}
