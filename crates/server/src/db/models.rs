//! Records read from and written to the store. Field names match the columns, so rows map
//! with `sqlx::FromRow` on both backends.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

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
    pub id_hash: String,
    pub user_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A personal API token; the secret itself is shown once at creation and stored hashed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
}

/// Someone's place in one interview: the host, a co-interviewer, an observer or the candidate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub user_id: Option<Uuid>,
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}
