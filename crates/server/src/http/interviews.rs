//! Interviews: create, list, view, edit while scheduled, start, end, delete, the participant
//! list (co-interviewers and observers are added by the email of their account, and must be
//! members of the interview's workspace), and the candidate invite (retired and replaced on
//! demand and when the candidate is removed; its emails are `interview_emails`). Every interview belongs to one workspace, whose
//! defaults it starts from and whose questions (with the starter library) it may use.
//! Whatever takes a right away also closes the sockets that relied on it (`revocations`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::interview_emails::{Recipient, send_if_possible};
use super::questions::BankReader;
use super::views::{InterviewView, ParticipantView, QuestionView, invite_url};
use crate::auth::question_access::{QuestionViewer, may_attach};
use crate::auth::secret::new_secret;
use crate::auth::{InterviewAccess, interview_access, target_workspace, workspace_access};
use crate::db::{InterviewPlan, InterviewRecord, NewInterview, NewParticipant, Question, StoreError, User};
use crate::domain::{
    Email, FieldCheck, InterviewControls, InterviewStatus, Language, PersonName, Role, RoomCode, bounded_text, policy,
};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalApiJson};
use crate::extract::{Caller, CurrentUser};
use crate::quotas::Quota;
use crate::realtime::live_docs::RoomSetup;
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION, RoomEvent};
use crate::state::AppState;
use crate::timeline::controls::record_controls_change;

const MAX_QUESTIONS: usize = 20;
pub const MIN_DURATION_MINUTES: i64 = 5;
pub const MAX_DURATION_MINUTES: i64 = 8 * 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_interviews, create_interview))
        .routes(routes!(get_interview, update_interview, delete_interview))
        .routes(routes!(start_interview))
        .routes(routes!(end_interview))
        .routes(routes!(add_participant))
        .routes(routes!(remove_participant))
        .routes(routes!(renew_invite))
        .routes(routes!(update_controls))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InterviewQuery {
    /// `scheduled`, `live` or `ended`.
    status: Option<String>,
    /// Only this workspace's interviews.
    workspace: Option<Uuid>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewInput {
    /// On creation: required when the caller belongs to more than one workspace. An interview
    /// stays in its workspace.
    workspace_id: Option<Uuid>,
    title: Option<String>,
    /// RFC 3339, e.g. `2026-12-01T14:00:00Z`.
    scheduled_at: Option<String>,
    duration_minutes: Option<i64>,
    language: Option<String>,
    question_ids: Option<Vec<Uuid>>,
    candidate_name: Option<String>,
    candidate_email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddParticipant {
    email: String,
    /// `interviewer` or `observer`.
    role: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewInvite {
    /// Keep the candidate signed in (their open sessions and sockets stay); by default they are
    /// signed out and join again with the new link. The old link stops working either way.
    #[serde(default)]
    keep_candidate_session: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedInterview {
    interview: InterviewView,
    candidate_invite_url: String,
    /// Whether the invite was emailed to `candidate_email` (SMTP configured and the send
    /// succeeded); `false` without a `candidate_email`.
    email_sent: bool,
}

#[derive(Serialize, ToSchema)]
pub struct InterviewResponse {
    interview: InterviewView,
}

#[derive(Serialize, ToSchema)]
pub struct InterviewList {
    interviews: Vec<InterviewView>,
}

#[derive(Serialize, ToSchema)]
pub struct InterviewDetail {
    interview: InterviewView,
    participants: Vec<ParticipantView>,
    /// Candidates get the questions once the interview is live, without hidden test cases.
    questions: Vec<QuestionView>,
    /// For the host and co-interviewers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    candidate_invite_url: Option<String>,
    /// Whether the server sends email (`--smtp-url`): invites and panel notices can be emailed.
    email_enabled: bool,
    /// What the interviewers allow the candidate in the room; every participant reads them.
    controls: InterviewControls,
}

/// A change to the interview's controls; omitted fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlsInput {
    /// Whether the candidate's editor offers completions.
    candidate_autocomplete: Option<bool>,
    /// The question the room shows and edits; one of the interview's questions.
    active_question_id: Option<Uuid>,
    /// Whether the candidate's editor is locked (their code updates are dropped).
    editor_locked: Option<bool>,
    /// Whether running code is paused for the candidate.
    runs_disabled: Option<bool>,
    /// Whether the server ends the interview once its duration is over.
    auto_end: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ControlsResponse {
    controls: InterviewControls,
}

#[derive(Serialize, ToSchema)]
pub struct InviteResponse {
    candidate_invite_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantResponse {
    participant: ParticipantView,
    /// Whether they were emailed a notice with the interview's link and a calendar file.
    email_sent: bool,
}

/// The interviews the caller takes part in, newest first.
#[utoipa::path(get, path = "/api/interviews", tag = "interviews", params(InterviewQuery),
    responses((status = 200, body = InterviewList), (status = 401), (status = 403), (status = 422)))]
async fn list_interviews(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<InterviewQuery>,
) -> AppResult<Json<InterviewList>> {
    let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(InterviewStatus::parse(raw).map_err(|why| AppError::field("status", why))?),
        None => None,
    };
    if let Some(id) = query.workspace {
        workspace_access(&state, &user, id).await?;
    }
    let records =
        state.store.list_interviews_for_user(user.id, status.map(InterviewStatus::as_str), query.workspace).await?;
    let mut interviews = Vec::with_capacity(records.len());
    for listed in records {
        interviews.push(InterviewView::new(listed.interview, listed.question_ids, listed.my_role));
    }
    Ok(Json(InterviewList { interviews }))
}

/// Creates an interview hosted by the caller in one of their workspaces, with a room code and
/// a candidate invite link.
#[utoipa::path(post, path = "/api/interviews", tag = "interviews", request_body = InterviewInput,
    responses((status = 201, body = CreatedInterview), (status = 401), (status = 403), (status = 404), (status = 422)))]
async fn create_interview(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<InterviewInput>,
) -> AppResult<(StatusCode, Json<CreatedInterview>)> {
    if body.title.is_none() {
        return Err(AppError::field("title", "is required"));
    }
    let workspace = target_workspace(&state, &user, body.workspace_id).await?.workspace.workspace;
    let defaults = PlanBase::New {
        workspace_id: workspace.id,
        language: workspace.default_language,
        duration_minutes: i64::from(workspace.default_duration_minutes),
    };
    let plan = parse_plan(&state, &user, body, defaults).await?;
    let _quota = state.quotas.lock(user.id).await;
    state.quotas.check(Quota::OpenInterviews, state.store.count_open_interviews(user.id).await?)?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let host = NewParticipant {
        id: Uuid::now_v7(),
        interview_id: id,
        user_id: Some(user.id),
        role: Role::Host,
        name: user.name.clone(),
        email: Some(user.email.clone()),
        created_at: now,
    };
    // LiveDoc codes are random; on the rare collision, draw again.
    let mut attempts = 0;
    loop {
        let new = NewInterview {
            id,
            workspace_id: workspace.id,
            room_code: RoomCode::generate().as_str().to_owned(),
            invite_secret: new_secret(""),
            plan: plan.clone(),
            host: host.clone(),
            created_at: now,
        };
        match state.store.create_interview(&new).await {
            Ok(()) => break,
            Err(StoreError::Conflict(_)) if attempts < 5 => attempts += 1,
            Err(err) => return Err(err.into()),
        }
    }
    let record = state.store.find_interview(id).await?.ok_or(AppError::NotFound("interview"))?;
    let candidate_invite_url = invite_url(&state, &record);
    let email_sent =
        record.candidate_email.is_some() && send_if_possible(&state, &record, Recipient::Candidate, &user.name).await;
    let interview = InterviewView::new(record, plan.question_ids, Role::Host);
    Ok((StatusCode::CREATED, Json(CreatedInterview { interview, candidate_invite_url, email_sent })))
}

/// One interview with its participants and questions, as the caller may see it.
#[utoipa::path(get, path = "/api/interviews/{id}", tag = "interviews",
    responses((status = 200, body = InterviewDetail), (status = 401), (status = 403), (status = 404)))]
async fn get_interview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<InterviewDetail>> {
    let access = interview_access(&state, &caller, id).await?;
    Ok(Json(interview_detail(&state, access).await?))
}

pub async fn interview_detail(state: &AppState, access: InterviewAccess) -> AppResult<InterviewDetail> {
    let role = access.role();
    let question_ids = state.store.interview_question_ids(access.interview.id).await?;
    let candidate_waits = role == Role::Candidate && access.status() == InterviewStatus::Scheduled;
    let mut questions = Vec::new();
    if !candidate_waits {
        for question_id in &question_ids {
            if let Some(question) = state.store.find_question(*question_id).await? {
                questions.push(QuestionView::new(question, QuestionViewer::Interview { role }));
            }
        }
    }
    let participants = state.store.list_participants(access.interview.id).await?;
    Ok(InterviewDetail {
        candidate_invite_url: role.is_interviewer().then(|| invite_url(state, &access.interview)),
        participants: participants.into_iter().map(|p| ParticipantView::new(p, role)).collect(),
        questions,
        controls: access.interview.controls(),
        interview: InterviewView::new(access.interview, question_ids, role),
        email_enabled: state.mailer.is_configured(),
    })
}

/// Edits a scheduled interview (host and co-interviewers). Omitted fields stay as they are.
#[utoipa::path(patch, path = "/api/interviews/{id}", tag = "interviews", request_body = InterviewInput,
    responses((status = 200, body = InterviewResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn update_interview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<InterviewInput>,
) -> AppResult<Json<InterviewResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("edit this interview")?;
    if access.status() != InterviewStatus::Scheduled {
        return Err(wrong_status("Only a scheduled interview can be edited."));
    }
    let editor = caller.user().ok_or(AppError::Forbidden("edit this interview"))?;
    if body.workspace_id.is_some_and(|w| Some(w) != access.interview.workspace_id) {
        return Err(AppError::field("workspace_id", "an interview cannot move to another workspace"));
    }
    let current_ids = state.store.interview_question_ids(id).await?;
    let plan = parse_plan(&state, editor, body, PlanBase::Existing(&access.interview, current_ids)).await?;
    state.store.update_interview_plan(id, &plan, Utc::now()).await.map_err(|err| match err {
        StoreError::NotFound(_) => wrong_status("Only a scheduled interview can be edited."),
        other => other.into(),
    })?;
    let record = state.store.find_interview(id).await?.ok_or(AppError::NotFound("interview"))?;
    Ok(Json(InterviewResponse { interview: InterviewView::new(record, plan.question_ids, access.role()) }))
}

/// Deletes an interview and everything in it (host only).
#[utoipa::path(delete, path = "/api/interviews/{id}", tag = "interviews",
    responses((status = 204), (status = 403), (status = 404)))]
async fn delete_interview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<StatusCode> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_host("delete this interview")?;
    state.store.delete_interview(id).await?;
    state.revocations.interview_deleted(id);
    Ok(StatusCode::NO_CONTENT)
}

/// Starts the interview: each question's code is seeded with its starter code (into empty
/// texts only, so a retry or code typed before the start is kept), then the candidate leaves
/// the lobby.
#[utoipa::path(post, path = "/api/interviews/{id}/start", tag = "interviews",
    responses((status = 200, body = InterviewResponse), (status = 403), (status = 404), (status = 409),
        (status = 503, description = "the instance running the live editor did not answer; see `Retry-After`")))]
async fn start_interview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<InterviewResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("start this interview")?;
    if access.status() != InterviewStatus::Scheduled {
        return Err(wrong_status("Only a scheduled interview can be started."));
    }
    seed_starter_code(&state, &access.interview).await?;
    if !state.store.start_interview(id, Utc::now()).await? {
        return Err(wrong_status("Only a scheduled interview can be started."));
    }
    publish_status(&state, id, InterviewStatus::Live);
    interview_response(&state, id, access.role()).await
}

/// Ends the interview: the candidate is locked out; interviewers keep read access.
#[utoipa::path(post, path = "/api/interviews/{id}/end", tag = "interviews",
    responses((status = 200, body = InterviewResponse), (status = 403), (status = 404), (status = 409)))]
async fn end_interview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<InterviewResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("end this interview")?;
    if !end_now(&state, id).await? {
        return Err(wrong_status("This interview has already ended."));
    }
    interview_response(&state, id, access.role()).await
}

/// Ends the interview, the one way there is (`POST …/end`, and `auto_end` when its time is
/// up): stores the status and signs the candidate out, freezes the live code document, closes
/// the candidate's sockets, empties the video call and tells every socket. False when it had
/// already ended.
pub(crate) async fn end_now(state: &AppState, id: Uuid) -> AppResult<bool> {
    if !state.store.end_interview(id, Utc::now()).await? {
        return Ok(false);
    }
    state.live_docs.interview_ended(id).await;
    state.revocations.interview_ended(id);
    state.terminals.interview_ended(id);
    match &state.shared_call {
        Some(shared_call) => shared_call.end(id).await,
        None => state.runs.events.end_call(id),
    }
    publish_status(state, id, InterviewStatus::Ended);
    Ok(true)
}

/// Adds a co-interviewer or an observer by the email of their CodeView account; they must be
/// a member of the interview's workspace.
#[utoipa::path(post, path = "/api/interviews/{id}/participants", tag = "interviews", request_body = AddParticipant,
    responses((status = 201, body = ParticipantResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn add_participant(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AddParticipant>,
) -> AppResult<(StatusCode, Json<ParticipantResponse>)> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("add people to this interview")?;
    let mut check = FieldCheck::default();
    let email = check.take("email", Email::parse(&body.email));
    let role = check.take(
        "role",
        Role::parse(&body.role).and_then(|role| match role {
            Role::Interviewer | Role::Observer => Ok(role),
            _ => Err("must be interviewer or observer".into()),
        }),
    );
    check.finish()?;
    let (email, role) = (email.expect("checked"), role.expect("checked"));
    let adder = caller.user().ok_or(AppError::Forbidden("add people to this interview"))?;
    let not_a_member =
        || AppError::field("email", "is not a member of this workspace; invite them to the workspace first");
    let account = state.store.find_user_by_email(email.as_str()).await?.ok_or_else(not_a_member)?;
    let workspace = access.interview.workspace_id.ok_or_else(not_a_member)?;
    if state.store.find_member(workspace, account.id).await?.is_none() {
        return Err(not_a_member());
    }
    let participant = state
        .store
        .add_participant(&NewParticipant {
            id: Uuid::now_v7(),
            interview_id: id,
            user_id: Some(account.id),
            role,
            name: account.name,
            email: Some(account.email),
            created_at: Utc::now(),
        })
        .await
        .map_err(|err| match err {
            StoreError::Conflict(_) => AppError::Conflict {
                code: "already_participant",
                message: "This person is already part of the interview.".into(),
            },
            other => other.into(),
        })?;
    let email_sent = match participant.email.as_deref() {
        Some(address) => {
            let to = Recipient::Panel { name: &participant.name, email: address, role };
            send_if_possible(&state, &access.interview, to, &adder.name).await
        }
        None => false,
    };
    Ok((
        StatusCode::CREATED,
        Json(ParticipantResponse { participant: ParticipantView::new(participant, access.role()), email_sent }),
    ))
}

/// Removes a participant (not the host); their sockets close. Removing the candidate also
/// retires the invite link, so it cannot bring them back.
#[utoipa::path(delete, path = "/api/interviews/{id}/participants/{participant_id}", tag = "interviews",
    responses((status = 204), (status = 403), (status = 404)))]
async fn remove_participant(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, participant_id)): ApiPath<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("remove people from this interview")?;
    let participant = state
        .store
        .find_participant(participant_id)
        .await?
        .filter(|p| p.interview_id == id)
        .ok_or(AppError::NotFound("participant"))?;
    if participant.role == Role::Host {
        return Err(AppError::Forbidden("remove the host"));
    }
    state.store.delete_participant(participant_id).await?;
    state.revocations.participant_removed(id, participant_id);
    state.terminals.participant_removed(id, participant_id);
    if participant.role == Role::Candidate {
        // Their sessions and sockets ended with them; only the link is left to retire.
        state.store.rotate_invite(id, &new_secret(""), true).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the candidate invite link (host and co-interviewers): the old link stops working at
/// once. The candidate's sessions end (they join again with the new link) unless
/// `keep_candidate_session`. The body may be left out.
#[utoipa::path(post, path = "/api/interviews/{id}/invite", tag = "interviews", request_body = RenewInvite,
    responses((status = 200, body = InviteResponse), (status = 403), (status = 404), (status = 422)))]
async fn renew_invite(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    OptionalApiJson(body): OptionalApiJson<RenewInvite>,
) -> AppResult<Json<InviteResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("renew the invite link")?;
    let sign_out = !body.keep_candidate_session;
    state.store.rotate_invite(id, &new_secret(""), sign_out).await?;
    if sign_out {
        state.revocations.candidate_signed_out(id);
    }
    let interview = state.store.find_interview(id).await?.ok_or(AppError::NotFound("interview"))?;
    Ok(Json(InviteResponse { candidate_invite_url: invite_url(&state, &interview) }))
}

/// Changes the interview's controls (host and co-interviewers, at any status) and tells every
/// socket of the interview with a `controls` room event when they changed; the timeline keeps
/// who changed what.
#[utoipa::path(patch, path = "/api/interviews/{id}/controls", tag = "interviews", request_body = ControlsInput,
    responses((status = 200, body = ControlsResponse), (status = 401), (status = 403), (status = 404), (status = 422)))]
async fn update_controls(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ControlsInput>,
) -> AppResult<Json<ControlsResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_change_controls(access.role())?;
    if body.auto_end.is_some() {
        policy::may_set_auto_end(access.role())?;
    }
    let before = access.interview.controls();
    let controls = InterviewControls {
        candidate_autocomplete: body.candidate_autocomplete.unwrap_or(before.candidate_autocomplete),
        active_question_id: active_question_choice(&state, id, body.active_question_id, before).await?,
        editor_locked: body.editor_locked.unwrap_or(before.editor_locked),
        runs_disabled: body.runs_disabled.unwrap_or(before.runs_disabled),
        auto_end: body.auto_end.unwrap_or(before.auto_end),
    };
    if controls != before {
        if !state.store.set_interview_controls(id, &controls, Utc::now()).await? {
            return Err(AppError::NotFound("interview"));
        }
        state.live_docs.controls_changed(id, &controls).await;
        record_controls_change(&state.timeline.recorder, id, access.participant.id, &before, &controls).await;
        let event = RoomEvent::Controls { v: PROTOCOL_VERSION, controls };
        state.runs.events.publish(id, Audience::Everyone, &event);
    }
    Ok(Json(ControlsResponse { controls }))
}

/// The active question after a change: `chosen` when it is one of the interview's questions.
async fn active_question_choice(
    state: &AppState,
    id: Uuid,
    chosen: Option<Uuid>,
    before: InterviewControls,
) -> AppResult<Option<Uuid>> {
    let Some(chosen) = chosen else { return Ok(before.active_question_id) };
    if !state.store.interview_question_ids(id).await?.contains(&chosen) {
        return Err(AppError::field("active_question_id", "is not a question of this interview"));
    }
    Ok(Some(chosen))
}

/// Seeds each question's code with its starter code for the document's language, where the
/// question's text is still empty (`LiveDocs::fill_starter_code`).
async fn seed_starter_code(state: &AppState, interview: &InterviewRecord) -> AppResult<()> {
    let mut starters = Vec::new();
    for question_id in state.store.interview_question_ids(interview.id).await? {
        let starter = state.store.find_question(question_id).await?.map(|q| q.content.starter_code);
        starters.push((question_id, starter.unwrap_or_default()));
    }
    let setup = RoomSetup { owner: interview.created_by, language: interview.language };
    state.live_docs.fill_starter_code(interview.id, setup, starters).await
}

async fn interview_response(state: &AppState, id: Uuid, role: Role) -> AppResult<Json<InterviewResponse>> {
    let record = state.store.find_interview(id).await?.ok_or(AppError::NotFound("interview"))?;
    let question_ids = state.store.interview_question_ids(id).await?;
    Ok(Json(InterviewResponse { interview: InterviewView::new(record, question_ids, role) }))
}

fn publish_status(state: &AppState, id: Uuid, status: InterviewStatus) {
    let event = RoomEvent::Status { v: PROTOCOL_VERSION, status };
    state.runs.events.publish(id, Audience::Everyone, &event);
}

fn wrong_status(message: &str) -> AppError {
    AppError::Conflict { code: "invalid_status", message: message.to_owned() }
}

/// What an interview's fields start from: a new interview's workspace and its defaults, or
/// the interview being edited with its questions.
enum PlanBase<'a> {
    New { workspace_id: Uuid, language: Language, duration_minutes: i64 },
    Existing(&'a InterviewRecord, Vec<Uuid>),
}

/// Validates an interview's fields, starting from `base`. Questions come from the starter
/// library or the interview's workspace, and `editor` may attach only questions it may attach
/// (`auth::question_access::may_attach`); questions already in the interview stay.
async fn parse_plan(
    state: &AppState,
    editor: &User,
    body: InterviewInput,
    base: PlanBase<'_>,
) -> AppResult<InterviewPlan> {
    let (workspace_id, default_language, default_duration, current) = match base {
        PlanBase::New { workspace_id, language, duration_minutes } => {
            (Some(workspace_id), language, duration_minutes, None)
        }
        PlanBase::Existing(record, ids) => {
            (record.workspace_id, record.language, i64::from(record.duration_minutes), Some((record, ids)))
        }
    };
    let mut check = FieldCheck::default();
    let title = match (&body.title, &current) {
        (Some(raw), _) => check.take("title", bounded_text(raw, 1, 200, false)),
        (None, Some((record, _))) => Some(record.title.clone()),
        (None, None) => None,
    };
    let scheduled_at = match (&body.scheduled_at, &current) {
        (Some(raw), _) if raw.trim().is_empty() => None,
        (Some(raw), _) => check.take("scheduled_at", parse_schedule(raw)),
        (None, Some((record, _))) => record.scheduled_at,
        (None, None) => None,
    };
    let duration = body.duration_minutes.or(current.as_ref().map(|(r, _)| i64::from(r.duration_minutes)));
    let duration_minutes = check.take(
        "duration_minutes",
        match duration.unwrap_or(default_duration) {
            d if (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&d) => Ok(d as i32),
            _ => Err(format!("must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes")),
        },
    );
    let language = match (&body.language, &current) {
        (Some(raw), _) => check.take("language", Language::parse(raw)),
        (None, Some((record, _))) => Some(record.language),
        (None, None) => Some(default_language),
    };
    let optional_text = |raw: &Option<String>, current: Option<&Option<String>>| -> Result<Option<String>, String> {
        match raw {
            Some(raw) if raw.trim().is_empty() => Ok(None),
            Some(raw) => Ok(Some(raw.clone())),
            None => Ok(current.cloned().flatten()),
        }
    };
    let candidate_name = check
        .take("candidate_name", optional_text(&body.candidate_name, current.as_ref().map(|(r, _)| &r.candidate_name)))
        .flatten()
        .and_then(|name| check.take("candidate_name", PersonName::parse(&name)).map(PersonName::into_string));
    let candidate_email = check
        .take(
            "candidate_email",
            optional_text(&body.candidate_email, current.as_ref().map(|(r, _)| &r.candidate_email)),
        )
        .flatten()
        .and_then(|email| check.take("candidate_email", Email::parse(&email)).map(|e| e.as_str().to_owned()));
    let attached = current.as_ref().map(|(_, ids)| ids.clone()).unwrap_or_default();
    let question_ids = body.question_ids.or(current.map(|(_, ids)| ids)).unwrap_or_default();
    if question_ids.len() > MAX_QUESTIONS {
        check.fail("question_ids", format!("at most {MAX_QUESTIONS} questions"));
    }
    let bank = BankReader::of(state, editor).await?;
    let in_scope = |q: &Question| q.builtin || (q.workspace_id.is_some() && q.workspace_id == workspace_id);
    for (i, question_id) in question_ids.iter().enumerate() {
        if question_ids[..i].contains(question_id) {
            check.fail("question_ids", format!("question {question_id} is listed twice"));
            continue;
        }
        if attached.contains(question_id) {
            continue;
        }
        match state.store.find_question(*question_id).await?.filter(|q| !q.deleted && in_scope(q)) {
            None => check.fail("question_ids", format!("no question with id {question_id} in this workspace")),
            Some(question) if !may_attach(&question, bank.viewer()) => check.fail(
                "question_ids",
                format!("question {question_id} has hidden test cases you may not see; ask a colleague to add it"),
            ),
            Some(_) => {}
        }
    }
    check.finish()?;
    Ok(InterviewPlan {
        title: title.expect("checked"),
        language: language.expect("checked"),
        scheduled_at,
        duration_minutes: duration_minutes.expect("checked"),
        candidate_name,
        candidate_email,
        question_ids,
    })
}

fn parse_schedule(raw: &str) -> Result<DateTime<Utc>, String> {
    let when = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| "must be a date and time like 2026-12-01T14:00:00Z".to_owned())?
        .with_timezone(&Utc);
    let now = Utc::now();
    if when < now - Duration::days(1) {
        return Err("must not be in the past".into());
    }
    if when > now + Duration::days(2 * 365) {
        return Err("must be within the next two years".into());
    }
    Ok(when)
}
