//! Interview events in the store (`interview_events`): what the timeline shows that no other
//! table keeps — joins and leaves, question and control changes, integrity signals. The
//! `EventStore` trait and its one SQL implementation, expanded for each backend by
//! `impl_event_store!`.
//!
//! An event is stored as its `kind` and its `data` (the JSON of `TimelineDetail`'s content),
//! and read back into the same type. Appending counts the interview's events of that kind and
//! (for signals) checks the interview is live in the transaction that inserts, serialised per
//! interview as run queueing is (SQLite `BEGIN IMMEDIATE`, PostgreSQL locks the interview's
//! row), so a cap holds under concurrent requests.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{StoreError, StoreResult};
use crate::timeline::event::TimelineDetail;

/// An event to store, or as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewEvent {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub at: DateTime<Utc>,
    pub participant_id: Option<Uuid>,
    pub detail: TimelineDetail,
}

/// The conditions an event is appended under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendRule {
    /// The interview may hold at most this many events of the event's kind.
    pub max_of_kind: i64,
    /// Only while the interview is live.
    pub while_live: bool,
}

/// What appending did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    Stored,
    /// The interview is not live and the rule asks for it: where it is (`Ended` when gone).
    NotLive(crate::domain::InterviewStatus),
    /// The interview holds `max_of_kind` events of this kind already.
    Full,
}

#[async_trait]
pub trait EventStore {
    /// Appends `event` if `rule` allows it, atomically with the checks.
    async fn append_event(&self, event: &InterviewEvent, rule: AppendRule) -> StoreResult<Appended>;
    /// Every stored event of the interview, oldest first.
    async fn list_events(&self, interview_id: Uuid) -> StoreResult<Vec<InterviewEvent>>;
}

/// A stored row, before its data is read back into a `TimelineDetail`.
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub participant_id: Option<Uuid>,
    pub data: String,
}

/// The `kind` and `data` columns of `detail`.
pub(crate) fn columns(detail: &TimelineDetail) -> StoreResult<(&'static str, String)> {
    let tagged = serde_json::to_value(detail).map_err(anyhow::Error::from)?;
    let data = tagged.get("data").cloned().unwrap_or_else(|| serde_json::json!({}));
    Ok((detail.kind(), data.to_string()))
}

impl TryFrom<EventRow> for InterviewEvent {
    type Error = StoreError;

    fn try_from(row: EventRow) -> StoreResult<InterviewEvent> {
        let data: serde_json::Value = serde_json::from_str(&row.data).map_err(anyhow::Error::from)?;
        let detail = serde_json::from_value(serde_json::json!({"kind": row.kind, "data": data}))
            .map_err(|err| anyhow::anyhow!("stored {} event {}: {err}", row.kind, row.id))?;
        Ok(InterviewEvent {
            id: row.id,
            interview_id: row.interview_id,
            at: row.at,
            participant_id: row.participant_id,
            detail,
        })
    }
}

macro_rules! impl_event_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::EventStore for $store {
            async fn append_event(
                &self,
                event: &$crate::db::InterviewEvent,
                rule: $crate::db::AppendRule,
            ) -> $crate::db::StoreResult<$crate::db::Appended> {
                let (kind, data) = $crate::db::events::columns(&event.detail)?;
                let mut tx = if $backend == "sqlite" {
                    self.pool.begin_with("BEGIN IMMEDIATE").await?
                } else {
                    self.pool.begin().await?
                };
                let lock = if $backend == "postgres" {
                    "SELECT status FROM interviews WHERE id = $1 FOR UPDATE"
                } else {
                    "SELECT status FROM interviews WHERE id = $1"
                };
                let status: Option<String> =
                    sqlx::query_scalar(lock).bind(event.interview_id).fetch_optional(&mut *tx).await?;
                let Some(status) = status else {
                    return Ok($crate::db::Appended::NotLive($crate::domain::InterviewStatus::Ended));
                };
                let status = $crate::domain::InterviewStatus::parse(&status)
                    .map_err(|why| anyhow::anyhow!("stored interview status {why}"))?;
                if rule.while_live && status != $crate::domain::InterviewStatus::Live {
                    return Ok($crate::db::Appended::NotLive(status));
                }
                let held: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM interview_events WHERE interview_id = $1 AND kind = $2")
                        .bind(event.interview_id)
                        .bind(kind)
                        .fetch_one(&mut *tx)
                        .await?;
                if held >= rule.max_of_kind {
                    return Ok($crate::db::Appended::Full);
                }
                sqlx::query(
                    "INSERT INTO interview_events (id, interview_id, at, kind, participant_id, data) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.id)
                .bind(event.interview_id)
                .bind(event.at)
                .bind(kind)
                .bind(event.participant_id)
                .bind(&data)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok($crate::db::Appended::Stored)
            }

            async fn list_events(
                &self,
                interview_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::InterviewEvent>> {
                let rows: Vec<$crate::db::events::EventRow> = sqlx::query_as(
                    "SELECT id, interview_id, at, kind, participant_id, data FROM interview_events \
                     WHERE interview_id = $1 ORDER BY at, id",
                )
                .bind(interview_id)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::db::InterviewEvent::try_from).collect()
            }
        }
    };
}

pub(crate) use impl_event_store;
