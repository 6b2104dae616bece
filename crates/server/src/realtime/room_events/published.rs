//! What travels between the room-event hub, its Redis fan-out and the sockets: an event
//! already serialised, with the audience it is meant for.

use std::sync::Arc;

/// Who may receive an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Host and co-interviewers only.
    Interviewers,
    /// Candidates and observers: the redacted twin of an event sent in full to interviewers.
    NotInterviewers,
}

impl Audience {
    /// Whether a socket of an interviewer (or not) receives events meant for this audience.
    pub fn includes(self, interviewer: bool) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Interviewers => interviewer,
            Audience::NotInterviewers => !interviewer,
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
