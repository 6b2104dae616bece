//! Workspaces: list, create, view, edit settings, delete, export, and their members (list,
//! change a role, remove — which also takes the member's places in the workspace's interviews
//! and closes the sockets that relied on them). Invites are in `workspace_invites`.
//!
//! Members read; owners and admins manage members and settings; only owners delete a
//! workspace or make owners. A non-member gets 404 for everything here.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_DISPOSITION;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::interviews::{MAX_DURATION_MINUTES, MIN_DURATION_MINUTES};
use super::views::{InterviewView, ParticipantView, QuestionView};
use crate::auth::question_access::QuestionViewer;
use crate::auth::{WorkspaceAccess, workspace_access};
use crate::db::{MemberRecord, MemberWorkspace, NewWorkspace, StoreError, User, WorkspaceSettings};
use crate::domain::{
    FieldCheck, Language, Role, RubricCriterion, WorkspaceRole, bounded_text, default_rubric, parse_rubric,
};
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::extract::{ApiJson, ApiPath};
use crate::quotas::Quota;
use crate::runs::views::RunSummary;
use crate::state::AppState;

const MAX_NAME_CHARS: usize = 100;
const MAX_RUNS_PER_DAY: i64 = 100_000;
/// Runs read per page while exporting an interview's history.
const EXPORT_RUN_PAGE: i64 = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workspaces, create_workspace))
        .routes(routes!(get_workspace, update_workspace, delete_workspace))
        .routes(routes!(export_workspace))
        .routes(routes!(list_members))
        .routes(routes!(update_member, remove_member))
}

/// A workspace as one of its members sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub name: String,
    pub my_role: WorkspaceRole,
    pub default_language: Language,
    pub default_duration_minutes: i32,
    /// The rubric new interviews start from.
    pub default_rubric: Vec<RubricCriterion>,
    /// Code runs a day across the workspace's interviews; `null`: only the server's quotas.
    pub runs_per_day: Option<i32>,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WorkspaceView {
    pub fn new(member_workspace: MemberWorkspace) -> AppResult<WorkspaceView> {
        let w = member_workspace.workspace;
        Ok(WorkspaceView {
            default_rubric: w.rubric()?,
            id: w.id,
            name: w.name,
            my_role: member_workspace.my_role,
            default_language: w.default_language,
            default_duration_minutes: w.default_duration_minutes,
            runs_per_day: w.runs_per_day,
            member_count: member_workspace.member_count,
            created_at: w.created_at,
            updated_at: w.updated_at,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: WorkspaceRole,
    pub joined_at: DateTime<Utc>,
}

impl From<MemberRecord> for MemberView {
    fn from(m: MemberRecord) -> MemberView {
        MemberView { user_id: m.user_id, name: m.name, email: m.email, role: m.role, joined_at: m.joined_at }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkspace {
    name: String,
}

/// Any subset of the settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkspace {
    name: Option<String>,
    default_language: Option<String>,
    default_duration_minutes: Option<i64>,
    default_rubric: Option<Vec<RubricCriterion>>,
    /// `null` removes the workspace's own limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    runs_per_day: Option<Option<i64>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    /// `owner`, `admin` or `member`.
    role: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceResponse {
    workspace: WorkspaceView,
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceList {
    workspaces: Vec<WorkspaceView>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberList {
    members: Vec<MemberView>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberResponse {
    member: MemberView,
}

/// The caller's workspaces, by name.
#[utoipa::path(get, path = "/api/workspaces", tag = "workspaces",
    responses((status = 200, body = WorkspaceList), (status = 401), (status = 403)))]
async fn list_workspaces(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<WorkspaceList>> {
    let workspaces = state.store.list_workspaces_for_user(user.id).await?;
    Ok(Json(WorkspaceList { workspaces: workspaces.into_iter().map(WorkspaceView::new).collect::<AppResult<_>>()? }))
}

/// Creates a workspace owned by the caller.
#[utoipa::path(post, path = "/api/workspaces", tag = "workspaces", request_body = CreateWorkspace,
    responses((status = 201, body = WorkspaceResponse), (status = 401), (status = 422), (status = 429)))]
async fn create_workspace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<CreateWorkspace>,
) -> AppResult<(StatusCode, Json<WorkspaceResponse>)> {
    let name = bounded_text(&body.name, 1, MAX_NAME_CHARS, false).map_err(|why| AppError::field("name", why))?;
    let workspace = new_workspace(&state, &user, name).await?;
    Ok((StatusCode::CREATED, Json(WorkspaceResponse { workspace })))
}

/// The personal workspace a new account gets.
pub async fn create_personal_workspace(state: &AppState, user: &User) -> AppResult<WorkspaceView> {
    let name: String = format!("{}'s workspace", user.name).chars().take(MAX_NAME_CHARS).collect();
    new_workspace(state, user, name).await
}

async fn new_workspace(state: &AppState, user: &User, name: String) -> AppResult<WorkspaceView> {
    let _quota = state.quotas.lock(user.id).await;
    state.quotas.check(Quota::Workspaces, state.store.count_owned_workspaces(user.id).await?)?;
    let id = Uuid::now_v7();
    let settings = WorkspaceSettings {
        name,
        default_language: Language::Python,
        default_duration_minutes: 60,
        default_rubric: default_rubric(),
        runs_per_day: None,
    };
    state.store.create_workspace(&NewWorkspace { id, settings, owner: user.id, created_at: Utc::now() }).await?;
    workspace_access(state, user, id).await?.view()
}

/// One workspace.
#[utoipa::path(get, path = "/api/workspaces/{id}", tag = "workspaces",
    responses((status = 200, body = WorkspaceResponse), (status = 401), (status = 404)))]
async fn get_workspace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<WorkspaceResponse>> {
    Ok(Json(WorkspaceResponse { workspace: workspace_access(&state, &user, id).await?.view()? }))
}

/// Edits the settings (owners and admins). Omitted fields stay as they are.
#[utoipa::path(patch, path = "/api/workspaces/{id}", tag = "workspaces", request_body = UpdateWorkspace,
    responses((status = 200, body = WorkspaceResponse), (status = 403), (status = 404), (status = 422)))]
async fn update_workspace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<UpdateWorkspace>,
) -> AppResult<Json<WorkspaceResponse>> {
    let access = workspace_access(&state, &user, id).await?;
    access.require_manager("change this workspace's settings")?;
    let current = &access.workspace.workspace;
    let mut check = FieldCheck::default();
    let name = match &patch.name {
        Some(raw) => check.take("name", bounded_text(raw, 1, MAX_NAME_CHARS, false)),
        None => Some(current.name.clone()),
    };
    let default_language = match &patch.default_language {
        Some(raw) => check.take("default_language", Language::parse(raw)),
        None => Some(current.default_language),
    };
    let default_duration_minutes = match patch.default_duration_minutes {
        Some(d) if (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&d) => Some(d as i32),
        Some(_) => {
            let why = format!("must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes");
            check.fail("default_duration_minutes", why);
            None
        }
        None => Some(current.default_duration_minutes),
    };
    let default_rubric = match patch.default_rubric {
        Some(raw) => parse_rubric(&mut check, "default_rubric", raw),
        None => Some(current.rubric()?),
    };
    let runs_per_day = match patch.runs_per_day {
        Some(Some(n)) if (1..=MAX_RUNS_PER_DAY).contains(&n) => Some(Some(n as i32)),
        Some(Some(_)) => {
            check.fail("runs_per_day", format!("must be between 1 and {MAX_RUNS_PER_DAY}, or null for no limit"));
            None
        }
        Some(None) => Some(None),
        None => Some(current.runs_per_day),
    };
    check.finish()?;
    let settings = WorkspaceSettings {
        name: name.expect("checked"),
        default_language: default_language.expect("checked"),
        default_duration_minutes: default_duration_minutes.expect("checked"),
        default_rubric: default_rubric.expect("checked"),
        runs_per_day: runs_per_day.expect("checked"),
    };
    state.store.update_workspace(id, &settings, Utc::now()).await?;
    Ok(Json(WorkspaceResponse { workspace: workspace_access(&state, &user, id).await?.view()? }))
}

/// Deletes the workspace and everything in it (owners only); its interviews' sockets close.
#[utoipa::path(delete, path = "/api/workspaces/{id}", tag = "workspaces",
    responses((status = 204), (status = 403), (status = 404)))]
async fn delete_workspace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<StatusCode> {
    workspace_access(&state, &user, id).await?.require_owner("delete this workspace")?;
    for interview in state.store.delete_workspace(id).await? {
        state.revocations.interview_deleted(interview);
    }
    tracing::info!(workspace_id = %id, user_id = %user.id, "workspace deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// Everything of the workspace as one JSON document (owners and admins): settings, members,
/// questions with their hidden cases, interviews with participants and run results.
#[utoipa::path(get, path = "/api/workspaces/{id}/export", tag = "workspaces",
    responses((status = 200, description = "the export document", content_type = "application/json"),
        (status = 403), (status = 404)))]
async fn export_workspace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Response> {
    let access = workspace_access(&state, &user, id).await?;
    access.require_manager("export this workspace")?;
    let members: Vec<MemberView> = state.store.list_members(id).await?.into_iter().map(MemberView::from).collect();
    let as_team = QuestionViewer::Interview { role: Role::Host };
    let questions: Vec<serde_json::Value> = state
        .store
        .workspace_questions(id)
        .await?
        .into_iter()
        .map(|q| {
            let deleted = q.deleted;
            json!({"question": QuestionView::new(q, as_team), "deleted": deleted})
        })
        .collect();
    let mut interviews = Vec::new();
    for record in state.store.workspace_interviews(id).await? {
        let interview_id = record.id;
        let question_ids = state.store.interview_question_ids(interview_id).await?;
        let participants: Vec<ParticipantView> = state
            .store
            .list_participants(interview_id)
            .await?
            .into_iter()
            .map(|p| ParticipantView::new(p, Role::Host))
            .collect();
        let mut runs = Vec::new();
        let mut before = None;
        loop {
            let page = state.store.list_runs(interview_id, true, before, EXPORT_RUN_PAGE).await?;
            let full = page.len() as i64 == EXPORT_RUN_PAGE;
            before = page.last().map(|r| r.id);
            runs.extend(page.into_iter().map(|r| RunSummary::new(r, Role::Host)));
            if !full {
                break;
            }
        }
        interviews.push(json!({
            "interview": InterviewView::new(record, question_ids.clone(), Role::Host),
            "participants": participants,
            "question_ids": question_ids,
            "runs": runs,
        }));
    }
    let workspace = access.view()?;
    let exported_at = Utc::now();
    let file_name: String =
        workspace.name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let document = json!({
        "format": "codeview-workspace-export",
        "version": 1,
        "exported_at": exported_at,
        "workspace": workspace,
        "members": members,
        "questions": questions,
        "interviews": interviews,
    });
    let disposition = format!("attachment; filename=\"codeview-{file_name}-{}.json\"", exported_at.format("%Y-%m-%d"));
    Ok(([(CONTENT_DISPOSITION, disposition)], Json(document)).into_response())
}

/// The workspace's members (any member may see them).
#[utoipa::path(get, path = "/api/workspaces/{id}/members", tag = "workspaces",
    responses((status = 200, body = MemberList), (status = 401), (status = 404)))]
async fn list_members(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<MemberList>> {
    workspace_access(&state, &user, id).await?;
    let members = state.store.list_members(id).await?;
    Ok(Json(MemberList { members: members.into_iter().map(MemberView::from).collect() }))
}

/// Changes a member's role (owners and admins; only owners touch owners).
#[utoipa::path(patch, path = "/api/workspaces/{id}/members/{user_id}", tag = "workspaces", request_body = UpdateMember,
    responses((status = 200, body = MemberResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn update_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath((id, member_id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<UpdateMember>,
) -> AppResult<Json<MemberResponse>> {
    let access = workspace_access(&state, &user, id).await?;
    access.require_manager("change members' roles")?;
    let role = WorkspaceRole::parse(&body.role).map_err(|why| AppError::field("role", why))?;
    let member = state.store.find_member(id, member_id).await?.ok_or(AppError::NotFound("member"))?;
    if !access.role().may_grant(role) || !access.role().may_grant(member.role) {
        return Err(AppError::Forbidden("change an owner's role"));
    }
    state.store.set_member_role(id, member_id, role).await.map_err(last_owner)?;
    let member = state.store.find_member(id, member_id).await?.ok_or(AppError::NotFound("member"))?;
    Ok(Json(MemberResponse { member: member.into() }))
}

/// Removes a member, or lets the caller leave. Their places in the workspace's interviews go
/// at once (their sockets close) and the interviews they host pass to an owner.
#[utoipa::path(delete, path = "/api/workspaces/{id}/members/{user_id}", tag = "workspaces",
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn remove_member(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath((id, member_id)): ApiPath<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    let access = workspace_access(&state, &user, id).await?;
    let leaving = member_id == user.id;
    if !leaving {
        access.require_manager("remove members")?;
    }
    let members = state.store.list_members(id).await?;
    let member = members.iter().find(|m| m.user_id == member_id).ok_or(AppError::NotFound("member"))?;
    if !leaving && !access.role().may_grant(member.role) {
        return Err(AppError::Forbidden("remove an owner"));
    }
    // The owner who has been one longest inherits the interviews the leaver hosts.
    let heir = members
        .iter()
        .filter(|m| m.role == WorkspaceRole::Owner && m.user_id != member_id)
        .min_by_key(|m| m.joined_at)
        .ok_or_else(|| last_owner(StoreError::Conflict("owner")))?;
    let revoked = state.store.remove_member(id, member_id, heir.user_id).await.map_err(last_owner)?;
    for place in revoked {
        state.revocations.participant_removed(place.interview_id, place.participant_id);
    }
    tracing::info!(workspace_id = %id, user_id = %member_id, by = %user.id, "member removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Tells a field sent as `null` (`Some(None)`) from a field left out (`None`, by `default`).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(deserializer).map(Some)
}

/// A store conflict about owners as the API's 409 `last_owner`.
fn last_owner(err: StoreError) -> AppError {
    match err {
        StoreError::Conflict("owner") => AppError::Conflict {
            code: "last_owner",
            message: "A workspace needs an owner: make someone else an owner first.".into(),
        },
        other => other.into(),
    }
}

impl WorkspaceAccess {
    pub fn view(self) -> AppResult<WorkspaceView> {
        WorkspaceView::new(self.workspace)
    }
}
