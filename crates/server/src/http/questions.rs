//! The question bank: list with filters, create, duplicate, view, edit, delete, categories.
//!
//! Each workspace has its own bank: its questions plus the starter library shipped with
//! CodeView (read-only, shared by all). Members of a workspace read, add, edit and delete its
//! questions; to anyone else they do not exist (404). Hidden test cases go to members only
//! (`auth::question_access`). Candidates never reach these routes: they see an interview's
//! questions (without hidden test cases) through the interview.

use std::collections::{BTreeMap, HashSet};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::views::QuestionView;
use crate::auth::question_access::{QuestionViewer, sees_hidden_cases};
use crate::auth::workspace_access::member_workspace_ids;
use crate::auth::{target_workspace, workspace_access};
use crate::db::{CategoryCount, NewQuestion, Question, QuestionContent, QuestionFilter, TestCase, User};
use crate::domain::{Difficulty, FieldCheck, Language, bounded_text};
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::quotas::Quota;
use crate::state::AppState;

const MAX_PROMPT_CHARS: usize = 20_000;
const MAX_TAGS: usize = 20;
const MAX_CODE_CHARS: usize = 20_000;
const MAX_TEST_CASES: usize = 100;
const MAX_TEST_TEXT_CHARS: usize = 64 * 1024;
/// A SQL question's schema (DDL and shared sample rows).
const MAX_SQL_SCHEMA_CHARS: usize = 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questions, create_question))
        .routes(routes!(list_categories))
        .routes(routes!(get_question, update_question, delete_question))
        .routes(routes!(duplicate_question))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QuestionQuery {
    /// Only this workspace's questions (and the starter library); default: all the caller's.
    workspace: Option<Uuid>,
    difficulty: Option<String>,
    category: Option<String>,
    tag: Option<String>,
    /// Text searched in titles and prompts.
    q: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCaseInput {
    /// Keep a case's id when editing; new cases get one.
    id: Option<Uuid>,
    input: String,
    expected_output: String,
    #[serde(default)]
    hidden: bool,
    /// SQL answers: whether the result's rows must come in the expected order (default true);
    /// `false` compares them as a multiset.
    #[serde(default)]
    ordered: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQuestion {
    /// Required when the caller belongs to more than one workspace.
    #[serde(default)]
    workspace_id: Option<Uuid>,
    title: String,
    prompt: String,
    difficulty: String,
    category: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starter_code: BTreeMap<String, String>,
    #[serde(default)]
    test_cases: Vec<TestCaseInput>,
    /// The SQL schema (DDL, maybe shared sample rows) that sets up the database of every SQL
    /// run of this question, before each test case's input (its seed data). Candidates see it.
    #[serde(default)]
    sql_schema: Option<String>,
}

/// Any subset of the fields of `CreateQuestion`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateQuestion {
    title: Option<String>,
    prompt: Option<String>,
    difficulty: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    starter_code: Option<BTreeMap<String, String>>,
    test_cases: Option<Vec<TestCaseInput>>,
    /// An empty (or blank) schema removes it.
    sql_schema: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateQuestion {
    /// Where the copy goes; required when the caller belongs to more than one workspace.
    workspace_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CategoryQuery {
    /// Only this workspace's questions (and the starter library); default: all the caller's.
    workspace: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResponse {
    question: QuestionView,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionList {
    questions: Vec<QuestionView>,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    categories: Vec<CategoryCount>,
}

/// Lists the bank, filtered by difficulty, category, tag and text.
#[utoipa::path(get, path = "/api/questions", tag = "questions", params(QuestionQuery),
    responses((status = 200, body = QuestionList), (status = 401), (status = 403), (status = 422)))]
async fn list_questions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<QuestionQuery>,
) -> AppResult<Json<QuestionList>> {
    let mut check = FieldCheck::default();
    let blank_to_none = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let difficulty = blank_to_none(query.difficulty)
        .and_then(|d| check.take("difficulty", Difficulty::parse(&d)))
        .map(|d| d.as_str().to_owned());
    let mut short = |field: &str, value: Option<String>| {
        blank_to_none(value).and_then(|v| check.take(field, bounded_text(&v, 1, 200, false)))
    };
    let filter = QuestionFilter {
        member: user.id,
        workspace: query.workspace,
        category: short("category", query.category),
        tag: short("tag", query.tag),
        text: short("q", query.q),
        difficulty,
    };
    check.finish()?;
    if let Some(id) = filter.workspace {
        workspace_access(&state, &user, id).await?;
    }
    let questions = state.store.list_questions(&filter).await?;
    let bank = BankReader::of(&state, &user).await?;
    Ok(Json(QuestionList { questions: questions.into_iter().map(|q| QuestionView::new(q, bank.viewer())).collect() }))
}

/// Adds a question to a workspace's bank.
#[utoipa::path(post, path = "/api/questions", tag = "questions", request_body = CreateQuestion,
    responses((status = 201, body = QuestionResponse), (status = 401), (status = 403), (status = 404), (status = 422)))]
async fn create_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<CreateQuestion>,
) -> AppResult<(StatusCode, Json<QuestionResponse>)> {
    let workspace = target_workspace(&state, &user, body.workspace_id).await?;
    let content = parse_content(body)?;
    let question = add_question(&state, &user, workspace.id(), content).await?;
    Ok((StatusCode::CREATED, Json(QuestionResponse { question: bank_view(&state, &user, question).await? })))
}

/// Copies a question into a workspace: the way to keep a starter question's hidden tests
/// private (the starter library is open source), or to start from a colleague's question.
/// Hidden cases are copied when the caller may see them, or when they are the starter
/// library's (public anyway); otherwise only the visible ones.
#[utoipa::path(post, path = "/api/questions/{id}/duplicate", tag = "questions", request_body = DuplicateQuestion,
    responses((status = 201, body = QuestionResponse), (status = 401), (status = 404), (status = 422), (status = 429)))]
async fn duplicate_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<DuplicateQuestion>,
) -> AppResult<(StatusCode, Json<QuestionResponse>)> {
    let original = visible_question(&state, &user, id).await?;
    let workspace = target_workspace(&state, &user, body.workspace_id).await?;
    let bank = BankReader::of(&state, &user).await?;
    let with_hidden = original.builtin || sees_hidden_cases(&original, bank.viewer());
    let mut content = original.content;
    content.test_cases.retain(|case| with_hidden || !case.hidden);
    let question = add_question(&state, &user, workspace.id(), content).await?;
    Ok((StatusCode::CREATED, Json(QuestionResponse { question: bank_view(&state, &user, question).await? })))
}

async fn add_question(
    state: &AppState,
    user: &User,
    workspace_id: Uuid,
    content: QuestionContent,
) -> AppResult<Question> {
    let _quota = state.quotas.lock(user.id).await;
    state.quotas.check(Quota::Questions, state.store.count_own_questions(user.id).await?)?;
    Ok(state
        .store
        .create_question(&NewQuestion {
            id: Uuid::now_v7(),
            slug: None,
            content,
            reference_solution: None,
            builtin: false,
            workspace_id: Some(workspace_id),
            created_by: Some(user.id),
            created_at: Utc::now(),
        })
        .await?)
}

/// The categories in use, with how many questions each holds.
#[utoipa::path(get, path = "/api/questions/categories", tag = "questions", params(CategoryQuery),
    responses((status = 200, body = CategoryList), (status = 401), (status = 403), (status = 404)))]
async fn list_categories(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<CategoryQuery>,
) -> AppResult<Json<CategoryList>> {
    if let Some(id) = query.workspace {
        workspace_access(&state, &user, id).await?;
    }
    let filter = QuestionFilter { member: user.id, workspace: query.workspace, ..QuestionFilter::default() };
    Ok(Json(CategoryList { categories: state.store.question_categories(&filter).await? }))
}

/// One question; its hidden test cases for members of its workspace only.
#[utoipa::path(get, path = "/api/questions/{id}", tag = "questions",
    responses((status = 200, body = QuestionResponse), (status = 401), (status = 403), (status = 404)))]
async fn get_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<QuestionResponse>> {
    let question = visible_question(&state, &user, id).await?;
    Ok(Json(QuestionResponse { question: bank_view(&state, &user, question).await? }))
}

/// Edits a question (members of its workspace; the starter library is read-only).
#[utoipa::path(patch, path = "/api/questions/{id}", tag = "questions", request_body = UpdateQuestion,
    responses((status = 200, body = QuestionResponse), (status = 403), (status = 404), (status = 422)))]
async fn update_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<UpdateQuestion>,
) -> AppResult<Json<QuestionResponse>> {
    let question = editable_question(&state, &user, id).await?;
    let current = question.content;
    let merged = CreateQuestion {
        workspace_id: None,
        title: patch.title.unwrap_or(current.title),
        prompt: patch.prompt.unwrap_or(current.prompt),
        difficulty: patch.difficulty.unwrap_or_else(|| current.difficulty.as_str().to_owned()),
        category: patch.category.unwrap_or(current.category),
        tags: patch.tags.unwrap_or(current.tags),
        starter_code: patch.starter_code.unwrap_or(current.starter_code),
        test_cases: match patch.test_cases {
            Some(cases) => cases,
            None => current
                .test_cases
                .into_iter()
                .map(|c| TestCaseInput {
                    id: Some(c.id),
                    input: c.input,
                    expected_output: c.expected_output,
                    hidden: c.hidden,
                    ordered: Some(c.ordered),
                })
                .collect(),
        },
        sql_schema: patch.sql_schema.or(current.sql_schema),
    };
    let content = parse_content(merged)?;
    let question = state.store.update_question(id, &content, Utc::now()).await?;
    Ok(Json(QuestionResponse { question: bank_view(&state, &user, question).await? }))
}

/// Deletes a question from the bank. Interviews that used it keep showing it.
#[utoipa::path(delete, path = "/api/questions/{id}", tag = "questions",
    responses((status = 204), (status = 403), (status = 404)))]
async fn delete_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<StatusCode> {
    editable_question(&state, &user, id).await?;
    state.store.delete_question(id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an account reads the bank with: its workspaces and the questions it is a guest of
/// (see `auth::question_access`).
pub struct BankReader {
    workspaces: HashSet<Uuid>,
    guest_questions: HashSet<Uuid>,
}

impl BankReader {
    pub async fn of(state: &AppState, user: &User) -> AppResult<BankReader> {
        Ok(BankReader {
            workspaces: member_workspace_ids(state, user).await?,
            guest_questions: state.store.questions_seen_as_guest(user.id).await?.into_iter().collect(),
        })
    }

    pub fn viewer(&self) -> QuestionViewer<'_> {
        QuestionViewer::Bank { workspaces: &self.workspaces, guest_questions: &self.guest_questions }
    }
}

async fn bank_view(state: &AppState, user: &User, question: Question) -> AppResult<QuestionView> {
    Ok(QuestionView::new(question, BankReader::of(state, user).await?.viewer()))
}

/// A live question of the starter library or of one of `user`'s workspaces; 404 otherwise.
async fn visible_question(state: &AppState, user: &User, id: Uuid) -> AppResult<Question> {
    let question = state.store.find_question(id).await?.filter(|q| !q.deleted).ok_or(AppError::NotFound("question"))?;
    if !question.builtin {
        let workspace = question.workspace_id.ok_or(AppError::NotFound("question"))?;
        // Not a member: the question does not exist for them (a store failure stays a 500).
        workspace_access(state, user, workspace).await.map_err(|err| match err {
            AppError::NotFound(_) => AppError::NotFound("question"),
            other => other,
        })?;
    }
    Ok(question)
}

/// A question `user` may edit or delete: one of their workspaces' (not the starter library).
async fn editable_question(state: &AppState, user: &User, id: Uuid) -> AppResult<Question> {
    let question = visible_question(state, user, id).await?;
    if question.builtin {
        return Err(AppError::ForbiddenWithCode {
            code: "builtin_question",
            message: "Questions of the starter library are read-only; duplicate it into your workspace to change it."
                .into(),
        });
    }
    Ok(question)
}

/// Checks every field of a question, naming each bad one.
fn parse_content(body: CreateQuestion) -> AppResult<QuestionContent> {
    let mut check = FieldCheck::default();
    let title = check.take("title", bounded_text(&body.title, 1, 200, false));
    let prompt = check.take("prompt", bounded_text(&body.prompt, 1, MAX_PROMPT_CHARS, true));
    let difficulty = check.take("difficulty", Difficulty::parse(&body.difficulty));
    let category = check.take("category", bounded_text(&body.category, 1, 50, false));
    if body.tags.len() > MAX_TAGS {
        check.fail("tags", format!("at most {MAX_TAGS} tags"));
    }
    let mut tags: Vec<String> = Vec::new();
    for (i, tag) in body.tags.iter().enumerate() {
        if let Some(tag) = check.take(&format!("tags[{i}]"), bounded_text(tag, 1, 40, false))
            && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag))
        {
            tags.push(tag);
        }
    }
    for (language, code) in &body.starter_code {
        let field = format!("starter_code.{language}");
        check.take(&field, Language::parse(language).map(drop));
        if code.chars().count() > MAX_CODE_CHARS {
            check.fail(&field, format!("must be at most {MAX_CODE_CHARS} characters"));
        }
    }
    if body.test_cases.len() > MAX_TEST_CASES {
        check.fail("test_cases", format!("at most {MAX_TEST_CASES} test cases"));
    }
    let mut test_cases = Vec::with_capacity(body.test_cases.len());
    for (i, case) in body.test_cases.into_iter().enumerate() {
        for (name, text) in [("input", &case.input), ("expected_output", &case.expected_output)] {
            if text.chars().count() > MAX_TEST_TEXT_CHARS {
                check.fail(
                    &format!("test_cases[{i}].{name}"),
                    format!("must be at most {MAX_TEST_TEXT_CHARS} characters"),
                );
            } else if text.contains('\0') {
                check.fail(&format!("test_cases[{i}].{name}"), "must not contain NUL characters");
            }
        }
        let id = case.id.filter(|id| !test_cases.iter().any(|c: &TestCase| c.id == *id)).unwrap_or_else(Uuid::now_v7);
        test_cases.push(TestCase {
            id,
            input: case.input,
            expected_output: case.expected_output,
            hidden: case.hidden,
            ordered: case.ordered.unwrap_or(true),
        });
    }
    let sql_schema = body.sql_schema.filter(|schema| !schema.trim().is_empty());
    if let Some(schema) = &sql_schema {
        if schema.chars().count() > MAX_SQL_SCHEMA_CHARS {
            check.fail("sql_schema", format!("must be at most {MAX_SQL_SCHEMA_CHARS} characters"));
        } else if schema.contains('\0') {
            check.fail("sql_schema", "must not contain NUL characters");
        }
    }
    check.finish()?;
    Ok(QuestionContent {
        title: title.expect("checked"),
        prompt: prompt.expect("checked"),
        difficulty: difficulty.expect("checked"),
        category: category.expect("checked"),
        tags,
        starter_code: body.starter_code.into_iter().map(|(lang, code)| (lang.trim().to_owned(), code)).collect(),
        test_cases,
        sql_schema,
    })
}
