//! Authentication: password hashing, server-side sessions and API tokens, and who may reach an
//! interview or a workspace (the extractors that say who is calling are in `crate::extract`).

pub mod access;
pub mod password;
pub mod question_access;
pub mod secret;
pub mod session;
pub mod workspace_access;

pub use access::{InterviewAccess, interview_access};
pub use workspace_access::{WorkspaceAccess, target_workspace, workspace_access};
