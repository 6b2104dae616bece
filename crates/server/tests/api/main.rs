//! Black-box API tests: the real server on port 0 with a fresh database per test, driven over
//! HTTP. Every feature's tests run against SQLite and PostgreSQL.

mod fixtures;
mod helpers;

mod account_changes;
mod accounts;
mod backup_restore;
mod call;
mod call_support;
mod cluster_docs;
mod cluster_quotas;
// Used by `cluster_docs` and the other multi-instance tests; not every helper by each.
#[allow(dead_code)]
mod cluster_support;
mod controls;
mod doc_peer;
mod documents;
mod draining;
mod history;
mod history_budget;
mod history_fidelity;
mod history_peer;
mod ice;
mod interview_invites;
mod interviews;
mod operator_metrics;
mod ops;
mod presence;
mod question_code;
mod questions;
mod role_matrix;
mod room_cluster;
mod room_cluster_support;
mod runs;
mod sandbox_isolation;
mod scorecards;
mod smtp;
mod sql_questions;
mod summary;
mod terminal;
mod terminal_support;
mod timeline;
mod tls_postgres;
mod tls_redis;
mod tls_support;
mod turn_relay;
mod workers;
mod workspace_migration;
mod workspaces;
