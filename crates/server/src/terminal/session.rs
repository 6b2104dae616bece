//! One session's task: runs the program on the runner, coalesces its output (a flush every
//! [`FLUSH_AFTER`] or at [`FLUSH_BYTES`], whichever comes first, so a flood becomes a few
//! hundred events a second instead of one per read, far below the room channel's capacity),
//! publishes it as `terminal_output`, watches for a stop (a participant, the interview's end,
//! the starter's removal — also from another process, by looking at the store every
//! [`RECHECK_EVERY`]), renews the interview's terminal lock with Redis (`cluster`), and
//! publishes `terminal_ended` once the lock is released.

use std::sync::Arc;
use std::time::Duration;

use codeview_runner::{EndReason, InteractiveJob, Runner, TerminalEvent, TerminalInput};
use tokio::sync::mpsc;

use super::{Session, StopCause, Terminals};
use crate::domain::InterviewStatus;
use crate::realtime::room_cluster::terminal_lock::RENEW_EVERY;
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION, RoomEvent};

/// Output waits at most this long for more before it is published.
const FLUSH_AFTER: Duration = Duration::from_millis(5);
/// Output published at once when this much is waiting (and never more in one event).
const FLUSH_BYTES: usize = 4096;
/// How often the store is asked whether the interview ended or the starter was removed.
const RECHECK_EVERY: Duration = Duration::from_secs(5);

pub(super) async fn run(
    terminals: Terminals,
    session: Arc<Session>,
    runner: &'static Runner,
    job: InteractiveJob,
    input: mpsc::Receiver<TerminalInput>,
) {
    let (output, mut shown) = mpsc::channel(64);
    // Boxed so that it can be dropped (and its sandbox killed) before the end is announced.
    let mut interact = Box::pin(runner.interact(job, input, output));
    let mut stop = session.stop.subscribe();
    // A stop that came before this task subscribed is seen at the first turn.
    stop.mark_changed();
    let mut pending = String::new();
    let mut flush_at: Option<tokio::time::Instant> = None;
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    recheck.tick().await;
    let mut renew = tokio::time::interval(RENEW_EVERY);
    renew.tick().await;
    let end = loop {
        tokio::select! {
            outcome = &mut interact => break match outcome {
                Ok(o) => (o.reason, o.exit_code, o.message),
                Err(err) => (EndReason::Error, None, err.to_string()),
            },
            Some(TerminalEvent::Output { text }) = shown.recv() => {
                pending.push_str(&text);
                if pending.len() >= FLUSH_BYTES {
                    publish_output(&terminals, &session, &mut pending);
                    flush_at = None;
                } else if flush_at.is_none() {
                    flush_at = Some(tokio::time::Instant::now() + FLUSH_AFTER);
                }
            },
            _ = sleep_until_opt(flush_at) => {
                publish_output(&terminals, &session, &mut pending);
                flush_at = None;
            },
            changed = stop.changed() => {
                let cause = if changed.is_ok() { *stop.borrow() } else { None };
                if let Some(cause) = cause {
                    break (EndReason::Stopped, None, cause.words().to_owned());
                }
            },
            _ = recheck.tick() => {
                if let Some(cause) = stopped_elsewhere(&terminals, &session).await {
                    break (EndReason::Stopped, None, cause.words().to_owned());
                }
            },
            _ = renew.tick() => {
                if let Some(cause) = terminals.renew_lock(&session).await {
                    break (EndReason::Stopped, None, cause.words().to_owned());
                }
            },
        }
    };
    // Dropping the run kills its sandbox (if it still runs); what it printed is shown first.
    drop(interact);
    while let Ok(TerminalEvent::Output { text }) = shown.try_recv() {
        pending.push_str(&text);
    }
    publish_output(&terminals, &session, &mut pending);
    terminals.remove(&session);
    terminals.release_lock(session.interview_id, session.id).await;
    let (reason, exit_code, message) = end;
    let exit_code = exit_code.filter(|_| reason == EndReason::Exited);
    let ended = RoomEvent::TerminalEnded { v: PROTOCOL_VERSION, session_id: session.id, reason, exit_code, message };
    terminals.inner.runs.events.publish(session.interview_id, Audience::Everyone, &ended);
}

/// Publishes what is pending as `terminal_output` events of at most [`FLUSH_BYTES`] each, cut
/// at character boundaries.
fn publish_output(terminals: &Terminals, session: &Session, pending: &mut String) {
    if pending.is_empty() {
        return;
    }
    let text = std::mem::take(pending);
    let mut shown = session.shown.lock().expect("terminal shown");
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(FLUSH_BYTES);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (chunk, after) = rest.split_at(cut);
        rest = after;
        shown.seq += 1;
        shown.transcript.push(chunk);
        let event = RoomEvent::TerminalOutput {
            v: PROTOCOL_VERSION,
            session_id: session.id,
            seq: shown.seq,
            data: chunk.into(),
        };
        terminals.inner.runs.events.publish(session.interview_id, Audience::Everyone, &event);
    }
}

/// Whether the interview ended or the starter was removed, as the store says (another process
/// may have done it).
async fn stopped_elsewhere(terminals: &Terminals, session: &Session) -> Option<StopCause> {
    let store = &terminals.inner.runs.store;
    match store.find_interview(session.interview_id).await {
        Ok(Some(interview)) if interview.status == InterviewStatus::Ended => return Some(StopCause::InterviewEnded),
        Ok(None) => return Some(StopCause::InterviewEnded),
        _ => {}
    }
    match store.find_participant(session.started_by).await {
        Ok(None) => Some(StopCause::StarterRemoved),
        _ => None,
    }
}

async fn sleep_until_opt(t: Option<tokio::time::Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}
