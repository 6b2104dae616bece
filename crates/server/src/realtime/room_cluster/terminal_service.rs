//! The answering side of the terminal relay: this instance listens on its channel
//! (`terminal_relay::channel_of`), hands replies to the requests waiting for them, and answers
//! requests for the sessions it runs, one after another (so keystrokes keep their order).
//! A request is checked again here, whatever the asking instance checked: its sender must be
//! a participant of the interview (read from the store, not from the message), may act on a
//! terminal (`terminal::may_act`: not an observer), and pays the same allowance
//! (`take_allowance`); input obeys the same size rule as on a socket.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::dropped;
use super::terminal_relay::{Op, Outcome, RelayMessage, Request, channel_of, parse};
use crate::cluster::{Cluster, InstanceId};
use crate::db::Store;
use crate::realtime::room_events::terminal::{MAX_TERMINAL_INPUT_BYTES, TerminalErrorCode};
use crate::terminal::{Refusal, TerminalAction, Terminals, may_act};

const PART: &str = "room_terminal";
/// Requests waiting to be answered; beyond it they are dropped (the asker times out).
const REQUESTS_QUEUED: usize = 1024;

/// Listens for requests and replies (failing when Redis does not answer now) and spawns the
/// task answering requests. Nothing without Redis.
pub async fn start(cluster: &Cluster, terminals: Terminals, store: Arc<dyn Store>) -> anyhow::Result<()> {
    use anyhow::Context;
    let (Some(client), Some(_)) = (cluster.redis(), terminals.cluster()) else { return Ok(()) };
    let (queue, requests) = mpsc::channel(REQUESTS_QUEUED);
    let listener = terminals.clone();
    crate::cluster::subscriber::subscribe(
        client.clone(),
        vec![channel_of(cluster.instance())],
        move |message| match parse(message.get_payload_bytes()) {
            Some(RelayMessage::Reply(reply)) => {
                if let Some(shared) = listener.cluster() {
                    shared.relay.answered(reply);
                }
            }
            Some(RelayMessage::Request(request)) => {
                if queue.try_send(request).is_err() {
                    dropped(PART);
                }
            }
            None => dropped(PART),
        },
        || {},
    )
    .await
    .context("subscribing to the terminal relay in Redis")?;
    tokio::spawn(answer_all(terminals, store, requests));
    Ok(())
}

async fn answer_all(terminals: Terminals, store: Arc<dyn Store>, mut requests: mpsc::Receiver<Request>) {
    while let Some(request) = requests.recv().await {
        let outcome = answer(&terminals, &*store, &request)
            .await
            .unwrap_or_else(|refusal| Outcome::Refused { code: refusal.code, message: refusal.message });
        if let Some(shared) = terminals.cluster() {
            shared.relay.reply(InstanceId(request.reply_to), request.id, outcome).await;
        }
    }
}

async fn answer(terminals: &Terminals, store: &dyn Store, request: &Request) -> Result<Outcome, Refusal> {
    let interview_id = request.interview_id;
    let participant = match store.find_participant(request.participant_id).await {
        Ok(Some(participant)) if participant.interview_id == interview_id => participant,
        Ok(_) => return Err(Refusal::new(TerminalErrorCode::NotAllowed, "You are not in this interview.")),
        Err(err) => {
            tracing::warn!(error = %err, "loading a participant for a relayed terminal message failed");
            return Err(Refusal::new(TerminalErrorCode::Unavailable, "The terminal cannot be reached now; try again."));
        }
    };
    let not_running = || Refusal::new(TerminalErrorCode::NotRunning, "That terminal session is not running.");
    let action = match &request.op {
        Op::State => {
            let state = terminals.local_state(interview_id).filter(|s| s.session_id == request.session_id);
            return state.map(|state| Outcome::State { state }).ok_or_else(not_running);
        }
        Op::Input { data } if data.is_empty() || data.len() > MAX_TERMINAL_INPUT_BYTES => {
            return Err(Refusal::new(TerminalErrorCode::Invalid, "Terminal input must be 1 to 4096 bytes."));
        }
        Op::Input { data } => TerminalAction::Input(data.clone()),
        Op::Signal { signal } => TerminalAction::Signal(*signal),
        Op::Stop => TerminalAction::Stop,
    };
    may_act(participant.role)?;
    let bytes = match &action {
        TerminalAction::Input(data) => data.len(),
        _ => 0,
    };
    terminals.take_allowance(participant.id, bytes)?;
    terminals.act_here(interview_id, request.session_id, participant.id, action)?;
    Ok(Outcome::Done)
}
