//! The question bank in the store: the `QuestionStore` trait and its one SQL implementation,
//! expanded for each backend by `impl_question_store!`. Deleting a question only marks it
//! deleted, so interviews that used it can still show it. The bank lists the starter library
//! and the questions of the caller's workspaces.

use anyhow::Context;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CategoryCount, NewQuestion, Question, QuestionContent, QuestionFilter, QuestionRow, StoreResult};

#[async_trait]
pub trait QuestionStore {
    async fn create_question(&self, new: &NewQuestion) -> StoreResult<Question>;
    /// Inserts a question; one whose slug already exists (even deleted) is skipped → `false`.
    /// That is how the starter library loads once and stays deleted when deleted.
    async fn insert_question(&self, new: &NewQuestion) -> StoreResult<bool>;
    async fn update_question(&self, id: Uuid, content: &QuestionContent, at: DateTime<Utc>) -> StoreResult<Question>;
    /// A question by id, deleted ones included (interviews keep showing them).
    async fn find_question(&self, id: Uuid) -> StoreResult<Option<Question>>;
    /// The live questions matching `filter`, by title.
    async fn list_questions(&self, filter: &QuestionFilter) -> StoreResult<Vec<Question>>;
    async fn delete_question(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// The categories of the questions `filter` lists (only its `member` and `workspace` apply).
    async fn question_categories(&self, filter: &QuestionFilter) -> StoreResult<Vec<CategoryCount>>;
    /// Every question of a workspace, deleted ones included (the export).
    async fn workspace_questions(&self, workspace_id: Uuid) -> StoreResult<Vec<Question>>;
}

pub(super) fn encode_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    Ok(serde_json::to_string(value).context("encoding a JSON column")?)
}

impl QuestionRow {
    pub(super) fn decode(self) -> StoreResult<Question> {
        let context = || format!("decoding question {}", self.id);
        Ok(Question {
            id: self.id,
            content: QuestionContent {
                tags: serde_json::from_str(&self.tags).with_context(context)?,
                starter_code: serde_json::from_str(&self.starter_code).with_context(context)?,
                test_cases: serde_json::from_str(&self.test_cases).with_context(context)?,
                sql_schema: self.sql_schema,
                title: self.title,
                prompt: self.prompt,
                difficulty: self.difficulty,
                category: self.category,
            },
            slug: self.slug,
            builtin: self.builtin,
            workspace_id: self.workspace_id,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted: self.deleted_at.is_some(),
        })
    }
}

/// A `LIKE` pattern matching `text` anywhere, with the wildcards in `text` escaped.
pub(super) fn contains_pattern(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

pub(super) const QUESTION_COLUMNS: &str = "id, slug, title, prompt, difficulty, category, tags, starter_code, \
     test_cases, sql_schema, builtin, workspace_id, created_by, created_at, updated_at, deleted_at";

/// The bank's scope: the starter library and the workspaces of member `$1`, or of workspace
/// `$2` only when it is given.
pub(super) const BANK_SCOPE: &str = "deleted_at IS NULL \
     AND (builtin OR workspace_id IN (SELECT workspace_id FROM workspace_members WHERE user_id = $1)) \
     AND (CAST($2 AS UUID) IS NULL OR builtin OR workspace_id = $2)";

macro_rules! impl_question_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::QuestionStore for $store {
            async fn create_question(&self, new: &$crate::db::NewQuestion) -> $crate::db::StoreResult<$crate::db::Question> {
                self.insert_question(new).await?;
                self.find_question(new.id).await?.ok_or($crate::db::StoreError::NotFound("question"))
            }

            async fn insert_question(&self, new: &$crate::db::NewQuestion) -> $crate::db::StoreResult<bool> {
                use $crate::db::questions::encode_json;
                let c = &new.content;
                let done = sqlx::query(
                    "INSERT INTO questions (id, slug, title, prompt, difficulty, category, tags, starter_code, \
                     test_cases, reference_solution, builtin, workspace_id, created_by, created_at, updated_at, \
                     sql_schema) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) \
                     ON CONFLICT (slug) DO NOTHING",
                )
                .bind(new.id)
                .bind(&new.slug)
                .bind(&c.title)
                .bind(&c.prompt)
                .bind(c.difficulty.as_str())
                .bind(&c.category)
                .bind(encode_json(&c.tags)?)
                .bind(encode_json(&c.starter_code)?)
                .bind(encode_json(&c.test_cases)?)
                .bind(&new.reference_solution)
                .bind(new.builtin)
                .bind(new.workspace_id)
                .bind(new.created_by)
                .bind(new.created_at)
                .bind(&c.sql_schema)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn update_question(
                &self,
                id: uuid::Uuid,
                c: &$crate::db::QuestionContent,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<$crate::db::Question> {
                use $crate::db::questions::encode_json;
                let done = sqlx::query(
                    "UPDATE questions SET title = $1, prompt = $2, difficulty = $3, category = $4, tags = $5, \
                     starter_code = $6, test_cases = $7, updated_at = $8, sql_schema = $10 \
                     WHERE id = $9 AND deleted_at IS NULL",
                )
                .bind(&c.title)
                .bind(&c.prompt)
                .bind(c.difficulty.as_str())
                .bind(&c.category)
                .bind(encode_json(&c.tags)?)
                .bind(encode_json(&c.starter_code)?)
                .bind(encode_json(&c.test_cases)?)
                .bind(at)
                .bind(id)
                .bind(&c.sql_schema)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("question"));
                }
                self.find_question(id).await?.ok_or($crate::db::StoreError::NotFound("question"))
            }

            async fn find_question(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Option<$crate::db::Question>> {
                let sql = format!("SELECT {} FROM questions WHERE id = $1", $crate::db::questions::QUESTION_COLUMNS);
                let row: Option<$crate::db::QuestionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.map($crate::db::QuestionRow::decode).transpose()
            }

            async fn list_questions(
                &self,
                filter: &$crate::db::QuestionFilter,
            ) -> $crate::db::StoreResult<Vec<$crate::db::Question>> {
                let sql = format!(
                    "SELECT {} FROM questions WHERE {} \
                     AND (CAST($3 AS TEXT) IS NULL OR difficulty = $3) \
                     AND (CAST($4 AS TEXT) IS NULL OR lower(category) = lower($4)) \
                     AND (CAST($5 AS TEXT) IS NULL OR lower(title) LIKE $5 ESCAPE '\\' OR lower(prompt) LIKE $5 ESCAPE '\\') \
                     ORDER BY lower(title), id",
                    $crate::db::questions::QUESTION_COLUMNS,
                    $crate::db::questions::BANK_SCOPE,
                );
                let rows: Vec<$crate::db::QuestionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(filter.member)
                    .bind(filter.workspace)
                    .bind(&filter.difficulty)
                    .bind(&filter.category)
                    .bind(filter.text.as_deref().map($crate::db::questions::contains_pattern))
                    .fetch_all(&self.pool)
                    .await?;
                let tag = filter.tag.as_deref().map(str::to_lowercase);
                let mut questions = Vec::with_capacity(rows.len());
                for row in rows {
                    let question = row.decode()?;
                    if tag.as_ref().is_none_or(|tag| question.content.tags.iter().any(|t| t.to_lowercase() == *tag)) {
                        questions.push(question);
                    }
                }
                Ok(questions)
            }

            async fn delete_question(
                &self,
                id: uuid::Uuid,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                let done = sqlx::query("UPDATE questions SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("question"));
                }
                Ok(())
            }

            async fn question_categories(
                &self,
                filter: &$crate::db::QuestionFilter,
            ) -> $crate::db::StoreResult<Vec<$crate::db::CategoryCount>> {
                let sql = format!(
                    "SELECT category AS name, COUNT(*) AS count FROM questions WHERE {} \
                     GROUP BY category ORDER BY category",
                    $crate::db::questions::BANK_SCOPE
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(filter.member)
                    .bind(filter.workspace)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn workspace_questions(
                &self,
                workspace_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::Question>> {
                let sql = format!(
                    "SELECT {} FROM questions WHERE workspace_id = $1 ORDER BY created_at, id",
                    $crate::db::questions::QUESTION_COLUMNS
                );
                let rows: Vec<$crate::db::QuestionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(workspace_id).fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::db::QuestionRow::decode).collect()
            }
        }
    };
}

pub(crate) use impl_question_store;
