//! The video call of each interview, in this process: its roster (at most six peers, each a
//! participant on one room socket, with what it sends and may send), the observers the host
//! let speak, and the rules that keep it honest — a peer relays descriptions and candidates
//! only to a peer of the same call, and never a description that sends media it may not send.
//!
//! Without Redis the roster is this process's. With Redis it is kept in Redis, one per
//! interview across instances (`realtime::room_cluster::call` changes it there), and this
//! roster is each instance's mirror of it, replaced whole after every change (`mirror_call`).
//! `call_state` goes out whole after every change to this process's sockets (after the
//! `call_left` of the peers the change took out), as two twins:
//! interviewers see everyone; candidates and observers see observers named "Observer". A
//! message for one peer is published to `Audience::Peer` (through Redis when configured, so it
//! reaches the peer's socket on any instance); the socket whose peer it is takes it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client_messages::{CallMedia, IceCandidate, SessionDescription};
use super::fanout::LocalDelivery;
use super::{Audience, PROTOCOL_VERSION, Published, RoomEvent, RoomEvents};
use crate::domain::Role;
use crate::domain::policy::{MaySend, may_send_media};
use crate::realtime::sdp_media::sent_media;

/// Peers per call: a mesh of six is 15 connections, each peer sending five streams.
pub const MAX_PEERS: usize = 6;
/// What candidates and observers are shown instead of an observer's name.
const OBSERVER_NAME: &str = "Observer";

/// One peer in a `call_state` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallPeer {
    /// Fresh for every join.
    pub peer_id: Uuid,
    pub participant_id: Uuid,
    /// "Observer" for an observer, to candidates and observers.
    pub name: String,
    pub role: Role,
    pub media: CallMedia,
    pub may_send: MaySend,
}

/// Why a call message was refused (`call_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallErrorCode {
    CallFull,
    NotInCall,
    PeerGone,
    SendNotAllowed,
    InvalidMessage,
    Forbidden,
    InterviewEnded,
}

/// Why the server took a peer out of the call (`call_left`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallLeftReason {
    /// The host changed what this observer may send: join again at once.
    PermissionChanged,
    InterviewEnded,
}

/// A refused call message: what the sender is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRefusal {
    pub code: CallErrorCode,
    pub message: String,
    /// The peer the message was for, when it is gone.
    pub peer_id: Option<Uuid>,
}

impl CallRefusal {
    pub fn new(code: CallErrorCode, message: impl Into<String>) -> CallRefusal {
        CallRefusal { code, message: message.into(), peer_id: None }
    }

    pub fn into_event(self) -> RoomEvent {
        RoomEvent::CallError { v: PROTOCOL_VERSION, code: self.code, message: self.message, peer_id: self.peer_id }
    }
}

pub fn not_in_call() -> CallRefusal {
    CallRefusal::new(CallErrorCode::NotInCall, "Join the call first.")
}

fn send_not_allowed(what: &str) -> CallRefusal {
    CallRefusal::new(CallErrorCode::SendNotAllowed, format!("You may not send {what} in this call."))
}

/// Who joins from a socket.
#[derive(Debug, Clone)]
pub struct CallMember {
    pub participant_id: Uuid,
    pub name: String,
    pub role: Role,
}

/// Every interview's call in this process.
#[derive(Clone, Default)]
pub struct CallRoster {
    /// A std mutex: held for map operations and the local delivery of a change, so the last
    /// `call_state` a socket gets describes the latest roster.
    calls: Arc<Mutex<HashMap<Uuid, Call>>>,
}

#[derive(Default)]
struct Call {
    /// In joining order.
    peers: Vec<CallPeer>,
    /// Observers (participant ids) the host let speak; kept until the interview ends.
    speakers: HashSet<Uuid>,
}

impl Call {
    fn peer(&self, peer_id: Uuid) -> Option<&CallPeer> {
        self.peers.iter().find(|p| p.peer_id == peer_id)
    }

    /// The roster as a socket of an interviewer (or not) sees it.
    fn state_for(&self, interviewer: bool) -> RoomEvent {
        let peers = self
            .peers
            .iter()
            .map(|peer| match peer.role {
                Role::Observer if !interviewer => CallPeer { name: OBSERVER_NAME.into(), ..peer.clone() },
                _ => peer.clone(),
            })
            .collect();
        RoomEvent::CallState { v: PROTOCOL_VERSION, peers }
    }
}

/// Whether `media` claims only what `may_send` allows.
pub fn claims_within(media: &CallMedia, may_send: MaySend) -> Result<(), CallRefusal> {
    sends_within(MaySend { audio: media.audio, video: media.video, screen: media.screen_stream.is_some() }, may_send)
}

/// Whether what a peer sends (or claims to) is all allowed by `may_send`.
fn sends_within(sends: MaySend, may_send: MaySend) -> Result<(), CallRefusal> {
    if sends.audio && !may_send.audio {
        return Err(send_not_allowed("audio"));
    }
    if sends.video && !may_send.video {
        return Err(send_not_allowed("video"));
    }
    if sends.screen && !may_send.screen {
        return Err(send_not_allowed("a screen"));
    }
    Ok(())
}

impl RoomEvents {
    /// The `call_state` for one socket of `viewer`, as the call is now.
    pub fn call_state_for(&self, interview_id: Uuid, viewer: Role) -> RoomEvent {
        let calls = self.call.calls.lock().expect("calls");
        match calls.get(&interview_id) {
            Some(call) => call.state_for(viewer.is_interviewer()),
            None => RoomEvent::CallState { v: PROTOCOL_VERSION, peers: Vec::new() },
        }
    }

    /// Puts `member` in the call as a new peer, replacing the socket's previous one; returns
    /// the `call_welcome` for its socket. Refused when the call is full or `media` claims what
    /// the member may not send (nothing changes then).
    pub fn join_call(
        &self,
        interview_id: Uuid,
        member: &CallMember,
        replacing: Option<Uuid>,
        media: CallMedia,
    ) -> Result<RoomEvent, CallRefusal> {
        let mut calls = self.call.calls.lock().expect("calls");
        let joined = self.add_peer(interview_id, calls.entry(interview_id).or_default(), member, replacing, media);
        forget_if_empty(&mut calls, interview_id);
        joined
    }

    fn add_peer(
        &self,
        interview_id: Uuid,
        call: &mut Call,
        member: &CallMember,
        replacing: Option<Uuid>,
        media: CallMedia,
    ) -> Result<RoomEvent, CallRefusal> {
        let may_send = may_send_media(member.role, call.speakers.contains(&member.participant_id));
        claims_within(&media, may_send)?;
        if call.peers.iter().filter(|p| Some(p.peer_id) != replacing).count() >= MAX_PEERS {
            return Err(CallRefusal::new(CallErrorCode::CallFull, format!("The call is full ({MAX_PEERS} people).")));
        }
        call.peers.retain(|p| Some(p.peer_id) != replacing);
        let peer_id = Uuid::now_v7();
        call.peers.push(CallPeer {
            peer_id,
            participant_id: member.participant_id,
            name: member.name.clone(),
            role: member.role,
            media,
            may_send,
        });
        self.deliver_call_state(interview_id, call);
        Ok(RoomEvent::CallWelcome { v: PROTOCOL_VERSION, peer_id, may_send })
    }

    /// Takes `peer_id` out of the call (nothing when it is not in it).
    pub fn leave_call(&self, interview_id: Uuid, peer_id: Uuid) {
        let mut calls = self.call.calls.lock().expect("calls");
        let Some(call) = calls.get_mut(&interview_id) else { return };
        let before = call.peers.len();
        call.peers.retain(|p| p.peer_id != peer_id);
        if call.peers.len() != before {
            self.deliver_call_state(interview_id, call);
        }
        forget_if_empty(&mut calls, interview_id);
    }

    /// Records what `peer_id` sends now; refused when it claims what it may not send.
    pub fn change_call_media(&self, interview_id: Uuid, peer_id: Uuid, media: CallMedia) -> Result<(), CallRefusal> {
        let mut calls = self.call.calls.lock().expect("calls");
        let call = calls.get_mut(&interview_id).ok_or_else(not_in_call)?;
        let peer = call.peers.iter_mut().find(|p| p.peer_id == peer_id).ok_or_else(not_in_call)?;
        claims_within(&media, peer.may_send)?;
        if peer.media != media {
            peer.media = media;
            self.deliver_call_state(interview_id, call);
        }
        Ok(())
    }

    /// Relays a description or a candidate from peer `from` to peer `to` of the same call. A
    /// description that sends media `from` may not send is refused.
    pub fn relay_call_signal(
        &self,
        interview_id: Uuid,
        from: Uuid,
        to: Uuid,
        description: Option<SessionDescription>,
        candidate: Option<IceCandidate>,
    ) -> Result<(), CallRefusal> {
        let sent = description.as_ref().map(|d| sent_media(&d.sdp)).unwrap_or_default();
        {
            let calls = self.call.calls.lock().expect("calls");
            let call = calls.get(&interview_id).ok_or_else(not_in_call)?;
            let sender = call.peer(from).ok_or_else(not_in_call)?;
            if call.peer(to).is_none() {
                let message = "That peer is no longer in the call.";
                return Err(CallRefusal { peer_id: Some(to), ..CallRefusal::new(CallErrorCode::PeerGone, message) });
            }
            // A description carries no screen of its own: a screen track is a video track.
            sends_within(MaySend { audio: sent.audio, video: sent.video, screen: false }, sender.may_send)?;
        }
        // Serialised outside the lock (a description is up to 32 KiB); one socket's signals
        // are handled one after another, so they still arrive in order.
        let event = RoomEvent::CallSignal { v: PROTOCOL_VERSION, from, description, candidate };
        let json = serde_json::to_string(&event).expect("events serialise");
        // To the peer's socket wherever it is (with Redis, on any instance).
        self.publish_json(interview_id, Audience::Peer(to), json.into());
        Ok(())
    }

    /// Lets observer `participant_id` speak (audio only), or takes it back. Their peers in the
    /// call leave it (`call_left` `permission_changed`), to join again with the new allowance.
    pub fn permit_speech(&self, interview_id: Uuid, participant_id: Uuid, speak: bool) {
        let mut calls = self.call.calls.lock().expect("calls");
        let call = calls.entry(interview_id).or_default();
        if speak {
            call.speakers.insert(participant_id);
        } else {
            call.speakers.remove(&participant_id);
        }
        let (theirs, others): (Vec<CallPeer>, Vec<CallPeer>) =
            std::mem::take(&mut call.peers).into_iter().partition(|p| p.participant_id == participant_id);
        call.peers = others;
        for peer in &theirs {
            self.deliver_call_left(interview_id, peer.peer_id, CallLeftReason::PermissionChanged);
        }
        if !theirs.is_empty() {
            self.deliver_call_state(interview_id, call);
        }
        forget_if_empty(&mut calls, interview_id);
    }

    /// The interview ended: every peer leaves (`call_left` `interview_ended`) and the call,
    /// with the observers let speak, is forgotten.
    pub fn end_call(&self, interview_id: Uuid) {
        let mut calls = self.call.calls.lock().expect("calls");
        let Some(mut call) = calls.remove(&interview_id) else { return };
        if call.peers.is_empty() {
            return;
        }
        for peer in &call.peers {
            self.deliver_call_left(interview_id, peer.peer_id, CallLeftReason::InterviewEnded);
        }
        call.peers.clear();
        self.deliver_call_state(interview_id, &call);
    }

    /// Replaces this process's mirror of the interview's call with the roster Redis holds,
    /// and tells this process's sockets when its peers changed.
    pub fn mirror_call(&self, interview_id: Uuid, peers: Vec<CallPeer>, speakers: HashSet<Uuid>) {
        let mut calls = self.call.calls.lock().expect("calls");
        let call = calls.entry(interview_id).or_default();
        call.speakers = speakers;
        if call.peers != peers {
            call.peers = peers;
            self.deliver_call_state(interview_id, call);
        }
        forget_if_empty(&mut calls, interview_id);
    }

    /// A peer of the interview's call as this process knows it.
    pub fn call_peer(&self, interview_id: Uuid, peer_id: Uuid) -> Option<CallPeer> {
        let calls = self.call.calls.lock().expect("calls");
        calls.get(&interview_id)?.peer(peer_id).cloned()
    }

    /// Tells the sockets of this process whose peers these are that the server took them out
    /// of the call (each instance does it for its own, before it mirrors the new roster).
    pub fn tell_left_here(&self, interview_id: Uuid, peer_ids: &[Uuid], reason: CallLeftReason) {
        for peer_id in peer_ids {
            self.deliver_call_left(interview_id, *peer_id, reason);
        }
    }

    /// The interviews whose call this process knows.
    pub fn calls_mirrored(&self) -> Vec<Uuid> {
        self.call.calls.lock().expect("calls").keys().copied().collect()
    }

    /// Drops the mirror of a call this process has no socket of any more.
    pub fn forget_call(&self, interview_id: Uuid) {
        self.call.calls.lock().expect("calls").remove(&interview_id);
    }

    fn deliver_call_left(&self, interview_id: Uuid, peer_id: Uuid, reason: CallLeftReason) {
        let json = serde_json::to_string(&RoomEvent::CallLeft { v: PROTOCOL_VERSION, reason }).expect("serialises");
        self.deliver(interview_id, Published { audience: Audience::Peer(peer_id), json: json.into() });
    }

    /// Sends the roster to this process's sockets of the interview, as each may see it.
    fn deliver_call_state(&self, interview_id: Uuid, call: &Call) {
        for (audience, interviewer) in [(Audience::Interviewers, true), (Audience::NotInterviewers, false)] {
            let json = serde_json::to_string(&call.state_for(interviewer)).expect("events serialise");
            self.deliver(interview_id, Published { audience, json: json.into() });
        }
    }
}

/// Drops an interview's call once nobody is in it and no observer is let speak.
fn forget_if_empty(calls: &mut HashMap<Uuid, Call>, interview_id: Uuid) {
    if calls.get(&interview_id).is_some_and(|c| c.peers.is_empty() && c.speakers.is_empty()) {
        calls.remove(&interview_id);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use tokio::sync::broadcast;

    use super::*;

    const OFFER_BOTH: &str = include_str!("../sdp_samples/chrome_offer_sendrecv.sdp");
    const ANSWER_NOTHING: &str = include_str!("../sdp_samples/chrome_answer_recvonly.sdp");
    const ANSWER_AUDIO: &str = include_str!("../sdp_samples/chrome_answer_video_rejected.sdp");

    fn member(name: &str, role: Role) -> CallMember {
        CallMember { participant_id: Uuid::now_v7(), name: name.into(), role }
    }

    fn silent() -> CallMedia {
        CallMedia { audio: false, video: false, screen_stream: None }
    }

    fn talking() -> CallMedia {
        CallMedia { audio: true, video: true, screen_stream: None }
    }

    fn join(events: &RoomEvents, interview: Uuid, who: &CallMember, media: CallMedia) -> Uuid {
        match events.join_call(interview, who, None, media) {
            Ok(RoomEvent::CallWelcome { peer_id, .. }) => peer_id,
            other => panic!("{} joining: {other:?}", who.name),
        }
    }

    fn offer(sdp: &str) -> Option<SessionDescription> {
        Some(SessionDescription { kind: super::super::client_messages::DescriptionKind::Offer, sdp: sdp.into() })
    }

    /// Every event waiting on `socket`: (audience, JSON).
    fn drain(socket: &mut broadcast::Receiver<Published>) -> Vec<(Audience, Value)> {
        std::iter::from_fn(|| socket.try_recv().ok())
            .map(|p| (p.audience, serde_json::from_str(&p.json).unwrap()))
            .collect()
    }

    fn names(state: &Value) -> Vec<&str> {
        state["peers"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect()
    }

    #[test]
    fn six_fill_the_call_and_a_seventh_is_refused_but_a_rejoin_is_not() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let people: Vec<CallMember> = (0..7).map(|i| member(&format!("P{i}"), Role::Interviewer)).collect();
        let peers: Vec<Uuid> = people[..MAX_PEERS].iter().map(|p| join(&events, interview, p, talking())).collect();
        let refused = events.join_call(interview, &people[6], None, talking()).unwrap_err();
        assert_eq!(refused.code, CallErrorCode::CallFull);
        // The first joins again from the same socket: a new peer replaces its old one.
        let again = events.join_call(interview, &people[0], Some(peers[0]), silent()).unwrap();
        let RoomEvent::CallWelcome { peer_id, .. } = again else { panic!("{again:?}") };
        assert_ne!(peer_id, peers[0]);
        let RoomEvent::CallState { peers: listed, .. } = events.call_state_for(interview, Role::Host) else { panic!() };
        assert_eq!(listed.len(), MAX_PEERS);
        assert!(listed.iter().all(|p| p.peer_id != peers[0]));
    }

    #[test]
    fn candidates_and_observers_see_observers_unnamed() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let mut socket = events.subscribe(interview);
        join(&events, interview, &member("Hana", Role::Host), talking());
        join(&events, interview, &member("Olga", Role::Observer), silent());
        let last_two: Vec<(Audience, Value)> = drain(&mut socket).into_iter().rev().take(2).collect();
        let (audience, redacted) = &last_two[0];
        assert_eq!(*audience, Audience::NotInterviewers);
        assert_eq!(names(redacted), ["Hana", "Observer"]);
        assert_eq!(redacted["peers"][1]["role"], "observer");
        assert_eq!(
            redacted["peers"][1]["may_send"],
            serde_json::json!({"audio": false, "video": false, "screen": false})
        );
        assert_eq!((last_two[1].0, names(&last_two[1].1)), (Audience::Interviewers, vec!["Hana", "Olga"]));
        let snapshot = |role| serde_json::to_value(events.call_state_for(interview, role)).unwrap();
        assert_eq!(names(&snapshot(Role::Candidate)), ["Hana", "Observer"]);
        assert_eq!(names(&snapshot(Role::Interviewer)), ["Hana", "Olga"]);
    }

    #[test]
    fn signals_go_to_one_peer_of_the_same_call_only() {
        let events = RoomEvents::default();
        let (interview, elsewhere) = (Uuid::now_v7(), Uuid::now_v7());
        let mut socket = events.subscribe(interview);
        let hana = join(&events, interview, &member("Hana", Role::Host), talking());
        let casey = join(&events, interview, &member("Casey", Role::Candidate), talking());
        let stranger = join(&events, elsewhere, &member("Otto", Role::Host), talking());
        drain(&mut socket);

        events.relay_call_signal(interview, hana, casey, offer(OFFER_BOTH), None).unwrap();
        let delivered = drain(&mut socket);
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].0, Audience::Peer(casey));
        assert_eq!(delivered[0].1["from"], hana.to_string());
        assert_eq!(delivered[0].1["description"]["type"], "offer");
        assert!(delivered[0].1["candidate"].is_null());

        let gone = events.relay_call_signal(interview, hana, stranger, offer(OFFER_BOTH), None).unwrap_err();
        assert_eq!((gone.code, gone.peer_id), (CallErrorCode::PeerGone, Some(stranger)));
        let outsider = events.relay_call_signal(interview, stranger, casey, offer(OFFER_BOTH), None).unwrap_err();
        assert_eq!(outsider.code, CallErrorCode::NotInCall);
        events.leave_call(interview, casey);
        let left = events.relay_call_signal(interview, hana, casey, offer(OFFER_BOTH), None).unwrap_err();
        assert_eq!(left.code, CallErrorCode::PeerGone);
        assert!(drain(&mut socket).iter().all(|(audience, _)| !matches!(audience, Audience::Peer(_))));
    }

    #[test]
    fn an_observer_sends_nothing_until_let_speak_and_then_audio_only() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let mut socket = events.subscribe(interview);
        let hana = join(&events, interview, &member("Hana", Role::Host), talking());
        let olga_member = member("Olga", Role::Observer);
        assert_eq!(
            events.join_call(interview, &olga_member, None, talking()).unwrap_err().code,
            CallErrorCode::SendNotAllowed,
            "an observer joining with a camera"
        );
        let olga = join(&events, interview, &olga_member, silent());
        for sdp in [OFFER_BOTH, ANSWER_AUDIO] {
            let refused = events.relay_call_signal(interview, olga, hana, offer(sdp), None).unwrap_err();
            assert_eq!(refused.code, CallErrorCode::SendNotAllowed);
        }
        events.relay_call_signal(interview, olga, hana, offer(ANSWER_NOTHING), None).unwrap();
        let unmuted = CallMedia { audio: true, ..silent() };
        assert_eq!(
            events.change_call_media(interview, olga, unmuted.clone()).unwrap_err().code,
            CallErrorCode::SendNotAllowed
        );
        drain(&mut socket);

        events.permit_speech(interview, olga_member.participant_id, true);
        let told = drain(&mut socket);
        assert_eq!(told[0].0, Audience::Peer(olga));
        assert_eq!(told[0].1["type"], "call_left");
        assert_eq!(told[0].1["reason"], "permission_changed");
        assert_eq!(names(&told[1].1), ["Hana"], "the observer left the call");
        let olga = join(&events, interview, &olga_member, unmuted);
        events.relay_call_signal(interview, olga, hana, offer(ANSWER_AUDIO), None).unwrap();
        let refused = events.relay_call_signal(interview, olga, hana, offer(OFFER_BOTH), None).unwrap_err();
        assert_eq!(refused.code, CallErrorCode::SendNotAllowed, "never video");
        let sharing = CallMedia { screen_stream: Some("screen".into()), ..silent() };
        assert_eq!(events.change_call_media(interview, olga, sharing).unwrap_err().code, CallErrorCode::SendNotAllowed);
    }

    #[test]
    fn the_end_empties_the_call_and_forgets_it() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let mut socket = events.subscribe(interview);
        let hana = join(&events, interview, &member("Hana", Role::Host), talking());
        let olga = member("Olga", Role::Observer);
        events.permit_speech(interview, olga.participant_id, true);
        drain(&mut socket);
        events.end_call(interview);
        let told = drain(&mut socket);
        assert_eq!(told[0].0, Audience::Peer(hana));
        assert_eq!(told[0].1["reason"], "interview_ended");
        assert!(told[1..].iter().all(|(_, state)| names(state).is_empty()));
        assert!(events.call.calls.lock().unwrap().is_empty());
        let talking_olga = CallMedia { audio: true, ..silent() };
        assert!(events.join_call(interview, &olga, None, talking_olga).is_err(), "the permission went with the end");
    }

    #[test]
    fn nothing_is_kept_for_an_empty_call() {
        let events = RoomEvents::default();
        let interview = Uuid::now_v7();
        let hana = join(&events, interview, &member("Hana", Role::Host), talking());
        let olga = member("Olga", Role::Observer);
        assert!(events.join_call(interview, &olga, None, talking()).is_err());
        events.leave_call(interview, hana);
        events.leave_call(interview, hana);
        events.permit_speech(interview, olga.participant_id, false);
        assert!(events.call.calls.lock().unwrap().is_empty());
    }
}
