//! The question bank: list with filters, create, view, edit, delete, categories.
//!
//! The bank is shared by every account holder of this CodeView. Anyone signed in may read it
//! and add to it, but hidden test cases go to the question's author only
//! (`auth::question_access`); a question is edited or deleted by its author, and the starter
//! library shipped with CodeView is read-only. Candidates never reach these routes: they see
//! an interview's questions (without hidden test cases) through the interview.

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

use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::views::QuestionView;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::question_access::QuestionViewer;
use crate::db::{CategoryCount, NewQuestion, Question, QuestionContent, QuestionFilter, TestCase, User};
use crate::domain::{Difficulty, FieldCheck, Language, bounded_text};
use crate::error::{AppError, AppResult};
use crate::quotas::Quota;

const MAX_PROMPT_CHARS: usize = 20_000;
const MAX_TAGS: usize = 20;
const MAX_CODE_CHARS: usize = 20_000;
const MAX_TEST_CASES: usize = 100;
const MAX_TEST_TEXT_CHARS: usize = 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questions, create_question))
        .routes(routes!(list_categories))
        .routes(routes!(get_question, update_question, delete_question))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QuestionQuery {
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
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQuestion {
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
        category: short("category", query.category),
        tag: short("tag", query.tag),
        text: short("q", query.q),
        difficulty,
    };
    check.finish()?;
    let questions = state.store.list_questions(&filter).await?;
    let guest_questions = guest_questions(&state, &user).await?;
    let viewer = QuestionViewer::Bank { user_id: user.id, guest_questions: &guest_questions };
    Ok(Json(QuestionList { questions: questions.into_iter().map(|q| QuestionView::new(q, viewer)).collect() }))
}

/// Adds a question to the bank.
#[utoipa::path(post, path = "/api/questions", tag = "questions", request_body = CreateQuestion,
    responses((status = 201, body = QuestionResponse), (status = 401), (status = 403), (status = 422)))]
async fn create_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<CreateQuestion>,
) -> AppResult<(StatusCode, Json<QuestionResponse>)> {
    let content = parse_content(body)?;
    let _quota = state.quotas.lock(user.id).await;
    state.quotas.check(Quota::Questions, state.store.count_own_questions(user.id).await?)?;
    let question = state
        .store
        .create_question(&NewQuestion {
            id: Uuid::now_v7(),
            slug: None,
            content,
            reference_solution: None,
            builtin: false,
            created_by: Some(user.id),
            created_at: Utc::now(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(QuestionResponse { question: bank_view(&state, &user, question).await? })))
}

/// The categories in use, with how many questions each holds.
#[utoipa::path(get, path = "/api/questions/categories", tag = "questions",
    responses((status = 200, body = CategoryList), (status = 401), (status = 403)))]
async fn list_categories(
    State(state): State<AppState>,
    CurrentUser(_user): CurrentUser,
) -> AppResult<Json<CategoryList>> {
    Ok(Json(CategoryList { categories: state.store.question_categories().await? }))
}

/// One question; its hidden test cases for its author only.
#[utoipa::path(get, path = "/api/questions/{id}", tag = "questions",
    responses((status = 200, body = QuestionResponse), (status = 401), (status = 403), (status = 404)))]
async fn get_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<QuestionResponse>> {
    let question = live_question(&state, id).await?;
    Ok(Json(QuestionResponse { question: bank_view(&state, &user, question).await? }))
}

/// Edits a question (its author only; the starter library is read-only).
#[utoipa::path(patch, path = "/api/questions/{id}", tag = "questions", request_body = UpdateQuestion,
    responses((status = 200, body = QuestionResponse), (status = 403), (status = 404), (status = 422)))]
async fn update_question(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<UpdateQuestion>,
) -> AppResult<Json<QuestionResponse>> {
    let question = editable_question(&state, &user, id, "edit this question").await?;
    let current = question.content;
    let merged = CreateQuestion {
        title: patch.title.unwrap_or(current.title),
        prompt: patch.prompt.unwrap_or(current.prompt),
        difficulty: patch.difficulty.unwrap_or(current.difficulty),
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
                })
                .collect(),
        },
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
    editable_question(&state, &user, id, "delete this question").await?;
    state.store.delete_question(id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The questions `user` must not see hidden cases of (see `auth::question_access`).
pub async fn guest_questions(state: &AppState, user: &User) -> AppResult<HashSet<Uuid>> {
    Ok(state.store.questions_seen_as_guest(user.id).await?.into_iter().collect())
}

async fn bank_view(state: &AppState, user: &User, question: Question) -> AppResult<QuestionView> {
    let guest_questions = guest_questions(state, user).await?;
    Ok(QuestionView::new(question, QuestionViewer::Bank { user_id: user.id, guest_questions: &guest_questions }))
}

async fn live_question(state: &AppState, id: Uuid) -> AppResult<Question> {
    state.store.find_question(id).await?.filter(|q| !q.deleted).ok_or(AppError::NotFound("question"))
}

async fn editable_question(state: &AppState, user: &User, id: Uuid, action: &'static str) -> AppResult<Question> {
    let question = live_question(state, id).await?;
    if question.builtin {
        return Err(AppError::ForbiddenWithCode {
            code: "builtin_question",
            message: "Questions of the starter library are read-only; create your own copy to change it.".into(),
        });
    }
    if question.created_by != Some(user.id) {
        return Err(AppError::Forbidden(action));
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
        test_cases.push(TestCase { id, input: case.input, expected_output: case.expected_output, hidden: case.hidden });
    }
    check.finish()?;
    Ok(QuestionContent {
        title: title.expect("checked"),
        prompt: prompt.expect("checked"),
        difficulty: difficulty.expect("checked").as_str().to_owned(),
        category: category.expect("checked"),
        tags,
        starter_code: body.starter_code.into_iter().map(|(lang, code)| (lang.trim().to_owned(), code)).collect(),
        test_cases,
    })
}
