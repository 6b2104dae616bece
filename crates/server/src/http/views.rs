//! The JSON shapes of questions, interviews and participants as the API returns them, and
//! the one place that shapes what a candidate may see (no hidden test cases — who sees those
//! is `auth::question_access` — no emails of others, no invite secret, no question ids in the
//! lobby); and the links the API and its emails give out.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::question_access::{QuestionViewer, sees_hidden_cases};
use crate::db::{InterviewRecord, ParticipantRecord, Question, TestCase};
use crate::domain::{Difficulty, InterviewStatus, Language, Role};
use crate::state::AppState;

/// The candidate's invite link: the room code plus the invite secret.
pub fn invite_url(state: &AppState, interview: &InterviewRecord) -> String {
    format!("{}/join/{}?invite={}", state.settings.public_url, interview.room_code, interview.invite_secret)
}

/// The interview's own page, for its host, interviewers and observers (no secret in it).
pub fn interview_page_url(state: &AppState, interview: &InterviewRecord) -> String {
    format!("{}/interviews/{}", state.settings.public_url, interview.id)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: Uuid,
    /// `null` for the starter library (and for an interview's candidate).
    pub workspace_id: Option<Uuid>,
    pub title: String,
    pub prompt: String,
    pub difficulty: Difficulty,
    pub category: String,
    pub tags: Vec<String>,
    pub starter_code: BTreeMap<String, String>,
    /// Only the visible cases, unless the caller may see hidden ones (`auth::question_access`).
    pub test_cases: Vec<TestCase>,
    /// How many cases are hidden (their content goes only to who may see it).
    pub hidden_test_count: usize,
    /// The SQL schema of a question answered in SQL (its tables, for everyone who sees the
    /// question, candidates included); `null` for other questions.
    pub sql_schema: Option<String>,
    /// Part of the starter library shipped with CodeView (read-only).
    pub builtin: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl QuestionView {
    pub fn new(question: Question, viewer: QuestionViewer<'_>) -> QuestionView {
        let with_hidden = sees_hidden_cases(&question, viewer);
        let content = question.content;
        let hidden_test_count = content.test_cases.iter().filter(|case| case.hidden).count();
        let test_cases = if with_hidden {
            content.test_cases
        } else {
            content.test_cases.into_iter().filter(|c| !c.hidden).collect()
        };
        // The candidate is not told which workspace a question is from (as for the interview).
        let shows_workspace = !matches!(viewer, QuestionViewer::Interview { role: Role::Candidate });
        QuestionView {
            id: question.id,
            workspace_id: question.workspace_id.filter(|_| shows_workspace),
            title: content.title,
            prompt: content.prompt,
            difficulty: content.difficulty,
            category: content.category,
            tags: content.tags,
            starter_code: content.starter_code,
            test_cases,
            hidden_test_count,
            sql_schema: content.sql_schema,
            builtin: question.builtin,
            created_at: question.created_at,
            updated_at: question.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewView {
    pub id: Uuid,
    /// Not shown to the candidate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    pub title: String,
    pub status: InterviewStatus,
    pub room_code: String,
    pub language: Language,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub duration_minutes: i32,
    /// Empty for the candidate while the interview is scheduled (the lobby).
    pub question_ids: Vec<Uuid>,
    pub candidate_name: Option<String>,
    pub candidate_email: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The caller's role in this interview.
    pub my_role: Role,
}

impl InterviewView {
    pub fn new(record: InterviewRecord, question_ids: Vec<Uuid>, my_role: Role) -> InterviewView {
        let in_lobby = my_role == Role::Candidate && record.status == InterviewStatus::Scheduled;
        let question_ids = if in_lobby { Vec::new() } else { question_ids };
        InterviewView {
            id: record.id,
            workspace_id: if my_role == Role::Candidate { None } else { record.workspace_id },
            title: record.title,
            status: record.status,
            room_code: record.room_code,
            language: record.language,
            scheduled_at: record.scheduled_at,
            duration_minutes: record.duration_minutes,
            question_ids,
            candidate_name: record.candidate_name,
            candidate_email: if my_role.is_interviewer() { record.candidate_email } else { None },
            created_by: record.created_by,
            created_at: record.created_at,
            started_at: record.started_at,
            ended_at: record.ended_at,
            my_role,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
    /// Shown to interviewers only.
    pub email: Option<String>,
    pub role: Role,
}

impl ParticipantView {
    pub fn new(record: ParticipantRecord, viewer: Role) -> ParticipantView {
        ParticipantView {
            id: record.id,
            user_id: record.user_id,
            name: record.name,
            email: if viewer.is_interviewer() { record.email } else { None },
            role: record.role,
        }
    }
}
