//! One room socket's place in the video call: it reads the call messages the socket receives
//! (`room_events::client_messages`), applies them to the interview's call (`room_events::call`)
//! and says what to answer this socket. A socket is at most one peer; the peer leaves the call
//! when the socket ends (this seat is dropped), like `Here` for presence.
//!
//! The roster decides who is in the call: after the server took this socket's peer out
//! (`call_left`), its messages are refused as `not_in_call` until it joins again. With Redis
//! the roster is one per interview across instances (`room_cluster::call`); without it, this
//! process's (`room_events::call`).

use uuid::Uuid;

use crate::domain::policy::may_permit_speech;
use crate::domain::{InterviewStatus, Role};
use crate::realtime::room_events::client_messages::RoomClientMessage;
use crate::realtime::room_events::{CallErrorCode, CallMember, CallRefusal, RoomEvent};
use crate::state::AppState;

pub struct CallSeat {
    state: AppState,
    interview_id: Uuid,
    member: CallMember,
    /// This socket's peer since its last `call_join`, until it leaves.
    peer_id: Option<Uuid>,
}

impl CallSeat {
    pub fn new(state: AppState, interview_id: Uuid, member: CallMember) -> CallSeat {
        CallSeat { state, interview_id, member, peer_id: None }
    }

    /// The peer events for this socket are addressed to (`Audience::Peer`).
    pub fn peer_id(&self) -> Option<Uuid> {
        self.peer_id
    }

    /// Handles one message from the socket, as parsed (`parse_client_message`); returns what to
    /// answer it, if anything (`call_welcome`, or `call_error` when the message was refused).
    pub async fn handle(&mut self, parsed: Result<RoomClientMessage, String>) -> Option<RoomEvent> {
        let answer = match parsed {
            Ok(message) => self.apply(message).await,
            Err(message) => Err(CallRefusal::new(CallErrorCode::InvalidMessage, message)),
        };
        answer.unwrap_or_else(|refusal| Some(refusal.into_event()))
    }

    async fn apply(&mut self, message: RoomClientMessage) -> Result<Option<RoomEvent>, CallRefusal> {
        let events = &self.state.runs.events;
        // With Redis the roster is the interview's across instances (`room_cluster::call`).
        let shared = self.state.shared_call.as_deref();
        let id = self.interview_id;
        match message {
            RoomClientMessage::CallJoin { media, .. } => {
                self.require_not_ended().await?;
                let welcome = match shared {
                    Some(shared) => shared.join(id, &self.member, self.peer_id, media).await?,
                    None => events.join_call(id, &self.member, self.peer_id, media)?,
                };
                if let RoomEvent::CallWelcome { peer_id, .. } = &welcome {
                    self.peer_id = Some(*peer_id);
                }
                Ok(Some(welcome))
            }
            RoomClientMessage::CallLeave { .. } => {
                if let Some(peer_id) = self.peer_id.take() {
                    match shared {
                        Some(shared) => shared.leave(id, peer_id).await,
                        None => events.leave_call(id, peer_id),
                    }
                }
                Ok(None)
            }
            RoomClientMessage::CallMedia { media, .. } => {
                let peer_id = self.in_call()?;
                match shared {
                    Some(shared) => shared.change_media(id, peer_id, media).await?,
                    None => events.change_call_media(id, peer_id, media)?,
                }
                Ok(None)
            }
            RoomClientMessage::CallSignal { to, description, candidate, .. } => {
                events.relay_call_signal(id, self.in_call()?, to, description, candidate)?;
                Ok(None)
            }
            RoomClientMessage::CallPermit { participant_id, speak, .. } => {
                self.require_observer(participant_id).await?;
                match shared {
                    Some(shared) => shared.permit_speech(id, participant_id, speak).await?,
                    None => events.permit_speech(id, participant_id, speak),
                }
                Ok(None)
            }
            // Not the call's: the socket hands signals to the timeline (`timeline::socket_signals`)
            // and the terminal's messages to its `terminal_seat`.
            RoomClientMessage::Signal { .. }
            | RoomClientMessage::TerminalStart { .. }
            | RoomClientMessage::TerminalInput { .. }
            | RoomClientMessage::TerminalSignal { .. }
            | RoomClientMessage::TerminalStop { .. } => Ok(None),
        }
    }

    fn in_call(&self) -> Result<Uuid, CallRefusal> {
        self.peer_id.ok_or_else(|| CallRefusal::new(CallErrorCode::NotInCall, "Join the call first."))
    }

    /// Refuses joining an ended interview (or one gone, or unreadable now).
    async fn require_not_ended(&self) -> Result<(), CallRefusal> {
        let ended = || CallRefusal::new(CallErrorCode::InterviewEnded, "The interview has ended.");
        match self.state.store.find_interview(self.interview_id).await {
            Ok(Some(interview)) if interview.status != InterviewStatus::Ended => Ok(()),
            Ok(_) => Err(ended()),
            Err(err) => {
                tracing::warn!(error = %err, "loading the interview to join its call failed");
                Err(CallRefusal::new(CallErrorCode::InvalidMessage, "The call cannot be joined now; try again."))
            }
        }
    }

    /// Only the host lets someone speak, and only an observer of this interview.
    async fn require_observer(&self, participant_id: Uuid) -> Result<(), CallRefusal> {
        may_permit_speech(self.member.role)
            .map_err(|_| CallRefusal::new(CallErrorCode::Forbidden, "Only the host may let an observer speak."))?;
        let participants = self.state.store.list_participants(self.interview_id).await.map_err(|err| {
            tracing::warn!(error = %err, "loading the participants to let one speak failed");
            CallRefusal::new(CallErrorCode::InvalidMessage, "Permissions cannot be changed now; try again.")
        })?;
        if !participants.iter().any(|p| p.id == participant_id && p.role == Role::Observer) {
            let message = "Only an observer of this interview can be let speak.";
            return Err(CallRefusal::new(CallErrorCode::InvalidMessage, message));
        }
        Ok(())
    }
}

impl Drop for CallSeat {
    fn drop(&mut self) {
        let Some(peer_id) = self.peer_id.take() else { return };
        match self.state.shared_call.clone() {
            // The runtime is gone only when the process stops; the peer then lapses in Redis.
            Some(shared) => {
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    let interview_id = self.interview_id;
                    runtime.spawn(async move { shared.leave(interview_id, peer_id).await });
                }
            }
            None => self.state.runs.events.leave_call(self.interview_id, peer_id),
        }
    }
}
