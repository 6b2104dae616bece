//! The HTTP surface. Each feature module owns its routes (`pub fn router()`), documented for
//! OpenAPI with `utoipa`; `app::router` merges them and adds the cross-cutting layers.

pub mod auth;
pub mod health;
pub mod json;
pub mod metrics;
pub mod security_headers;
pub mod web;
