//! Presence: who has an interview's room socket open, counted per participant (several tabs
//! count once, and a participant goes offline when their last socket closes), and the
//! `presence` event listing the interview's participants with an `online` flag.
//!
//! Which participants a socket sees is `policy::sees_presence_of`: interviewers see everyone,
//! candidates and observers everyone but observers. That rule depends on the viewer only
//! through `is_interviewer`, so a change goes out as two events with the usual audiences.
//!
//! Counts are this process's sockets; with Redis, `RemoteOnline` holds who has the room open
//! on the other server instances (kept up to date by `realtime::room_cluster::presence`, each
//! entry with the time it lapses unless renewed), and a participant is online when either
//! says so. Presence events are computed by each instance for its own sockets and delivered
//! locally, never through Redis.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;
use uuid::Uuid;

use crate::db::ParticipantRecord;
use crate::domain::Role;
use crate::domain::policy::sees_presence_of;

/// One participant in a `presence` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PresenceEntry {
    pub participant_id: Uuid,
    pub name: String,
    pub role: Role,
    /// Whether they have the room open (a room socket, from the room or the lobby).
    pub online: bool,
}

/// Open room sockets per interview and participant, in this process.
#[derive(Clone, Default)]
pub struct OnlineCounts {
    /// A std mutex: held only for map operations.
    counts: Arc<Mutex<HashMap<Uuid, HashMap<Uuid, usize>>>>,
}

impl OnlineCounts {
    /// Counts one more socket of `participant_id`; true when it is their first (they came online).
    pub fn add(&self, interview_id: Uuid, participant_id: Uuid) -> bool {
        let mut counts = self.counts.lock().expect("presence");
        let count = counts.entry(interview_id).or_default().entry(participant_id).or_insert(0);
        *count += 1;
        *count == 1
    }

    /// Counts one socket fewer; true when it was their last (they went offline).
    pub fn remove(&self, interview_id: Uuid, participant_id: Uuid) -> bool {
        let mut counts = self.counts.lock().expect("presence");
        let Some(interview) = counts.get_mut(&interview_id) else { return false };
        let Some(count) = interview.get_mut(&participant_id) else { return false };
        *count -= 1;
        if *count > 0 {
            return false;
        }
        interview.remove(&participant_id);
        if interview.is_empty() {
            counts.remove(&interview_id);
        }
        true
    }

    /// The participants of `interview_id` with a socket open in this process.
    pub fn participants(&self, interview_id: Uuid) -> Vec<Uuid> {
        let counts = self.counts.lock().expect("presence");
        counts.get(&interview_id).map(|m| m.keys().copied().collect()).unwrap_or_default()
    }

    /// The interviews with a socket open in this process.
    pub fn interviews(&self) -> Vec<Uuid> {
        self.counts.lock().expect("presence").keys().copied().collect()
    }
}

/// Who has the room open on the other server instances, as Redis last said: per interview,
/// each participant with the moment their entry lapses (it is renewed every second while
/// their socket is open there). An entry past its moment counts as gone even when Redis
/// cannot be asked, so a dead instance's participants leave.
#[derive(Clone, Default)]
pub struct RemoteOnline {
    /// A std mutex: held for map operations only.
    entries: Arc<Mutex<HashMap<Uuid, HashMap<Uuid, Instant>>>>,
}

impl RemoteOnline {
    /// Whether `participant_id` has the room open on another instance at `now`.
    pub fn has(&self, interview_id: Uuid, participant_id: Uuid, now: Instant) -> bool {
        let entries = self.entries.lock().expect("remote presence");
        entries.get(&interview_id).and_then(|m| m.get(&participant_id)).is_some_and(|until| *until > now)
    }

    /// Replaces what is known of `interview_id` (participant, lapses at); returns whether the
    /// set of those present changed (an entry kept until now, even lapsed, was present: `expire`
    /// has not reported it gone).
    pub fn replace(&self, interview_id: Uuid, mut fresh: HashMap<Uuid, Instant>, now: Instant) -> bool {
        let mut entries = self.entries.lock().expect("remote presence");
        let before: HashSet<Uuid> = entries.get(&interview_id).map(|m| m.keys().copied().collect()).unwrap_or_default();
        fresh.retain(|_, until| *until > now);
        let after: HashSet<Uuid> = fresh.keys().copied().collect();
        if fresh.is_empty() {
            entries.remove(&interview_id);
        } else {
            entries.insert(interview_id, fresh);
        }
        before != after
    }

    /// Drops the entries lapsed at `now`; returns the interviews whose set changed.
    pub fn expire(&self, now: Instant) -> Vec<Uuid> {
        let mut entries = self.entries.lock().expect("remote presence");
        let mut changed = Vec::new();
        entries.retain(|interview_id, participants| {
            let before = participants.len();
            participants.retain(|_, until| *until > now);
            if participants.len() != before {
                changed.push(*interview_id);
            }
            !participants.is_empty()
        });
        changed
    }

    /// Forgets an interview this process no longer has sockets of.
    pub fn forget(&self, interview_id: Uuid) {
        self.entries.lock().expect("remote presence").remove(&interview_id);
    }
}

/// The entries of `participants` that a socket of `viewer` may see, with their online flag.
pub fn visible_entries(
    participants: &[ParticipantRecord],
    viewer: Role,
    is_online: &dyn Fn(Uuid) -> bool,
) -> Vec<PresenceEntry> {
    participants
        .iter()
        .filter(|p| sees_presence_of(viewer, p.role))
        .map(|p| PresenceEntry { participant_id: p.id, name: p.name.clone(), role: p.role, online: is_online(p.id) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn participant(name: &str, role: Role) -> ParticipantRecord {
        ParticipantRecord {
            id: Uuid::now_v7(),
            interview_id: Uuid::nil(),
            user_id: None,
            role,
            name: name.into(),
            email: None,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_participant_is_online_while_any_of_their_sockets_is_open() {
        let counts = OnlineCounts::default();
        let (interview, casey) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(counts.add(interview, casey), "first tab: online");
        assert!(!counts.add(interview, casey), "second tab: no change");
        assert!(!counts.remove(interview, casey), "one tab left");
        assert_eq!(counts.participants(interview), vec![casey]);
        assert!(counts.remove(interview, casey), "last tab: offline");
        assert!(counts.participants(interview).is_empty());
        assert!(!counts.remove(interview, casey), "an unknown socket changes nothing");
        assert!(counts.counts.lock().unwrap().is_empty(), "nothing kept for an empty room");
    }

    #[test]
    fn a_remote_entry_counts_until_it_lapses() {
        let remote = RemoteOnline::default();
        let (interview, casey, t0) = (Uuid::now_v7(), Uuid::now_v7(), Instant::now());
        let later = t0 + std::time::Duration::from_secs(3);
        assert!(remote.replace(interview, HashMap::from([(casey, later)]), t0), "casey arrived");
        assert!(!remote.replace(interview, HashMap::from([(casey, later)]), t0), "renewed: no change");
        assert!(remote.replace(interview, HashMap::new(), later), "gone from Redis after it lapsed here");
        assert!(remote.replace(interview, HashMap::from([(casey, later)]), t0), "back");
        assert!(remote.has(interview, casey, t0));
        assert!(remote.expire(t0).is_empty());
        assert_eq!(remote.expire(later), vec![interview], "lapsed without Redis being asked");
        assert!(!remote.has(interview, casey, later));
        assert!(remote.entries.lock().unwrap().is_empty(), "nothing kept for an empty room");
    }

    #[test]
    fn candidates_and_observers_do_not_see_observers() {
        let people = [
            participant("Hana", Role::Host),
            participant("Olga", Role::Observer),
            participant("Casey", Role::Candidate),
        ];
        let casey = people[2].id;
        let online = |id: Uuid| id == casey;
        let names = |viewer: Role| -> Vec<(String, bool)> {
            visible_entries(&people, viewer, &online).into_iter().map(|e| (e.name, e.online)).collect()
        };
        let everyone = vec![("Hana".into(), false), ("Olga".into(), false), ("Casey".into(), true)];
        let no_observers = vec![("Hana".into(), false), ("Casey".into(), true)];
        assert_eq!(names(Role::Host), everyone);
        assert_eq!(names(Role::Interviewer), everyone);
        assert_eq!(names(Role::Candidate), no_observers);
        assert_eq!(names(Role::Observer), no_observers);
    }
}
