//! LiveDoc events: the JSON messages of `/ws/rooms/{interview_id}` (a discriminated union with a
//! protocol version), and the in-process hub that fans them out to the interview's sockets.
//!
//! Some events must not reach candidates and observers (output of a hidden test case could
//! reveal its input, an interviewer's own runs are theirs): each published event says who may
//! see it, and each socket filters. An event whose content differs by role is published
//! twice: in full to interviewers, redacted to everyone else.
//!
//! With Redis configured, events travel through one Redis channel to every process (a
//! `codeview worker` streams run output to the servers holding the sockets); without it they
//! stay in this process. See `fanout`. Presence (who has the room open) is counted per
//! process, merged with what the other instances hold (with Redis, `realtime::room_cluster`),
//! and each instance tells its own sockets; see `presence`. The video call's roster and its
//! signalling, addressed to one peer's socket, are this process's; see `call`. What browsers send on the socket
//! (the call's messages) is `client_messages`.

pub mod call;
pub mod client_messages;
mod fanout;
mod presence;
mod published;
pub mod terminal;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use crate::db::ParticipantRecord;
use crate::domain::policy::{MaySend, sees_presence_of};
use crate::domain::{
    FailureReason, InterviewControls, InterviewStatus, Language, OutputStream, Role, RunMode, RunStatus, Verdict,
};
use crate::runs::isolation::RunIsolation;
use crate::timeline::event::SignalData;
use call::CallRoster;
pub use call::{CallErrorCode, CallLeftReason, CallMember, CallPeer, CallRefusal, MAX_PEERS};
use client_messages::{IceCandidate, SessionDescription};
use codeview_runner::{EndReason as TerminalEndReason, TerminalMode};
use fanout::LocalDelivery;
use presence::OnlineCounts;
pub use presence::{PresenceEntry, RemoteOnline};
pub use published::{Audience, Published};
use terminal::TerminalErrorCode;

/// Bump when a message changes incompatibly.
pub const PROTOCOL_VERSION: u32 = 1;
/// Events buffered per interview; a socket that falls further behind is told to resync.
const CHANNEL_CAPACITY: usize = 1024;
/// Presence changes of this process waiting to be written to Redis; beyond it they wait for
/// the next periodic write (`room_cluster::presence`).
const PRESENCE_CHANGES_QUEUED: usize = 1024;

/// One event, as sent to browsers on `/ws/rooms/{interview_id}` (its schema is part of the
/// OpenAPI document, so the web's types are generated from it).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoomEvent {
    /// Sent first on every socket. `sandbox`, to interviewers only: the isolation runs
    /// execute under when the operator let them run in a degraded sandbox (null otherwise,
    /// and always null for candidates and observers).
    Hello {
        v: u32,
        interview_id: Uuid,
        participant_id: Uuid,
        role: Role,
        sandbox: Option<RunIsolation>,
    },
    RunQueued {
        v: u32,
        run_id: Uuid,
        language: Language,
        mode: RunMode,
        participant_id: Uuid,
        requested_by: String,
    },
    RunStarted {
        v: u32,
        run_id: Uuid,
    },
    /// A chunk of output; `case` is the test-case index (none for compiler output).
    RunOutput {
        v: u32,
        run_id: Uuid,
        case: Option<usize>,
        stream: OutputStream,
        text: String,
    },
    /// A test case ended. Of a hidden case, candidates and observers get only the coarse
    /// status, `passed` and `reason` (numbers are null).
    RunCase {
        v: u32,
        run_id: Uuid,
        case: usize,
        status: RunStatus,
        passed: Option<bool>,
        /// `wrong_answer`, `time`, `memory` or `crash` when the case failed.
        reason: Option<FailureReason>,
        time_ms: Option<u64>,
        memory_kb: Option<u64>,
    },
    /// The run is over; fetch `GET /api/runs/{run_id}` for the stored result.
    RunFinished {
        v: u32,
        run_id: Uuid,
        status: RunStatus,
        verdict: Option<Verdict>,
    },
    /// The interview changed status (`live`, `ended`).
    Status {
        v: u32,
        status: InterviewStatus,
    },
    /// The interview's controls changed (`PATCH /api/interviews/{id}/controls`); sent to
    /// everyone, who apply them at once (the candidate's editor turns completions off or on).
    Controls {
        v: u32,
        controls: InterviewControls,
    },
    /// Events were missed (the socket fell behind); reload state over HTTP.
    Resync {
        v: u32,
    },
    /// Who is in the room: the participants this socket may see (candidates and observers are
    /// not shown observers), each with whether they have the room open. Sent right after
    /// `hello` and again, whole, whenever someone comes online or goes offline.
    Presence {
        v: u32,
        participants: Vec<PresenceEntry>,
    },
    /// Who is in the video call, with what they send and may send. Sent right after `presence`
    /// and again, whole, whenever someone joins, leaves or changes their media. Candidates and
    /// observers see observers named "Observer".
    CallState {
        v: u32,
        peers: Vec<CallPeer>,
    },
    /// To the socket that sent `call_join`: its peer id in the call and what it may send.
    CallWelcome {
        v: u32,
        peer_id: Uuid,
        may_send: MaySend,
    },
    /// To one peer's socket: a description or (the other null) a candidate from peer `from`.
    CallSignal {
        v: u32,
        from: Uuid,
        description: Option<SessionDescription>,
        candidate: Option<IceCandidate>,
    },
    /// To the sending socket: its call message was refused, and nothing was relayed.
    /// `peer_id` is the peer it was for, when that peer is gone.
    CallError {
        v: u32,
        code: CallErrorCode,
        message: String,
        peer_id: Option<Uuid>,
    },
    /// To one peer's socket: the server took it out of the call.
    CallLeft {
        v: u32,
        reason: CallLeftReason,
    },
    /// To interviewers only: an integrity signal about the candidate (`participant_id`), as it
    /// is stored on the timeline. Evidence to look at, not a verdict.
    Signal {
        v: u32,
        at: DateTime<Utc>,
        participant_id: Uuid,
        signal: SignalData,
    },
    /// To everyone: an interactive terminal session started (`terminal_start`).
    TerminalStarted {
        v: u32,
        session_id: Uuid,
        language: Language,
        mode: TerminalMode,
        /// The participant who started it.
        started_by: Uuid,
        started_at: DateTime<Utc>,
    },
    /// To everyone: the program's output (stdout and stderr merged, terminal line ends),
    /// coalesced by the server and never cut inside a UTF-8 character. `seq` increases per
    /// session and is shared with `terminal_input`.
    TerminalOutput {
        v: u32,
        session_id: Uuid,
        seq: u64,
        data: String,
    },
    /// To everyone, in line mode only: what participant `by` typed.
    TerminalInput {
        v: u32,
        session_id: Uuid,
        seq: u64,
        data: String,
        by: Uuid,
    },
    /// To everyone: the session is over. `exit_code` is null unless the program exited.
    TerminalEnded {
        v: u32,
        session_id: Uuid,
        reason: TerminalEndReason,
        exit_code: Option<i32>,
        /// The end in words, for the terminal's last line.
        message: String,
    },
    /// To a socket that (re)connects while a session runs: the session and the last 64 KiB
    /// of what its terminal showed (output and line-mode input, in order).
    TerminalState {
        v: u32,
        session_id: Uuid,
        language: Language,
        mode: TerminalMode,
        started_by: Uuid,
        started_at: DateTime<Utc>,
        transcript: String,
    },
    /// To the sending socket: its terminal message was refused.
    TerminalError {
        v: u32,
        code: TerminalErrorCode,
        message: String,
    },
}

/// Per-interview broadcast channels, created on first subscription, and the Redis fan-out
/// when configured.
#[derive(Clone, Default)]
pub struct RoomEvents {
    /// A std mutex: held only for map operations.
    channels: Arc<Mutex<HashMap<Uuid, broadcast::Sender<Published>>>>,
    fanout: Option<fanout::Fanout>,
    /// Open room sockets per participant, in this process.
    online: OnlineCounts,
    /// Who has the room open on the other instances (empty without Redis).
    remote_online: RemoteOnline,
    /// Per interview, who this process's sockets were last told is online (a std mutex, held
    /// while a change is delivered, so the last presence a socket gets is the latest).
    announced: Arc<Mutex<HashMap<Uuid, HashSet<Uuid>>>>,
    /// With Redis: the interviews whose presence in this process changed, for Redis.
    presence_changes: Option<mpsc::Sender<Uuid>>,
    /// The video calls, in this process.
    call: CallRoster,
}

impl RoomEvents {
    pub fn subscribe(&self, interview_id: Uuid) -> broadcast::Receiver<Published> {
        let mut channels = self.channels.lock().expect("room events");
        channels.entry(interview_id).or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0).subscribe()
    }

    /// Events shared with every process through the Redis of `client`; `listen` for processes
    /// that hold sockets (servers), not for workers that only publish.
    pub async fn with_redis(client: redis::Client, listen: bool) -> anyhow::Result<RoomEvents> {
        let mut events = RoomEvents::default();
        events.fanout = Some(fanout::Fanout::connect(client, listen.then(|| events.clone())).await?);
        Ok(events)
    }

    /// Whether Redis answers, or `None` without Redis.
    pub async fn redis_reachable(&self) -> Option<bool> {
        match &self.fanout {
            Some(fanout) => Some(fanout.ping().await),
            None => None,
        }
    }

    /// Sends `full` to interviewers and `redacted` to everyone else, or `full` to everyone when
    /// the two are the same.
    pub fn publish_by_role(&self, interview_id: Uuid, full: &RoomEvent, redacted: &RoomEvent) {
        let full_json = serde_json::to_string(full).expect("events serialise");
        let redacted_json = serde_json::to_string(redacted).expect("events serialise");
        if full_json == redacted_json {
            self.publish_json(interview_id, Audience::Everyone, full_json.into());
        } else {
            self.publish_json(interview_id, Audience::Interviewers, full_json.into());
            self.publish_json(interview_id, Audience::NotInterviewers, redacted_json.into());
        }
    }

    /// Sends an event of a run: all of an interviewers-only run's to interviewers only;
    /// another run's as `publish_by_role` does.
    pub fn publish_run(&self, interview_id: Uuid, interviewers_only: bool, full: &RoomEvent, redacted: &RoomEvent) {
        if interviewers_only {
            self.publish(interview_id, Audience::Interviewers, full);
        } else {
            self.publish_by_role(interview_id, full, redacted);
        }
    }

    /// Sends `event` to the interview's sockets (in every process, with Redis).
    pub fn publish(&self, interview_id: Uuid, audience: Audience, event: &RoomEvent) {
        self.publish_json(interview_id, audience, serde_json::to_string(event).expect("events serialise").into());
    }

    /// Counts a room socket of `participant_id` as open; true when they came online (their
    /// first socket here, and none on another instance).
    pub fn socket_opened(&self, interview_id: Uuid, participant_id: Uuid) -> bool {
        let first_here = self.online.add(interview_id, participant_id);
        self.presence_changed(interview_id, first_here);
        first_here && !self.remote_online.has(interview_id, participant_id, Instant::now())
    }

    /// Counts a room socket of `participant_id` as closed; true when they went offline (their
    /// last socket here, and none on another instance).
    pub fn socket_closed(&self, interview_id: Uuid, participant_id: Uuid) -> bool {
        let last_here = self.online.remove(interview_id, participant_id);
        self.presence_changed(interview_id, last_here);
        last_here && !self.remote_online.has(interview_id, participant_id, Instant::now())
    }

    fn presence_changed(&self, interview_id: Uuid, changed: bool) {
        if let (true, Some(changes)) = (changed, &self.presence_changes) {
            // A full queue is caught up by the next periodic write.
            let _ = changes.try_send(interview_id);
        }
    }

    /// Makes presence cluster-wide: returns the interviews whose presence in this process
    /// changes from now on, for `room_cluster::presence` to write to Redis.
    pub fn share_presence(&mut self) -> mpsc::Receiver<Uuid> {
        let (changes, changed) = mpsc::channel(PRESENCE_CHANGES_QUEUED);
        self.presence_changes = Some(changes);
        changed
    }

    /// Who has the room open on the other instances.
    pub fn remote_online(&self) -> &RemoteOnline {
        &self.remote_online
    }

    /// The participants of `interview_id` with a room socket open in this process.
    pub fn online_here(&self, interview_id: Uuid) -> Vec<Uuid> {
        self.online.participants(interview_id)
    }

    /// The interviews with a room socket open in this process.
    pub fn interviews_here(&self) -> Vec<Uuid> {
        self.online.interviews()
    }

    /// Forgets the presence kept for an interview this process has no socket of any more.
    pub fn forget_presence(&self, interview_id: Uuid) {
        let mut announced = self.announced.lock().expect("presence announced");
        if self.online.participants(interview_id).is_empty() {
            announced.remove(&interview_id);
            self.remote_online.forget(interview_id);
        }
    }

    /// The presence event for one socket of `viewer`, as things are now.
    pub fn presence_for(&self, interview_id: Uuid, participants: &[ParticipantRecord], viewer: Role) -> RoomEvent {
        let online = self.online_now(interview_id, participants);
        RoomEvent::Presence {
            v: PROTOCOL_VERSION,
            participants: presence::visible_entries(participants, viewer, &|id| online.contains(&id)),
        }
    }

    /// Tells this process's sockets of the interview who is online now (here or on another
    /// instance) when that changed since they were last told: in full to interviewers, without
    /// observers to everyone else — and nothing to those who may see none of the participants
    /// who came or went (a candidate is not even told that something changed when an observer
    /// comes). Delivered locally, never through Redis (each instance tells its own sockets),
    /// and under the lock of what was last told, so the last event a socket gets is the latest.
    /// Returns the audiences told (none when nothing they may see changed).
    pub fn announce_presence(&self, interview_id: Uuid, participants: &[ParticipantRecord]) -> Vec<Audience> {
        let mut announced = self.announced.lock().expect("presence announced");
        let online = self.online_now(interview_id, participants);
        let before = announced.remove(&interview_id).unwrap_or_default();
        let subjects: Vec<Role> =
            participants.iter().filter(|p| before.contains(&p.id) != online.contains(&p.id)).map(|p| p.role).collect();
        let mut told = Vec::new();
        // The rule depends on the viewer only through `is_interviewer` (see `presence`).
        for (audience, viewer) in [(Audience::Interviewers, Role::Host), (Audience::NotInterviewers, Role::Candidate)] {
            if !subjects.iter().any(|subject| sees_presence_of(viewer, *subject)) {
                continue;
            }
            let event = RoomEvent::Presence {
                v: PROTOCOL_VERSION,
                participants: presence::visible_entries(participants, viewer, &|id| online.contains(&id)),
            };
            let json = serde_json::to_string(&event).expect("events serialise");
            self.deliver(interview_id, Published { audience, json: json.into() });
            told.push(audience);
        }
        if !online.is_empty() {
            announced.insert(interview_id, online);
        }
        told
    }

    /// Which of `participants` have the room open, here or on another instance.
    fn online_now(&self, interview_id: Uuid, participants: &[ParticipantRecord]) -> HashSet<Uuid> {
        let here: HashSet<Uuid> = self.online.participants(interview_id).into_iter().collect();
        let now = Instant::now();
        participants
            .iter()
            .map(|p| p.id)
            .filter(|id| here.contains(id) || self.remote_online.has(interview_id, *id, now))
            .collect()
    }

    fn publish_json(&self, interview_id: Uuid, audience: Audience, json: Arc<str>) {
        let published = Published { audience, json };
        match &self.fanout {
            Some(fanout) => {
                if let Err(published) = fanout.send(interview_id, published) {
                    self.deliver(interview_id, published);
                }
            }
            None => self.deliver(interview_id, published),
        }
    }
}

impl LocalDelivery for RoomEvents {
    /// Hands an event to this process's sockets of the interview.
    fn deliver(&self, interview_id: Uuid, published: Published) {
        let mut channels = self.channels.lock().expect("room events");
        let Some(sender) = channels.get(&interview_id) else { return };
        if sender.receiver_count() == 0 {
            channels.remove(&interview_id);
            return;
        }
        let _ = sender.send(published);
    }

    /// Tells every socket of this process that events may have been missed.
    fn deliver_resync_to_all(&self) {
        let json: Arc<str> =
            serde_json::to_string(&RoomEvent::Resync { v: PROTOCOL_VERSION }).expect("serialises").into();
        let channels = self.channels.lock().expect("room events");
        for sender in channels.values() {
            let _ = sender.send(Published { audience: Audience::Everyone, json: json.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_audience_reaches_exactly_its_sockets() {
        let table = [
            (Audience::Everyone, true, true),
            (Audience::Interviewers, true, false),
            (Audience::NotInterviewers, false, true),
        ];
        for (audience, to_interviewers, to_others) in table {
            assert_eq!(audience.includes(true, None), to_interviewers, "{audience:?}");
            assert_eq!(audience.includes(false, Some(Uuid::nil())), to_others, "{audience:?}");
        }
        let peer = Uuid::now_v7();
        for interviewer in [true, false] {
            assert!(Audience::Peer(peer).includes(interviewer, Some(peer)), "the peer's socket");
            assert!(!Audience::Peer(peer).includes(interviewer, Some(Uuid::now_v7())), "another peer's socket");
            assert!(!Audience::Peer(peer).includes(interviewer, None), "a socket not in the call");
        }
    }

    #[tokio::test]
    async fn an_event_that_differs_by_role_goes_out_as_two_twins() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let mut socket = events.subscribe(interview);
        let finished = |status: RunStatus| RoomEvent::RunFinished {
            v: PROTOCOL_VERSION,
            run_id: Uuid::nil(),
            status,
            verdict: None,
        };
        events.publish_by_role(interview, &finished(RunStatus::TimeLimit), &finished(RunStatus::Finished));
        let full = socket.recv().await.unwrap();
        let redacted = socket.recv().await.unwrap();
        assert_eq!((full.audience, redacted.audience), (Audience::Interviewers, Audience::NotInterviewers));
        assert!(full.json.contains("time_limit") && redacted.json.contains("\"finished\""));
        events.publish_by_role(interview, &finished(RunStatus::Finished), &finished(RunStatus::Finished));
        assert_eq!(socket.recv().await.unwrap().audience, Audience::Everyone, "identical twins are one event");
    }
}
