//! Workspace invites: owners and admins invite a person by email (a link valid 7 days that
//! works once, emailed when SMTP is configured and always shown to copy), list and revoke the
//! pending ones; the person looks the invite up without signing in and accepts it signed in
//! with the invited email (or registers through it: `http::auth`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::workspaces::WorkspaceView;
use crate::auth::secret::{MAX_SECRET_CHARS, hash_secret, new_secret};
use crate::auth::workspace_access;
use crate::db::{InviteRecord, NewInvite, StoreError, User};
use crate::domain::{Email, FieldCheck, WorkspaceRole};
use crate::error::{AppError, AppResult};
use crate::extract::ClientAddress;
use crate::extract::CurrentUser;
use crate::extract::{ApiJson, ApiPath};
use crate::quotas::Quota;
use crate::state::AppState;

/// How long an invite link works.
pub const INVITE_VALID_DAYS: i64 = 7;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invites, create_invite))
        .routes(routes!(revoke_invite))
        .routes(routes!(show_invite))
        .routes(routes!(accept_invite))
}

/// A pending invite, as the workspace's managers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteView {
    id: Uuid,
    email: String,
    role: WorkspaceRole,
    /// The name of who sent it (`null` when their account is gone).
    invited_by: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl From<InviteRecord> for InviteView {
    fn from(v: InviteRecord) -> InviteView {
        InviteView {
            id: v.id,
            email: v.email,
            role: v.role,
            invited_by: v.invited_by,
            created_at: v.created_at,
            expires_at: v.expires_at,
        }
    }
}

/// What the holder of an invite link learns before accepting.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitePreview {
    workspace_name: String,
    email: String,
    role: WorkspaceRole,
    invited_by: Option<String>,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    email: String,
    /// `owner` (owners only), `admin` or `member`.
    role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedInvite {
    invite: InviteView,
    /// `{public_url}/invites/{token}`: the token is shown here once.
    invite_url: String,
    /// Whether the link was emailed (SMTP configured and the send succeeded).
    email_sent: bool,
}

#[derive(Serialize, ToSchema)]
pub struct InviteList {
    invites: Vec<InviteView>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitePreviewResponse {
    invite: InvitePreview,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptedInvite {
    workspace: WorkspaceView,
}

/// Invites a person to the workspace (owners and admins).
#[utoipa::path(post, path = "/api/workspaces/{id}/invites", tag = "workspaces", request_body = CreateInvite,
    responses((status = 201, body = CreatedInvite), (status = 403), (status = 404), (status = 409), (status = 422),
        (status = 429)))]
async fn create_invite(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateInvite>,
) -> AppResult<(StatusCode, Json<CreatedInvite>)> {
    let access = workspace_access(&state, &user, id).await?;
    access.require_manager("invite people")?;
    let mut check = FieldCheck::default();
    let email = check.take("email", Email::parse(&body.email));
    let role = check.take("role", WorkspaceRole::parse(&body.role));
    check.finish()?;
    let (email, role) = (email.expect("checked"), role.expect("checked"));
    if !access.role().may_grant(role) {
        return Err(AppError::Forbidden("invite owners"));
    }
    if let Some(account) = state.store.find_user_by_email(email.as_str()).await?
        && state.store.find_member(id, account.id).await?.is_some()
    {
        return Err(AppError::Conflict {
            code: "already_member",
            message: "This person is already a member of the workspace.".into(),
        });
    }
    let token = new_secret("");
    let now = Utc::now();
    let invite = {
        let _quota = state.quotas.lock(id).await;
        state.quotas.check(Quota::PendingInvites, state.store.count_pending_invites(id, now).await?)?;
        state
            .store
            .create_invite(&NewInvite {
                id: Uuid::now_v7(),
                workspace_id: id,
                email: email.as_str().to_owned(),
                role,
                token_hash: hash_secret(&token),
                invited_by: user.id,
                created_at: now,
                expires_at: now + Duration::days(INVITE_VALID_DAYS),
            })
            .await?
    };
    let invite_url = format!("{}/invites/{token}", state.settings.public_url);
    let email_sent = send_invite_email(&state, &user, &invite, &invite_url).await;
    Ok((StatusCode::CREATED, Json(CreatedInvite { invite: invite.into(), invite_url, email_sent })))
}

/// Emails the invite when SMTP is configured; a failure is logged, and the link is still
/// shown to copy.
async fn send_invite_email(state: &AppState, inviter: &User, invite: &InviteRecord, url: &str) -> bool {
    if !state.mailer.is_configured() {
        return false;
    }
    let (subject, body) =
        crate::mail::invite_email(&invite.workspace_name, &inviter.name, invite.role.as_str(), url, invite.expires_at);
    match state.mailer.send(&invite.email, &subject, &body).await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, workspace_id = %invite.workspace_id, "sending an invite email failed");
            false
        }
    }
}

/// The workspace's pending invites (owners and admins).
#[utoipa::path(get, path = "/api/workspaces/{id}/invites", tag = "workspaces",
    responses((status = 200, body = InviteList), (status = 403), (status = 404)))]
async fn list_invites(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<InviteList>> {
    workspace_access(&state, &user, id).await?.require_manager("see invites")?;
    let invites = state.store.list_pending_invites(id, Utc::now()).await?;
    Ok(Json(InviteList { invites: invites.into_iter().map(InviteView::from).collect() }))
}

/// Revokes a pending invite: its link stops working.
#[utoipa::path(delete, path = "/api/workspaces/{id}/invites/{invite_id}", tag = "workspaces",
    responses((status = 204), (status = 403), (status = 404)))]
async fn revoke_invite(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath((id, invite_id)): ApiPath<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    workspace_access(&state, &user, id).await?.require_manager("revoke invites")?;
    if !state.store.delete_invite(id, invite_id).await? {
        return Err(AppError::NotFound("invite"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// What an invite link is for (no sign-in needed: the link is the secret).
#[utoipa::path(get, path = "/api/workspace-invites/{token}", tag = "workspaces",
    responses((status = 200, body = InvitePreviewResponse), (status = 404), (status = 409), (status = 429)))]
async fn show_invite(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Json<InvitePreviewResponse>> {
    state.limits.join_per_ip.check(client).await?;
    let invite = pending_invite(&state, &token).await?;
    Ok(Json(InvitePreviewResponse {
        invite: InvitePreview {
            workspace_name: invite.workspace_name,
            email: invite.email,
            role: invite.role,
            invited_by: invite.invited_by,
            expires_at: invite.expires_at,
        },
    }))
}

/// Joins the workspace through an invite, signed in with the invited email.
#[utoipa::path(post, path = "/api/workspace-invites/{token}/accept", tag = "workspaces",
    responses((status = 200, body = AcceptedInvite), (status = 401), (status = 403), (status = 404), (status = 409)))]
async fn accept_invite(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Json<AcceptedInvite>> {
    let invite = pending_invite(&state, &token).await?;
    if !invite.email.eq_ignore_ascii_case(&user.email) {
        return Err(AppError::ForbiddenWithCode {
            code: "invite_wrong_account",
            message: "This invite was sent to another email address: sign in with that account to accept it.".into(),
        });
    }
    join_through(&state, &invite, &user).await?;
    Ok(Json(AcceptedInvite { workspace: workspace_access(&state, &user, invite.workspace_id).await?.view()? }))
}

/// The invite a token names, if it can still be accepted: 404 unknown, 409 `invite_used` or
/// `invite_expired`.
pub async fn pending_invite(state: &AppState, token: &str) -> AppResult<InviteRecord> {
    if token.len() > MAX_SECRET_CHARS {
        return Err(AppError::NotFound("invite"));
    }
    let invite = state.store.find_invite_by_token(&hash_secret(token)).await?.ok_or(AppError::NotFound("invite"))?;
    if invite.accepted_at.is_some() {
        return Err(invite_used());
    }
    if invite.expires_at <= Utc::now() {
        return Err(AppError::Conflict {
            code: "invite_expired",
            message: "This invite has expired: ask for a new one.".into(),
        });
    }
    Ok(invite)
}

/// Makes `user` a member through `invite` (used once, in the same transaction).
pub async fn join_through(state: &AppState, invite: &InviteRecord, user: &User) -> AppResult<()> {
    state.store.accept_invite(invite.id, user.id, Utc::now()).await.map_err(|err| match err {
        StoreError::Conflict("membership") => {
            AppError::Conflict { code: "already_member", message: "You are already a member of this workspace.".into() }
        }
        StoreError::Conflict(_) => invite_used(),
        other => other.into(),
    })
}

fn invite_used() -> AppError {
    AppError::Conflict { code: "invite_used", message: "This invite has already been used.".into() }
}
