//! One room socket's use of the interactive terminal (`crate::terminal`): it checks who sends
//! each `terminal_*` message and how much (`domain::policy`, the participant's allowance),
//! reads the shared code and language for a start as the runs API does, and answers refusals
//! with `terminal_error`, to this socket only. It also filters the hub's terminal events for
//! this socket: after the `terminal_state` it got on opening, the events already in that
//! transcript are skipped; and it remembers the sessions it saw start. With Redis, what it
//! sends reaches the session wherever it runs (`terminal::cluster`), which checks the sender
//! again; without Redis, input for a session that runs in another server process is refused
//! as `unavailable` rather than `not_running`.

use std::collections::HashSet;

use serde::Deserialize;
use uuid::Uuid;

use crate::domain::policy::{Denial, may_use_terminal};
use crate::domain::{Language, Role};
use crate::http::runs::{MAX_CODE_BYTES, shared_code};
use crate::realtime::room_events::RoomEvent;
use crate::realtime::room_events::client_messages::RoomClientMessage;
use crate::realtime::room_events::terminal::TerminalErrorCode;
use crate::state::AppState;
use crate::terminal::{Refusal, StartRequest, TerminalAction, may_act};

pub struct TerminalSeat {
    state: AppState,
    interview_id: Uuid,
    participant_id: Uuid,
    role: Role,
    /// The session of the `terminal_state` this socket got, and the last `seq` it held.
    caught_up_to: Option<(Uuid, u64)>,
    /// Sessions this socket saw start and not end (wherever they run).
    seen: HashSet<Uuid>,
}

/// The fields of a terminal event the filter looks at.
#[derive(Deserialize)]
struct Peek {
    #[serde(rename = "type")]
    kind: String,
    session_id: Option<Uuid>,
    seq: Option<u64>,
}

impl TerminalSeat {
    pub fn new(state: AppState, interview_id: Uuid, participant_id: Uuid, role: Role) -> TerminalSeat {
        TerminalSeat { state, interview_id, participant_id, role, caught_up_to: None, seen: HashSet::new() }
    }

    /// `terminal_state` for this socket when a session runs (here or, with Redis, on another
    /// instance); send it after `hello`. The socket must already be subscribed to the room's
    /// events.
    pub async fn opening_state(&mut self) -> Option<RoomEvent> {
        let state = self.state.terminals.opening_state(self.interview_id, self.participant_id).await?;
        self.caught_up_to = Some((state.session_id, state.seq));
        self.seen.insert(state.session_id);
        Some(state.event())
    }

    /// After the socket fell behind (and was told to `resync`): forgets what it saw, and gives
    /// the `terminal_state` to send again when a session runs.
    pub async fn after_lag(&mut self) -> Option<RoomEvent> {
        self.seen.clear();
        self.caught_up_to = None;
        self.opening_state().await
    }

    /// Whether the hub's event `json` goes out on this socket (only terminal events are
    /// looked at, and only those before or at the opening transcript are held back).
    pub fn passes(&mut self, json: &str) -> bool {
        if !json.starts_with("{\"type\":\"terminal_") {
            return true;
        }
        let Ok(peek) = serde_json::from_str::<Peek>(json) else { return true };
        let Some(session_id) = peek.session_id else { return true };
        match peek.kind.as_str() {
            "terminal_started" => {
                self.seen.insert(session_id);
            }
            "terminal_ended" => {
                self.seen.remove(&session_id);
            }
            _ => {}
        }
        let Some((caught, upto)) = self.caught_up_to else { return true };
        if caught != session_id {
            return true;
        }
        match (peek.kind.as_str(), peek.seq) {
            ("terminal_started", _) => false,
            (_, Some(seq)) if seq <= upto => false,
            _ => {
                self.caught_up_to = None;
                true
            }
        }
    }

    /// A terminal message that did not parse: `terminal_error` `invalid`.
    pub fn refuse_invalid(message: String) -> RoomEvent {
        Refusal::new(TerminalErrorCode::Invalid, message).into_event()
    }

    /// Handles one parsed terminal message; returns what to answer this socket (a refusal),
    /// if anything. Everything else reaches the room through the hub.
    pub async fn handle(&mut self, message: RoomClientMessage) -> Option<RoomEvent> {
        self.apply(message).await.err().map(Refusal::into_event)
    }

    async fn apply(&mut self, message: RoomClientMessage) -> Result<(), Refusal> {
        may_act(self.role)?;
        let bytes = match &message {
            RoomClientMessage::TerminalInput { data, .. } => data.len(),
            _ => 0,
        };
        let terminals = &self.state.terminals;
        terminals.take_allowance(self.participant_id, bytes)?;
        let id = self.interview_id;
        // A session runs only while the interview is live (its end stops it), so input to a
        // running session needs no other check than the role above.
        let (session_id, action) = match message {
            RoomClientMessage::TerminalStart { mode, .. } => return self.start(mode).await,
            RoomClientMessage::TerminalInput { session_id, data, .. } => (session_id, TerminalAction::Input(data)),
            RoomClientMessage::TerminalSignal { session_id, signal, .. } => {
                (session_id, TerminalAction::Signal(signal))
            }
            RoomClientMessage::TerminalStop { session_id, .. } => (session_id, TerminalAction::Stop),
            _ => return Ok(()),
        };
        terminals.act(id, session_id, self.participant_id, action).await.map_err(|r| self.elsewhere(session_id, r))
    }

    async fn start(&mut self, mode: codeview_runner::TerminalMode) -> Result<(), Refusal> {
        let state = &self.state;
        let id = self.interview_id;
        let interview = state
            .store
            .find_interview(id)
            .await
            .map_err(|e| retry("loading the interview")(e.into()))?
            .ok_or_else(|| refused(Denial::Forbidden("use the terminal of a deleted interview")))?;
        let controls = interview.controls();
        may_use_terminal(self.role, interview.status, controls.runs_disabled, true).map_err(refused)?;
        // With Redis the interview's lock decides (a session seen on an instance that died
        // must not block a new one); without it, a session seen elsewhere does.
        let seen_elsewhere = state.terminals.cluster().is_none() && !self.seen.is_empty();
        if state.terminals.running(id).is_some() || seen_elsewhere {
            return Err(Refusal::new(TerminalErrorCode::Busy, "A terminal session already runs in this interview."));
        }
        let question_ids =
            state.store.interview_question_ids(id).await.map_err(|e| retry("loading the questions")(e.into()))?;
        let active = controls.active_question(&question_ids);
        let code = shared_code(state, id, &question_ids, active).await.map_err(retry("reading the code"))?;
        let language = state.live_docs.read_language(id).await.map_err(retry("reading the language"))?;
        let language = language.and_then(|l| Language::parse(&l).ok()).unwrap_or(interview.language);
        if code.trim().is_empty() {
            return Err(Refusal::new(TerminalErrorCode::Invalid, "There is no code to run."));
        }
        if code.len() > MAX_CODE_BYTES {
            let message = format!("The code is larger than {} KiB.", MAX_CODE_BYTES / 1024);
            return Err(Refusal::new(TerminalErrorCode::Invalid, message));
        }
        let request = StartRequest { interview_id: id, started_by: self.participant_id, language, mode, code };
        state.terminals.start(request).await.map(|_| ())
    }

    /// A session this socket saw start but that does not run here runs in another process
    /// (without Redis, nothing reaches it).
    fn elsewhere(&self, session_id: Uuid, refusal: Refusal) -> Refusal {
        if refusal.code == TerminalErrorCode::NotRunning && self.seen.contains(&session_id) {
            let message = "That terminal session runs on another server instance; type from a socket connected to it.";
            return Refusal::new(TerminalErrorCode::Unavailable, message);
        }
        refusal
    }
}

/// A refusal for a failure of the store or the documents (logged), as `unavailable`.
fn retry(what: &'static str) -> impl Fn(crate::error::AppError) -> Refusal {
    move |err| {
        tracing::warn!(error = %err, "{what} for the terminal failed");
        Refusal::new(TerminalErrorCode::Unavailable, "The terminal cannot start now; try again.")
    }
}

fn refused(denial: Denial) -> Refusal {
    let message = match denial {
        Denial::Forbidden(action) => format!("You are not allowed to {action}."),
        Denial::NotLive(message) => message.to_owned(),
        Denial::NotStarted => "The interview has not started.".to_owned(),
        Denial::RunsDisabled => "The interviewers paused running code.".to_owned(),
    };
    Refusal::new(TerminalErrorCode::NotAllowed, message)
}
