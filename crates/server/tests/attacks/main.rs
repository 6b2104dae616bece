//! The attack suite: each test performs one attack from the security review against the real
//! server (real sockets, real sandbox, SQLite and PostgreSQL) and checks that it does no harm.
//! `docs/security.md` lists every control with the test here that checks it.
//!
//! Run alone with `make attacks`; `make test` runs it with everything else.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

#[allow(dead_code)]
#[path = "../api/fixtures.rs"]
mod fixtures;

mod hidden_tests;
mod private_runs;
mod run_queue;
mod runs_support;
mod stored_output;
