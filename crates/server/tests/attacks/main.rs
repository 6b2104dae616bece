//! The attack suite: each test performs one attack from the security review against the real
//! server (real sockets, real sandbox, SQLite and PostgreSQL) and checks that it does no harm.
//! `docs/security.md` lists every control with the test here that checks it.
//!
//! Run alone with `make attacks`; `make test` runs it with everything else.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod doc_memory;
mod doc_roots;
#[allow(dead_code)]
#[path = "../api/fixtures.rs"]
mod fixtures;

#[allow(dead_code)]
#[path = "../api/call_support.rs"]
mod call_support;

#[allow(dead_code)]
#[path = "../api/cluster_support.rs"]
mod cluster_support;

#[allow(dead_code)]
#[path = "../api/doc_peer.rs"]
mod doc_peer;

#[allow(dead_code)]
#[path = "../api/terminal_support.rs"]
mod terminal_support;

mod access_account;
mod access_invites;
mod access_questions;
mod access_sockets;
mod access_tokens;
mod call_signalling;
mod cluster_rate_limits;
mod cluster_rights;
mod edge_clients;
mod edge_forwarded_for;
mod edge_hsts;
mod edge_login_throttle;
mod edge_metrics;
mod edge_password_flood;
mod edge_slow_bodies;
mod editor_lock;
mod hidden_tests;
mod private_runs;
mod quotas;
mod rights_cluster_support;
mod run_queue;
mod runner_jam;
mod scorecards;
mod signals;
mod stored_output;
mod summary_markup;
mod support;
mod terminal;
mod workspaces;
