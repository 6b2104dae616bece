//! Records read from and written to the store. Field names match the columns, so rows map
//! with `sqlx::FromRow` on both backends.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::{Difficulty, InterviewStatus, Language, Role, RubricCriterion, WorkspaceRole};

/// An account holder (interviewer). Never carries the password hash.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A user together with the stored password hash, for login only.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserCredentials {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub password_hash: String,
}

impl UserCredentials {
    pub fn into_user(self) -> User {
        User { id: self.id, email: self.email, name: self.name, created_at: self.created_at }
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A server-side session. Only the SHA-256 of the cookie value is stored, so a copy of the
/// database does not hold live sessions. A session belongs to a user or, for candidates who
/// have no account, to one interview participant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    /// The public id (listings and `DELETE /api/auth/sessions/{id}` use it, never the hash).
    pub id: Uuid,
    pub id_hash: String,
    pub user_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The `User-Agent` it signed in with (cut short), if any.
    pub user_agent: Option<String>,
    /// When it was last used (written at most every few minutes).
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: Uuid,
    pub id_hash: String,
    pub user_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
}

/// A personal API token; the secret itself is shown once at creation and stored hashed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Updated at most every few minutes, not on every request.
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The account behind a live API token, and which token it was.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    #[sqlx(flatten)]
    pub user: User,
    pub token_id: Uuid,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A participant's role and its interview's status, as the store says now (sockets compare
/// them with what they were opened with).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantStanding {
    pub id: Uuid,
    /// Whose place it is now (a removed member's hosted interviews pass to an owner).
    pub user_id: Option<Uuid>,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: InterviewStatus,
}

/// Someone's place in one interview: the host, a co-interviewer, an observer or the candidate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub user_id: Option<Uuid>,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One test case of a question: stdin, the expected stdout, and whether candidates may see it.
/// For a SQL answer the input is the case's seed data (SQL run after the question's schema)
/// and the expected output the result table as `sqlite3` prints it in quote mode with headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TestCase {
    pub id: Uuid,
    pub input: String,
    pub expected_output: String,
    pub hidden: bool,
    /// SQL answers: whether the rows must come in the expected order (otherwise any order of
    /// the same rows passes). Other languages ignore it.
    #[serde(default = "crate::db::ordered_by_default")]
    pub ordered: bool,
}

pub fn ordered_by_default() -> bool {
    true
}

/// The editable content of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionContent {
    pub title: String,
    pub prompt: String,
    pub difficulty: Difficulty,
    pub category: String,
    pub tags: Vec<String>,
    pub starter_code: std::collections::BTreeMap<String, String>,
    pub test_cases: Vec<TestCase>,
    /// The SQL schema (DDL, maybe shared sample rows) of a question answered in SQL.
    pub sql_schema: Option<String>,
}

/// A question as stored. List-valued fields are JSON text so both backends share the SQL.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: Uuid,
    pub slug: Option<String>,
    pub title: String,
    pub prompt: String,
    #[sqlx(try_from = "String")]
    pub difficulty: Difficulty,
    pub category: String,
    pub tags: String,
    pub starter_code: String,
    pub test_cases: String,
    pub sql_schema: Option<String>,
    pub builtin: bool,
    pub workspace_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A question with its content decoded.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub slug: Option<String>,
    pub content: QuestionContent,
    pub builtin: bool,
    /// The workspace it belongs to; `None` for the starter library (and for a question whose
    /// author's account was gone when workspaces arrived).
    pub workspace_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted: bool,
}

/// Which questions a bank listing shows: the starter library and the questions of the
/// workspaces `member` belongs to (of `workspace` only, when given), filtered further.
#[derive(Debug, Clone, Default)]
pub struct QuestionFilter {
    pub member: Uuid,
    pub workspace: Option<Uuid>,
    pub difficulty: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    /// Case-insensitive text searched in the title and the prompt.
    pub text: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub id: Uuid,
    /// Set for the starter library, which is loaded once by slug.
    pub slug: Option<String>,
    pub content: QuestionContent,
    pub reference_solution: Option<String>,
    pub builtin: bool,
    pub workspace_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CategoryCount {
    pub name: String,
    pub count: i64,
}

/// An interview as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InterviewRecord {
    pub id: Uuid,
    /// Always set (SQLite cannot declare the added column NOT NULL; the store always fills it).
    pub workspace_id: Option<Uuid>,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: InterviewStatus,
    pub room_code: String,
    /// The candidate invite secret. Kept (not hashed) so hosts can copy the link again.
    pub invite_secret: String,
    #[sqlx(try_from = "String")]
    pub language: Language,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub duration_minutes: i32,
    pub candidate_name: Option<String>,
    pub candidate_email: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Interview control: whether the candidate's editor offers completions.
    pub candidate_autocomplete: bool,
    /// Interview control: the question the room shows (null: the first).
    pub active_question_id: Option<Uuid>,
    /// Interview control: the candidate's editor is locked.
    pub editor_locked: bool,
    /// Interview control: running code is paused for the candidate.
    pub runs_disabled: bool,
    /// Interview control: the server ends the interview when its time is up.
    pub auto_end: bool,
}

impl InterviewRecord {
    /// The interview's controls (docs/api.md), as stored.
    pub fn controls(&self) -> crate::domain::InterviewControls {
        crate::domain::InterviewControls {
            candidate_autocomplete: self.candidate_autocomplete,
            active_question_id: self.active_question_id,
            editor_locked: self.editor_locked,
            runs_disabled: self.runs_disabled,
            auto_end: self.auto_end,
        }
    }
}

/// An interview together with the role of the user who listed it, and its questions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InterviewWithRole {
    #[sqlx(flatten)]
    pub interview: InterviewRecord,
    #[sqlx(try_from = "String")]
    pub my_role: Role,
    /// The interview's questions in order (read with the list, not per interview).
    #[sqlx(skip)]
    pub question_ids: Vec<uuid::Uuid>,
}

/// The fields of an interview its interviewers may edit while it is scheduled.
#[derive(Debug, Clone)]
pub struct InterviewPlan {
    pub title: String,
    pub language: Language,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub duration_minutes: i32,
    pub candidate_name: Option<String>,
    pub candidate_email: Option<String>,
    pub question_ids: Vec<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewInterview {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub room_code: String,
    pub invite_secret: String,
    pub plan: InterviewPlan,
    pub host: NewParticipant,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub user_id: Option<Uuid>,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A workspace as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkspaceRecord {
    pub id: Uuid,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub default_language: Language,
    pub default_duration_minutes: i32,
    /// JSON: `[RubricCriterion]`.
    pub default_rubric: String,
    pub runs_per_day: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A workspace with the role of the member who asked for it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberWorkspace {
    #[sqlx(flatten)]
    pub workspace: WorkspaceRecord,
    #[sqlx(try_from = "String")]
    pub my_role: WorkspaceRole,
    pub member_count: i64,
}

/// The settings owners and admins edit.
#[derive(Debug, Clone)]
pub struct WorkspaceSettings {
    pub name: String,
    pub default_language: Language,
    pub default_duration_minutes: i32,
    pub default_rubric: Vec<RubricCriterion>,
    pub runs_per_day: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct NewWorkspace {
    pub id: Uuid,
    pub settings: WorkspaceSettings,
    /// Its first owner.
    pub owner: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A member of a workspace.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRecord {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: WorkspaceRole,
    pub joined_at: DateTime<Utc>,
}

/// An invite to a workspace. Only the hash of its token is stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub workspace_name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: WorkspaceRole,
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewInvite {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
    pub role: WorkspaceRole,
    pub token_hash: String,
    pub invited_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A place in an interview that a member's removal took away (their sockets must close).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct RevokedPlace {
    pub interview_id: Uuid,
    pub participant_id: Uuid,
}
