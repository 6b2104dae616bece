//! Who may do what in a workspace: resolves the caller's membership and role, and the
//! workspace a new question or interview goes into.
//!
//! Someone who is not a member gets 404, as if the workspace did not exist. The workspace a
//! write goes into is the one the request names or, when the caller belongs to exactly one,
//! that one: never a default the client did not state while several are possible.

use std::collections::HashSet;

use uuid::Uuid;

use crate::db::{MemberWorkspace, User};
use crate::domain::WorkspaceRole;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The caller's place in one workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceAccess {
    pub workspace: MemberWorkspace,
}

impl WorkspaceAccess {
    pub fn id(&self) -> Uuid {
        self.workspace.workspace.id
    }

    pub fn role(&self) -> WorkspaceRole {
        self.workspace.my_role
    }

    /// Owners and admins: members, invites, settings, export.
    pub fn require_manager(&self, action: &'static str) -> AppResult<()> {
        if self.role().manages() { Ok(()) } else { Err(AppError::Forbidden(action)) }
    }

    pub fn require_owner(&self, action: &'static str) -> AppResult<()> {
        if self.role() == WorkspaceRole::Owner { Ok(()) } else { Err(AppError::Forbidden(action)) }
    }
}

/// Resolves `user`'s access to workspace `id`; 404 unless they are a member.
pub async fn workspace_access(state: &AppState, user: &User, id: Uuid) -> AppResult<WorkspaceAccess> {
    let workspace = state.store.find_member_workspace(id, user.id).await?.ok_or(AppError::NotFound("workspace"))?;
    Ok(WorkspaceAccess { workspace })
}

/// The workspace a new question or interview goes into: `requested` (the body's
/// `workspace_id`), or the caller's only workspace.
pub async fn target_workspace(state: &AppState, user: &User, requested: Option<Uuid>) -> AppResult<WorkspaceAccess> {
    if let Some(id) = requested {
        return workspace_access(state, user, id).await;
    }
    let mut workspaces = state.store.list_workspaces_for_user(user.id).await?;
    match workspaces.len() {
        1 => Ok(WorkspaceAccess { workspace: workspaces.remove(0) }),
        0 => Err(AppError::field("workspace_id", "you belong to no workspace; create one first")),
        _ => Err(AppError::field("workspace_id", "is required: you belong to several workspaces")),
    }
}

/// The ids of the workspaces `user` belongs to.
pub async fn member_workspace_ids(state: &AppState, user: &User) -> AppResult<HashSet<Uuid>> {
    Ok(state.store.list_workspaces_for_user(user.id).await?.into_iter().map(|w| w.workspace.id).collect())
}
