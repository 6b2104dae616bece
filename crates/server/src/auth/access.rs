//! Who may do what inside one interview: resolves the caller's participant record and role,
//! and answers the checks of the roles table (docs/roles.md).
//!
//! People who are not part of an interview get 404, as if it did not exist: a stranger or the
//! candidate of another interview learns nothing, not even that the id is real. A candidate of
//! an ended interview is refused everywhere with `interview_ended`.

use uuid::Uuid;

use crate::db::{InterviewRecord, ParticipantRecord};
use crate::domain::{InterviewStatus, Role};
use crate::error::{AppError, AppResult};
use crate::extract::Caller;
use crate::state::AppState;

/// The caller's place in one interview.
#[derive(Debug, Clone)]
pub struct InterviewAccess {
    pub interview: InterviewRecord,
    pub participant: ParticipantRecord,
}

impl InterviewAccess {
    /// The caller's role in the interview (their participant record's).
    pub fn role(&self) -> Role {
        self.participant.role
    }

    /// Where the interview is in its life.
    pub fn status(&self) -> InterviewStatus {
        self.interview.status
    }

    /// Host and co-interviewers only.
    pub fn require_interviewer(&self, action: &'static str) -> AppResult<()> {
        if self.role().is_interviewer() { Ok(()) } else { Err(AppError::Forbidden(action)) }
    }

    pub fn require_host(&self, action: &'static str) -> AppResult<()> {
        if self.role() == Role::Host { Ok(()) } else { Err(AppError::Forbidden(action)) }
    }
}

/// Resolves `caller`'s access to interview `id`.
pub async fn interview_access(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<InterviewAccess> {
    let interview = state.store.find_interview(id).await?.ok_or(AppError::NotFound("interview"))?;
    let participant = match caller {
        Caller::User(user) => state.store.find_participant_for_user(id, user.id).await?,
        Caller::Candidate { participant_id } => {
            state.store.find_participant(*participant_id).await?.filter(|p| p.interview_id == id)
        }
    }
    .ok_or(AppError::NotFound("interview"))?;
    if participant.role == Role::Candidate && interview.status == InterviewStatus::Ended {
        return Err(interview_ended());
    }
    Ok(InterviewAccess { interview, participant })
}

pub fn interview_ended() -> AppError {
    AppError::ForbiddenWithCode { code: "interview_ended", message: "This interview has ended.".into() }
}
