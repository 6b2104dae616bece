//! The HTTP surface. Each feature module owns its routes (`pub fn router()`), documented for
//! OpenAPI with `utoipa`; `app::router` merges them and adds the cross-cutting layers.

pub mod account;
pub mod auth;
pub mod body_deadline;
pub mod body_size;
pub mod credentials;
pub mod health;
pub mod history;
pub mod ice;
pub mod interview_emails;
pub mod interviews;
pub mod metrics;
pub mod questions;
pub mod rooms;
pub mod runs;
pub mod scorecards;
pub mod security_headers;
pub mod sent_in_full;
pub mod signals;
pub mod summary;
pub mod timeline;
pub mod views;
pub mod web;
pub mod workspace_invites;
pub mod workspaces;
