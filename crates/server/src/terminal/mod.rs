//! The interactive shared terminal: at most one session per interview, in the process whose
//! room socket received `terminal_start`. A session runs the interview's shared code on this
//! process's sandbox runner (`codeview_runner::Runner::interact`, a pseudo-terminal), streams
//! what its terminal shows through the room-event hub (and so, with Redis, to every process),
//! and takes input, interrupts, end of input and stop from the room sockets of this process —
//! and, with Redis, of every other instance (`cluster`).
//!
//! - `session`: one session's task: the runner, output coalescing, the events, its end.
//! - `cluster`: with Redis, the lock that keeps one session per interview across instances,
//!   and what a socket sends relayed to the instance where the session runs.
//! - `transcript`: the last 64 KiB a terminal showed, for sockets that (re)connect.
//! - `input_rate`: each participant's allowance of terminal messages and bytes.
//!
//! Limits: one session per interview (across instances, with Redis); at most
//! `--terminal-sessions` (default 4) at once in this process, each on a sandbox slot of its own
//! beside the batch runs' slots, so neither starves the other; the runs' isolation policy;
//! starts per interview per minute as for runs (a `rate_limit` budget: with Redis, counted
//! across instances); the program's limits are the runs' (CPU, memory, processes, output) with a
//! 10-minute wall clock and an idle limit (`--terminal-idle-secs`). Ending the interview, or
//! removing the participant who started the session, stops it (at once in this process,
//! within a few seconds from another one). Who may do what is `domain::policy`'s.

mod cluster;
pub mod input_rate;
mod session;
pub mod transcript;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use codeview_runner::{INPUT_QUEUE, InteractiveJob, TerminalInput, TerminalMode};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::domain::{Language, Role};
use crate::error::AppError;
use crate::rate_limit::Budget;
use crate::realtime::room_cluster::terminal_relay::SessionState;
use crate::realtime::room_events::terminal::{TerminalErrorCode, TerminalSignal};
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION, RoomEvent};
use crate::runs::RunService;
pub use cluster::{TerminalAction, TerminalCluster};
use input_rate::InputRates;
use transcript::Transcript;

/// A terminal message refused, for `terminal_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: TerminalErrorCode,
    pub message: String,
}

impl Refusal {
    pub fn new(code: TerminalErrorCode, message: impl Into<String>) -> Refusal {
        Refusal { code, message: message.into() }
    }

    pub fn into_event(self) -> RoomEvent {
        RoomEvent::TerminalError { v: PROTOCOL_VERSION, code: self.code, message: self.message }
    }
}

/// Refuses a participant who may not type in, signal or stop a terminal (observers watch).
pub fn may_act(role: Role) -> Result<(), Refusal> {
    if role == Role::Observer {
        return Err(Refusal::new(
            TerminalErrorCode::NotAllowed,
            "You are not allowed to use the terminal as an observer.",
        ));
    }
    Ok(())
}

fn busy() -> Refusal {
    Refusal::new(TerminalErrorCode::Busy, "A terminal session already runs in this interview.")
}

/// What to start: the shared code as it is now.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub interview_id: Uuid,
    pub started_by: Uuid,
    pub language: Language,
    pub mode: TerminalMode,
    pub code: String,
}

/// Why a session was stopped from outside its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopCause {
    Stopped,
    InterviewEnded,
    StarterRemoved,
    /// Its lock lapsed and another instance's session holds the interview's now.
    Superseded,
}

impl StopCause {
    fn words(self) -> &'static str {
        match self {
            StopCause::Stopped => "stopped",
            StopCause::InterviewEnded => "stopped: the interview has ended",
            StopCause::StarterRemoved => "stopped: the participant who started it was removed",
            StopCause::Superseded => "stopped: another server instance runs this interview's terminal now",
        }
    }
}

/// The terminal sessions of this process. Cheap to clone.
#[derive(Clone)]
pub struct Terminals {
    inner: Arc<Inner>,
}

struct Inner {
    runs: RunService,
    /// Running sessions by interview. A std mutex: held for map operations only.
    sessions: Mutex<HashMap<Uuid, Arc<Session>>>,
    /// Starts per interview (`RateLimits::terminal_starts`).
    starts: Budget<Uuid>,
    rates: InputRates,
    idle: Duration,
    /// With Redis: the lock and the relay across instances.
    cluster: Option<TerminalCluster>,
}

/// One running session.
pub(crate) struct Session {
    id: Uuid,
    interview_id: Uuid,
    language: Language,
    mode: TerminalMode,
    started_by: Uuid,
    started_at: DateTime<Utc>,
    input: mpsc::Sender<TerminalInput>,
    stop: watch::Sender<Option<StopCause>>,
    /// What the terminal showed so far, and the last `seq` given out. Events are published
    /// under this lock, so a transcript and the events after it never overlap or miss.
    shown: Mutex<Shown>,
}

#[derive(Default)]
struct Shown {
    seq: u64,
    transcript: Transcript,
}

impl Terminals {
    /// `idle`: how long a program may go without input or output; `starts`: the budget of
    /// starts per interview; `cluster` with Redis.
    pub fn new(runs: RunService, idle: Duration, starts: Budget<Uuid>, cluster: Option<TerminalCluster>) -> Terminals {
        Terminals {
            inner: Arc::new(Inner {
                runs,
                sessions: Mutex::new(HashMap::new()),
                starts,
                rates: InputRates::default(),
                idle,
                cluster,
            }),
        }
    }

    /// Takes one terminal message of `bytes` input bytes from `participant`'s allowance.
    pub fn take_allowance(&self, participant: Uuid, bytes: usize) -> Result<(), Refusal> {
        if self.inner.rates.take(participant, bytes, Instant::now()) {
            Ok(())
        } else {
            Err(Refusal::new(TerminalErrorCode::RateLimited, "Too much typed too fast; slow down."))
        }
    }

    /// The session running in `interview_id` in this process, if any.
    pub fn running(&self, interview_id: Uuid) -> Option<Uuid> {
        self.session(interview_id).map(|s| s.id)
    }

    fn session(&self, interview_id: Uuid) -> Option<Arc<Session>> {
        self.inner.sessions.lock().expect("terminal sessions").get(&interview_id).cloned()
    }

    /// Starts a session (the caller checked who asks and read the code); everyone in the room
    /// gets `terminal_started`.
    pub async fn start(&self, request: StartRequest) -> Result<Uuid, Refusal> {
        let interview_id = request.interview_id;
        if self.running(interview_id).is_some() {
            return Err(busy());
        }
        let id = Uuid::now_v7();
        self.lock_for_start(interview_id, id).await?;
        let started = self.start_locked(request, id).await;
        if started.is_err() {
            self.release_lock(interview_id, id).await;
        }
        started
    }

    /// Starts session `id` once the interview's lock is held (with Redis).
    async fn start_locked(&self, request: StartRequest, id: Uuid) -> Result<Uuid, Refusal> {
        let unavailable = |message: &str| Refusal::new(TerminalErrorCode::Unavailable, message);
        let runs = &self.inner.runs;
        // The runs' isolation policy holds for the terminal too: below full isolation it
        // refuses unless the operator allowed it.
        let runner = match runs.runner_for_runs().await {
            Ok((runner, _isolation)) => runner,
            Err(message) => return Err(unavailable(message)),
        };
        let language = runner.languages().into_iter().find(|l| l.id == request.language.as_str());
        if let Some(info) = language.filter(|l| !l.available) {
            let reason = info.reason.unwrap_or_else(|| "not installed on this server".into());
            return Err(unavailable(&format!("{} is unavailable: {reason}", info.name)));
        }
        let most = runs.terminal_sessions();
        if most == 0 {
            return Err(unavailable("The interactive terminal is turned off on this server."));
        }
        if let Err(refused) = self.inner.starts.check(&request.interview_id).await {
            let wait = match refused {
                AppError::RateLimited { retry_after_secs } => format!("try again in {retry_after_secs} s"),
                _ => "wait a little".into(),
            };
            let message = format!("Too many terminal sessions were started in this interview; {wait}.");
            return Err(Refusal::new(TerminalErrorCode::RateLimited, message));
        }
        let (input, input_rx) = mpsc::channel(INPUT_QUEUE);
        let session = Arc::new(Session {
            id,
            interview_id: request.interview_id,
            language: request.language,
            mode: request.mode,
            started_by: request.started_by,
            started_at: Utc::now(),
            input,
            stop: watch::channel(None).0,
            shown: Mutex::new(Shown::default()),
        });
        {
            let mut sessions = self.inner.sessions.lock().expect("terminal sessions");
            if sessions.contains_key(&request.interview_id) {
                return Err(busy());
            }
            if sessions.len() >= most {
                return Err(unavailable("Every terminal of this server is in use; try again in a few minutes."));
            }
            sessions.insert(request.interview_id, session.clone());
        }
        let started = RoomEvent::TerminalStarted {
            v: PROTOCOL_VERSION,
            session_id: id,
            language: session.language,
            mode: session.mode,
            started_by: session.started_by,
            started_at: session.started_at,
        };
        runs.events.publish(request.interview_id, Audience::Everyone, &started);
        let mut job = InteractiveJob::new(request.language, request.code, request.mode);
        job.idle_ms = self.inner.idle.as_millis() as u64;
        tokio::spawn(session::run(self.clone(), session, runner, job, input_rx));
        Ok(id)
    }

    /// The running session `session_id` of `interview_id`, or why there is none here.
    fn target(&self, interview_id: Uuid, session_id: Uuid) -> Result<Arc<Session>, Refusal> {
        self.session(interview_id)
            .filter(|s| s.id == session_id)
            .ok_or_else(|| Refusal::new(TerminalErrorCode::NotRunning, "That terminal session is not running."))
    }

    /// Text typed by participant `by`. In line mode everyone sees it (`terminal_input`).
    pub fn input(&self, interview_id: Uuid, session_id: Uuid, by: Uuid, data: String) -> Result<(), Refusal> {
        let session = self.target(interview_id, session_id)?;
        let mut shown = session.shown.lock().expect("terminal shown");
        let permit = session.input.try_reserve().map_err(|_| {
            Refusal::new(TerminalErrorCode::RateLimited, "The program is not reading its input; wait a little.")
        })?;
        if session.mode == TerminalMode::Line {
            shown.seq += 1;
            shown.transcript.push(&data.replace('\n', "\r\n"));
            let event =
                RoomEvent::TerminalInput { v: PROTOCOL_VERSION, session_id, seq: shown.seq, data: data.clone(), by };
            self.inner.runs.events.publish(interview_id, Audience::Everyone, &event);
        }
        permit.send(TerminalInput::Data(data.into_bytes()));
        Ok(())
    }

    /// Ctrl+C or Ctrl+D.
    pub fn signal(&self, interview_id: Uuid, session_id: Uuid, signal: TerminalSignal) -> Result<(), Refusal> {
        let session = self.target(interview_id, session_id)?;
        let input = match signal {
            TerminalSignal::Interrupt => TerminalInput::Interrupt,
            TerminalSignal::Eof => TerminalInput::Eof,
        };
        session.input.try_send(input).map_err(|_| {
            Refusal::new(TerminalErrorCode::RateLimited, "The program is not reading its input; wait a little.")
        })
    }

    /// Kills the program of `session_id`.
    pub fn stop(&self, interview_id: Uuid, session_id: Uuid) -> Result<(), Refusal> {
        let session = self.target(interview_id, session_id)?;
        session.stop.send_replace(Some(StopCause::Stopped));
        Ok(())
    }

    /// The interview ended: its session (in this process) is killed.
    pub fn interview_ended(&self, interview_id: Uuid) {
        if let Some(session) = self.session(interview_id) {
            session.stop.send_replace(Some(StopCause::InterviewEnded));
        }
    }

    /// A participant was removed: the session they started (in this process) is killed.
    pub fn participant_removed(&self, interview_id: Uuid, participant_id: Uuid) {
        if let Some(session) = self.session(interview_id).filter(|s| s.started_by == participant_id) {
            session.stop.send_replace(Some(StopCause::StarterRemoved));
        }
    }

    /// The state of the session running in `interview_id` in this process, with the last `seq`
    /// its transcript holds (a socket given it skips events up to that one).
    pub fn local_state(&self, interview_id: Uuid) -> Option<SessionState> {
        let session = self.session(interview_id)?;
        let shown = session.shown.lock().expect("terminal shown");
        Some(SessionState {
            session_id: session.id,
            language: session.language,
            mode: session.mode,
            started_by: session.started_by,
            started_at: session.started_at,
            transcript: shown.transcript.text().to_owned(),
            seq: shown.seq,
        })
    }

    /// Forgets `session` once it has ended.
    fn remove(&self, session: &Session) {
        let mut sessions = self.inner.sessions.lock().expect("terminal sessions");
        if sessions.get(&session.interview_id).is_some_and(|s| s.id == session.id) {
            sessions.remove(&session.interview_id);
        }
    }
}
