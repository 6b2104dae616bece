//! Presence: who has an interview's room socket open, counted per participant (several tabs
//! count once, and a participant goes offline when their last socket closes), and the
//! `presence` event listing the interview's participants with an `online` flag.
//!
//! Which participants a socket sees is `policy::sees_presence_of`: interviewers see everyone,
//! candidates and observers everyone but observers. That rule depends on the viewer only
//! through `is_interviewer`, so a change goes out as two events with the usual audiences.
//!
//! Counts are this process's sockets, and presence events are delivered to this process's
//! sockets only (never through Redis): each server's sockets see the sockets that server
//! holds. That is exact with one server (workers hold no sockets); several servers sharing
//! interviews would each show their own share, like live documents, which are not shared
//! across servers either (docs/architecture.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    /// A std mutex: held only for map operations (and the local delivery of a presence change,
    /// so changes go out in the order they happened).
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

    /// Runs `with` on the interview's participants that are online, under the lock.
    pub fn with_online<T>(&self, interview_id: Uuid, with: impl FnOnce(&dyn Fn(Uuid) -> bool) -> T) -> T {
        let counts = self.counts.lock().expect("presence");
        let interview = counts.get(&interview_id);
        with(&|participant_id| interview.is_some_and(|m| m.contains_key(&participant_id)))
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
        assert!(counts.with_online(interview, |online| online(casey)));
        assert!(counts.remove(interview, casey), "last tab: offline");
        assert!(!counts.with_online(interview, |online| online(casey)));
        assert!(!counts.remove(interview, casey), "an unknown socket changes nothing");
        assert!(counts.counts.lock().unwrap().is_empty(), "nothing kept for an empty room");
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
