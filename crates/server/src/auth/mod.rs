//! Authentication: password hashing, server-side sessions and API tokens, and the extractors
//! handlers use to learn who is calling (`CurrentUser`, `Caller`).

pub mod access;
pub mod extract;
pub mod password;
pub mod question_access;
pub mod secret;
pub mod session;
pub mod workspace_access;

pub use access::{InterviewAccess, interview_access};
pub use workspace_access::{WorkspaceAccess, target_workspace, workspace_access};
pub use extract::{Authenticated, Caller, Credential, CurrentUser, MaybeAuthenticated, MaybeCaller};
