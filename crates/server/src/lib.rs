//! CodeView server: collaborative code interviews, self-hosted.
//!
//! Module map:
//! - `config` — command line and environment configuration.
//! - `connections` — the accept loop and its connection caps.
//! - `drain` — shutting down without errors behind a load balancer: not ready first, then stop.
//! - `state` — `AppState`, what every handler shares; `app` — the router; `http` — one module
//!   per feature's routes.
//! - `extract` — the request extractors routes and sockets share: typed input and the caller.
//! - `cluster` — this process among the instances sharing one database and Redis.
//! - `auth` — passwords, sessions, tokens, and who may reach an interview or a workspace.
//! - `db` — the `Store` trait with its SQLite and PostgreSQL backends.
//! - `domain` — validated value types (email, names, …).
//! - `evaluation` — rubrics and scorecards: who sees which, the aggregate, the export's part.
//! - `history` — every accepted document update, kept and replayed (replay, timeline).
//! - `realtime` — WebSocket adapters: collaborative documents (y-websocket), room events.
//! - `runs` — the run service: durable queue, workers, results, room events.
//! - `terminal` — the interactive shared terminal: one session per interview on the sandbox.
//! - `error` — the one error type and its JSON body.
//! - `rate_limit`, `quotas` — request budgets per address and what one account may hold.
//! - `mail` — outgoing email (workspace invites) through SMTP.
//! - `seed`, `seed_questions`, `seed_sql_questions` — the starter question library loaded at start.
//! - `summary` — an interview's summary for its hiring team (JSON, Markdown, printable HTML).
//! - `auto_end` — ends live interviews whose time is up when the host asked for it.
//! - `timeline` — an interview's timeline: stored events, integrity signals, the assembled list.
//!
//! `serve(listener, config, shutdown)` runs the whole server on a bound listener; `main`
//! and the black-box tests both use it.

#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod auto_end;
pub mod calendar;
pub mod cluster;
pub mod config;
pub mod connections;
pub mod db;
pub mod domain;
pub mod drain;
pub mod error;
pub mod evaluation;
pub mod extract;
pub mod history;
pub mod http;
pub mod ice;
pub mod mail;
pub mod quotas;
pub mod rate_limit;
pub mod realtime;
pub mod redact;
pub mod runs;
pub mod seed;
pub mod seed_questions;
pub mod seed_sql_questions;
pub mod server;
pub mod state;
pub mod summary;
pub mod telemetry;
pub mod terminal;
pub mod timeline;

pub use server::serve;
