//! What travels between the room-event hub, its Redis fan-out and the sockets: an event
//! already serialised, with the audience it is meant for.

use std::sync::Arc;

use uuid::Uuid;

/// Who may receive an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Host and co-interviewers only.
    Interviewers,
    /// Candidates and observers: the redacted twin of an event sent in full to interviewers.
    NotInterviewers,
    /// The one socket whose peer in the video call this is (call events, delivered locally).
    Peer(Uuid),
}

impl Audience {
    /// Whether a socket of an interviewer (or not), in the call as `peer`, receives events
    /// meant for this audience.
    pub fn includes(self, interviewer: bool, peer: Option<Uuid>) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Interviewers => interviewer,
            Audience::NotInterviewers => !interviewer,
            Audience::Peer(id) => peer == Some(id),
        }
    }

    /// The audience of an event about a run visible to everyone, or to interviewers only.
    pub fn of_run(interviewers_only: bool) -> Audience {
        if interviewers_only { Audience::Interviewers } else { Audience::Everyone }
    }
}

#[derive(Debug, Clone)]
pub struct Published {
    pub audience: Audience,
    /// The event already serialised, shared by every socket.
    pub json: Arc<str>,
}
