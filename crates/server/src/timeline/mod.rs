//! An interview's timeline: everything the room saw, in server time, on one list — the
//! interview starting and ending, participants joining and leaving, question and control
//! changes, runs, language changes and notes edits, and the candidate's integrity signals
//! (evidence for the interviewers, never a verdict).
//!
//! - `event`: the vocabulary (`TimelineEvent`, `TimelineDetail`, `SignalData`).
//! - `recorder`: stores joins, leaves and control changes without failing or slowing them;
//!   `controls`: the events of a controls change.
//! - `signal_report`: what the candidate's browser reports, validated; `signals`: accepting
//!   reports and the server's own `large_insert`s (`large_inserts`, with `recent_pastes`),
//!   within `rates`; `socket_signals`: reports that come on the room socket.
//! - `assemble`: the timeline as the route returns it; `doc_history`: its events from the
//!   documents' history, kept per interview between requests (`derived`).
//! - `service`: the handles `AppState` keeps.

pub mod assemble;
pub mod controls;
pub mod derived;
pub mod doc_history;
pub mod event;
pub mod large_inserts;
pub mod rates;
pub mod recent_pastes;
pub mod recorder;
pub mod service;
pub mod signal_report;
pub mod signals;
pub mod socket_signals;

pub use service::Timeline;
