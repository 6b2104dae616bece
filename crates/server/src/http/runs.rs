//! Runs: queue a run or a test of the candidate's code (202), read one (with long-poll), the
//! interview's run history (summaries, paged), and the languages this server can run.
//!
//! Who may run: host and co-interviewers always, the candidate while the interview is live,
//! observers never. Budgets (`runs::budget`) answer 429. Who sees which run, and how much of
//! it, is `domain::policy`'s.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use codeview_runner::LanguageInfo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{InterviewAccess, interview_access};
use crate::db::{CancelOutcome, NewRun, RunRecord};
use crate::domain::policy::{is_interviewers_only, may_cancel_run, may_run_code, may_see_run};
use crate::domain::{Language, RunMode, RunStatus};
use crate::error::{AppError, AppResult};
use crate::extract::Caller;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::quotas::Quota;
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION, RoomEvent};
use crate::realtime::types::DocKey;
use crate::runs::budget::run_budget;
use crate::runs::results::CaseSpec;
use crate::runs::views::{RunSummary, RunView};
use crate::runs::worker::cancelled_result;
use crate::state::AppState;

pub(crate) const MAX_CODE_BYTES: usize = 64 * 1024;
const MAX_STDIN_BYTES: usize = 256 * 1024;
const MAX_WAIT_SECONDS: u64 = 30;
/// Runs per history page: by default, and at most.
const HISTORY_PAGE_DEFAULT: usize = 20;
const HISTORY_PAGE_MAX: usize = 50;
/// How long a cancel waits for a local worker to store the end of the run.
const CANCEL_WAIT: Duration = Duration::from_secs(2);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_run, list_runs))
        .routes(routes!(get_run))
        .routes(routes!(cancel_run))
        .routes(routes!(list_languages))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRun {
    language: String,
    /// Defaults to the shared document's code of the question run (for `test`) or of the
    /// room's active question (for `run`).
    code: Option<String>,
    stdin: Option<String>,
    /// `run` (with stdin) or `test` (against the question's test cases).
    mode: String,
    /// For `test`: which of the interview's questions; defaults to the room's active question
    /// (the first unless the interviewers switched).
    question_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WaitQuery {
    /// Wait up to this many seconds (max 30) for the run to finish.
    wait: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct QueuedRun {
    run: QueuedRunView,
}

#[derive(Serialize, ToSchema)]
pub struct QueuedRunView {
    id: Uuid,
    status: RunStatus,
}

#[derive(Serialize, ToSchema)]
pub struct RunResponse {
    run: RunView,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Runs per page (1–50, default 20).
    limit: Option<usize>,
    /// Only runs older than this run (the `next` link of the previous page sets it).
    before: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct RunList {
    runs: Vec<RunSummary>,
    /// The path of the next (older) page, or null on the last page.
    next: Option<String>,
}

/// Queues a run of the code (or a test against the question's cases).
#[utoipa::path(post, path = "/api/interviews/{id}/runs", tag = "runs", request_body = CreateRun,
    responses((status = 202, body = QueuedRun), (status = 403), (status = 404), (status = 422), (status = 429)))]
async fn create_run(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateRun>,
) -> AppResult<(StatusCode, Json<QueuedRun>)> {
    let access = interview_access(&state, &caller, id).await?;
    may_run_code(access.role(), access.status(), access.interview.controls().runs_disabled)?;
    let language = Language::parse(&body.language).map_err(|why| AppError::field("language", why))?;
    let available = state.runs.languages().await.into_iter().find(|l| l.id == language.as_str());
    if let Some(info) = available.filter(|l| !l.available) {
        let reason = info.reason.unwrap_or_else(|| "not installed on this server".into());
        return Err(AppError::field("language", format!("{} is unavailable: {reason}", info.name)));
    }
    let mode = RunMode::parse(&body.mode).map_err(|why| AppError::field("mode", why))?;
    let test_mode = mode == RunMode::Test;
    let question_ids = state.store.interview_question_ids(id).await?;
    let active = access.interview.controls().active_question(&question_ids);
    let shown = if test_mode { body.question_id.or(active) } else { active };
    // The room sends the code on screen: an interviewer's run of exactly the shared code is the
    // room's run, which everyone sees; other code of theirs is their own (interviewers only).
    let (code, own_code) = match body.code {
        None => (shared_code(&state, id, &question_ids, shown).await?, false),
        Some(code) if access.role().is_interviewer() => {
            let own = code != shared_code(&state, id, &question_ids, shown).await?;
            (code, own)
        }
        Some(code) => (code, true),
    };
    if code.len() > MAX_CODE_BYTES {
        return Err(AppError::field("code", format!("must be at most {} KiB", MAX_CODE_BYTES / 1024)));
    }
    if code.trim().is_empty() {
        return Err(AppError::field("code", "there is no code to run"));
    }
    let stdin = body.stdin.unwrap_or_default();
    if stdin.len() > MAX_STDIN_BYTES {
        return Err(AppError::field("stdin", format!("must be at most {} KiB", MAX_STDIN_BYTES / 1024)));
    }
    let (question_id, cases) = if test_mode {
        test_cases(&state, &question_ids, body.question_id.or(active)).await?
    } else {
        (None, Vec::new())
    };
    // A SQL run sets up the schema of the question it runs against: the tested one, or in
    // run mode the room's active question (the stdin is then the seed data).
    let setup_sql = match (language, question_id.or(active)) {
        (Language::Sql, Some(question)) => {
            state.store.find_question(question).await?.and_then(|q| q.content.sql_schema)
        }
        _ => None,
    };
    let interviewers_only = is_interviewers_only(access.role(), own_code);
    // Every run counts against the interview's host, whoever asks for it.
    let host = access.interview.created_by;
    let _quota = state.quotas.lock(host).await;
    let day_ago = Utc::now() - chrono::Duration::days(1);
    state.quotas.check(Quota::RunsPerDay, state.store.count_hosted_runs_since(host, day_ago).await?)?;
    // The workspace's own limit, if its settings set one (checked under the host's lock: hosts
    // of one workspace running at the same instant may pass it by one each).
    if let Some(workspace) = access.interview.workspace_id
        && let Some(limit) = state.store.find_workspace(workspace).await?.and_then(|w| w.runs_per_day)
    {
        let held = state.store.count_workspace_runs_since(workspace, day_ago).await?;
        state.quotas.check_workspace_runs(limit, held)?;
    }
    let run = NewRun {
        id: Uuid::now_v7(),
        interview_id: id,
        participant_id: access.participant.id,
        requested_by: access.participant.name.clone(),
        language,
        mode,
        code,
        stdin,
        question_id,
        interviewers_only,
        cases: serde_json::to_string(&cases).map_err(anyhow::Error::from)?,
        setup_sql,
        created_at: Utc::now(),
    };
    let audience = Audience::of_run(interviewers_only);
    let announced = AtomicBool::new(false);
    // Announced once accepted but before it can be claimed: a worker that claims it at once
    // must not have its `run_started` overtake this.
    let announce = || {
        announced.store(true, Ordering::Relaxed);
        state.runs.events.publish(
            id,
            audience,
            &RoomEvent::RunQueued {
                v: PROTOCOL_VERSION,
                run_id: run.id,
                language: run.language,
                mode: run.mode,
                participant_id: run.participant_id,
                requested_by: run.requested_by.clone(),
            },
        );
    };
    match state.store.enqueue_run(&run, &run_budget(run.created_at), &announce).await {
        Ok(Ok(())) => {}
        Ok(Err(exceeded)) => return Err(exceeded.into()),
        Err(err) => {
            if announced.load(Ordering::Relaxed) {
                // Nobody is left waiting on a run that was announced but never stored.
                let finished = RoomEvent::RunFinished {
                    v: PROTOCOL_VERSION,
                    run_id: run.id,
                    status: RunStatus::InternalError,
                    verdict: None,
                };
                state.runs.events.publish(id, audience, &finished);
            }
            return Err(err.into());
        }
    }
    state.runs.notify_queued();
    Ok((StatusCode::ACCEPTED, Json(QueuedRun { run: QueuedRunView { id: run.id, status: RunStatus::Queued } })))
}

/// The shared document's code of `question` among the interview's `question_ids` (the first
/// question's, or the only code of an interview without questions, for `None` or a question
/// that is not the interview's: the run is refused later in that case).
pub(crate) async fn shared_code(
    state: &AppState,
    interview_id: Uuid,
    question_ids: &[Uuid],
    question: Option<Uuid>,
) -> AppResult<String> {
    let id = question.filter(|q| question_ids.contains(q)).map(|q| q.to_string());
    let name = codeview_collab::code_text_name(id.as_deref(), question_ids.first() == question.as_ref());
    let key = DocKey { interview_id, kind: codeview_collab::DocKind::Code };
    Ok(state.live_docs.read_texts(key, vec![name]).await?.pop().unwrap_or_default())
}

/// The test cases of the chosen question of the interview (else its first).
async fn test_cases(
    state: &AppState,
    question_ids: &[Uuid],
    wanted: Option<Uuid>,
) -> AppResult<(Option<Uuid>, Vec<CaseSpec>)> {
    let question_id = match wanted {
        Some(id) if question_ids.contains(&id) => id,
        Some(_) => return Err(AppError::field("question_id", "is not a question of this interview")),
        None => *question_ids
            .first()
            .ok_or_else(|| AppError::field("mode", "this interview has no question to test against"))?,
    };
    let question = state.store.find_question(question_id).await?.ok_or(AppError::NotFound("question"))?;
    if question.content.test_cases.is_empty() {
        return Err(AppError::field("mode", "this question has no test cases"));
    }
    let cases = question
        .content
        .test_cases
        .into_iter()
        .map(|c| CaseSpec {
            test_case_id: Some(c.id),
            input: c.input,
            expected_output: c.expected_output,
            hidden: c.hidden,
            ordered: c.ordered,
        })
        .collect();
    Ok((Some(question_id), cases))
}

/// The run and the caller's access to its interview; a run of an interview the caller is not
/// part of, or one they may not see (an interviewer's own), does not exist for them (404).
async fn run_and_access(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(RunRecord, InterviewAccess)> {
    let record = state.store.find_run(id).await?.ok_or(AppError::NotFound("run"))?;
    let access = interview_access(state, caller, record.interview_id).await.map_err(|err| match err {
        AppError::NotFound(_) => AppError::NotFound("run"),
        other => other,
    })?;
    if !may_see_run(access.role(), record.interviewers_only) {
        return Err(AppError::NotFound("run"));
    }
    Ok((record, access))
}

/// One run; with `?wait=N`, waits up to N seconds for it to finish.
#[utoipa::path(get, path = "/api/runs/{id}", tag = "runs", params(WaitQuery),
    responses((status = 200, body = RunResponse), (status = 401), (status = 404)))]
async fn get_run(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<WaitQuery>,
) -> AppResult<Json<RunResponse>> {
    let (record, access) = run_and_access(&state, &caller, id).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(query.wait.unwrap_or(0).min(MAX_WAIT_SECONDS));
    let mut finished = state.runs.subscribe_finished();
    let mut view = RunView::new(record, access.role());
    while !view.is_finished() && tokio::time::Instant::now() < deadline {
        // Wake on any finished run (or a short tick, for runs finished by another process).
        let _ = tokio::time::timeout_at(
            deadline.min(tokio::time::Instant::now() + Duration::from_millis(500)),
            finished.recv(),
        )
        .await;
        let record = state.store.find_run(id).await?.ok_or(AppError::NotFound("run"))?;
        view = RunView::new(record, access.role());
    }
    Ok(Json(RunResponse { run: view }))
}

/// Cancels a run: a queued one at once, a running one as soon as its worker hears (at once in
/// this process, within a heartbeat from another). Interviewers may cancel any run of the
/// interview, a candidate their own while the interview is live, observers none.
#[utoipa::path(post, path = "/api/runs/{id}/cancel", tag = "runs",
    responses((status = 200, body = RunResponse), (status = 403), (status = 404), (status = 409)))]
async fn cancel_run(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<RunResponse>> {
    let (record, access) = run_and_access(&state, &caller, id).await?;
    may_cancel_run(access.role(), access.status(), record.participant_id == access.participant.id)?;
    let by = access.participant.name.as_str();
    let result = serde_json::to_string(&cancelled_result(by)).map_err(anyhow::Error::from)?;
    let mut finished = state.runs.subscribe_finished();
    match state.store.cancel_run(id, by, &result, Utc::now()).await? {
        CancelOutcome::Cancelled => {
            let event =
                RoomEvent::RunFinished { v: PROTOCOL_VERSION, run_id: id, status: RunStatus::Cancelled, verdict: None };
            state.runs.events.publish(record.interview_id, Audience::of_run(record.interviewers_only), &event);
            state.runs.announce_finished(id);
            crate::runs::run_metrics::finished(record.language.as_str(), RunStatus::Cancelled);
        }
        CancelOutcome::Requested => {
            // A worker here stops at once; give it a moment so the answer shows the end.
            if state.runs.cancels.cancel(id, by) {
                let _ = tokio::time::timeout(CANCEL_WAIT, async {
                    while finished.recv().await.is_ok_and(|done| done != id) {}
                })
                .await;
            }
        }
        CancelOutcome::TooLate => {
            return Err(AppError::Conflict { code: "run_finished", message: "This run has already finished.".into() });
        }
    }
    let record = state.store.find_run(id).await?.ok_or(AppError::NotFound("run"))?;
    Ok(Json(RunResponse { run: RunView::new(record, access.role()) }))
}

/// The interview's runs, newest first, a page at a time: who ran what, and how it went
/// (summaries; `GET /api/runs/{id}` has a run's code and output).
#[utoipa::path(get, path = "/api/interviews/{id}/runs", tag = "runs", params(HistoryQuery),
    responses((status = 200, body = RunList), (status = 401), (status = 404), (status = 422)))]
async fn list_runs(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> AppResult<Json<RunList>> {
    let access = interview_access(&state, &caller, id).await?;
    let limit = query.limit.unwrap_or(HISTORY_PAGE_DEFAULT);
    if !(1..=HISTORY_PAGE_MAX).contains(&limit) {
        return Err(AppError::field("limit", format!("must be between 1 and {HISTORY_PAGE_MAX}")));
    }
    if let Some(before) = query.before {
        let cursor = state.store.run_visibility(before).await?;
        if !cursor.is_some_and(|(interview, private)| interview == id && may_see_run(access.role(), private)) {
            return Err(AppError::field("before", "is not a run of this interview"));
        }
    }
    let with_private = may_see_run(access.role(), true);
    // One more than asked tells whether there is a next page.
    let mut records = state.store.list_runs(id, with_private, query.before, limit as i64 + 1).await?;
    let next = (records.len() > limit).then(|| {
        records.truncate(limit);
        let last = records.last().expect("a full page").id;
        format!("/api/interviews/{id}/runs?limit={limit}&before={last}")
    });
    let runs = records.into_iter().map(|r| RunSummary::new(r, access.role())).collect();
    Ok(Json(RunList { runs, next }))
}

#[derive(Serialize, ToSchema)]
pub struct LanguageView {
    id: String,
    name: String,
    version: String,
    available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl From<LanguageInfo> for LanguageView {
    fn from(info: LanguageInfo) -> Self {
        LanguageView {
            id: info.id,
            name: info.name,
            version: info.version,
            available: info.available,
            reason: info.reason,
        }
    }
}

/// The languages of this server, with versions, and why any is unavailable.
#[utoipa::path(get, path = "/api/languages", tag = "runs", responses((status = 200, body = [LanguageView])))]
async fn list_languages(State(state): State<AppState>) -> Json<Vec<LanguageView>> {
    Json(state.runs.languages().await.into_iter().map(LanguageView::from).collect())
}
