//! `GET /ws/rooms/{interview_id}`: the room's JSON event stream (run output as it happens,
//! status changes), filtered per role: output of hidden test cases reaches interviewers only.
//! Candidates may listen from the lobby, so they learn the moment the interview starts.
//! The socket closes (4401/4403) as soon as its credential or right is gone, and no event
//! leaves after that.
//!
//! The browser sends the video call's messages on it (`call_seat`) and the candidate's
//! integrity signals (`timeline::socket_signals`); each frame, text or binary, counts against
//! the socket's `message_rate`, and a socket over it is closed (4429).
//! After `presence` the socket gets `call_state` (who is in the call), and `terminal_state`
//! when an interactive terminal session runs; the terminal's messages go to `terminal_seat`,
//! and a refused one is answered `terminal_error` (never `call_error`).
//!
//! An open socket makes its participant present: after `hello` the socket gets a `presence`
//! event (who is here), and every socket of the interview gets a new one when a participant
//! comes online (first socket) or goes offline (last socket closed) — on any instance, with
//! Redis (`room_cluster::presence`) — and the timeline records it (`joined`, `left`) when it
//! happens through this instance's sockets.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::call_seat::CallSeat;
use super::doc_socket::SocketQuery;
use super::message_rate::{MessageRate, TOO_MANY_MESSAGES};
use super::revocations::SocketRights;
use super::terminal_seat::TerminalSeat;
use super::ws_auth::{check_origin, register_socket, socket_caller};
use crate::auth::interview_access;
use crate::domain::Role;
use crate::domain::policy::sees_sandbox_isolation;
use crate::error::AppResult;
use crate::extract::MaybeAuthenticated;
use crate::extract::{ApiPath, ApiQuery};
use crate::realtime::room_events::client_messages::{RoomClientMessage, claims_terminal_type, parse_client_message};
use crate::realtime::room_events::{Audience, CallMember, PROTOCOL_VERSION, Published, RoomEvent};
use crate::state::AppState;
use crate::timeline::event::TimelineDetail;
use crate::timeline::signals::Reporter;
use crate::timeline::socket_signals::signal_from_socket;

const PING_EVERY: Duration = Duration::from_secs(20);
/// How long a closing socket waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

pub async fn open_room_socket(
    State(state): State<AppState>,
    MaybeAuthenticated(cookie_caller): MaybeAuthenticated,
    headers: HeaderMap,
    ApiPath(interview_id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<SocketQuery>,
    upgrade: WebSocketUpgrade,
) -> AppResult<Response> {
    check_origin(&state, &headers)?;
    let auth = socket_caller(&state, cookie_caller, query.token.as_deref()).await?;
    let access = interview_access(&state, &auth.caller, interview_id).await?;
    let rights = register_socket(&state, &access, auth.credential);
    let hello = RoomEvent::Hello {
        v: PROTOCOL_VERSION,
        interview_id,
        participant_id: access.participant.id,
        role: access.role(),
        sandbox: if sees_sandbox_isolation(access.role()) { state.runs.degraded_isolation() } else { None },
    };
    // Subscribed before the participant counts as present, so this socket hears every change after.
    let events = state.runs.events.subscribe(interview_id);
    let role = access.role();
    let member = CallMember { participant_id: access.participant.id, name: access.participant.name, role };
    let seat = CallSeat::new(state.clone(), interview_id, member);
    let terminal = TerminalSeat::new(state.clone(), interview_id, access.participant.id, role);
    let here = Here { state, interview_id, participant_id: access.participant.id, role, counted: false };
    Ok(upgrade
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| run_socket(socket, hello, events, rights, here, seat, terminal)))
}

async fn run_socket(
    socket: WebSocket,
    hello: RoomEvent,
    mut events: tokio::sync::broadcast::Receiver<Published>,
    mut rights: SocketRights,
    mut here: Here,
    mut seat: CallSeat,
    mut terminal: TerminalSeat,
) {
    let _open = crate::realtime::open_sockets::OpenSocket::count("room");
    let (mut sink, mut stream) = socket.split();
    let presence = here.arrive().await;
    let call_state = here.state.runs.events.call_state_for(here.interview_id, here.role);
    let terminal_state = terminal.opening_state().await;
    for event in [Some(hello), presence, Some(call_state), terminal_state].into_iter().flatten() {
        let json = serde_json::to_string(&event).expect("events serialise");
        if sink.send(Message::Text(json.into())).await.is_err() {
            return;
        }
    }
    let rate = MessageRate::default();
    let mut ping = tokio::time::interval(PING_EVERY);
    let close_with = loop {
        tokio::select! {
            biased;
            revoked = rights.revoked() => break Some((revoked.code, revoked.reason)),
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break None,
                Some(Ok(Message::Text(text))) => {
                    if !rate.take() {
                        break Some(TOO_MANY_MESSAGES);
                    }
                    let answer = match parse_client_message(text.as_str()) {
                        Ok(RoomClientMessage::Signal { signal, .. }) => {
                            signal_from_socket(&here.state, here.reporter(), signal).await
                        }
                        Ok(message) if message.is_terminal() => terminal.handle(message).await,
                        Err(why) if claims_terminal_type(text.as_str()) => Some(TerminalSeat::refuse_invalid(why)),
                        parsed => seat.handle(parsed).await,
                    };
                    let Some(answer) = answer else { continue };
                    if let Some(revoked) = rights.revoked_now() {
                        break Some((revoked.code, revoked.reason));
                    }
                    let json = serde_json::to_string(&answer).expect("events serialise");
                    if sink.send(Message::Text(json.into())).await.is_err() {
                        break None;
                    }
                }
                Some(Ok(Message::Binary(_))) if !rate.take() => break Some(TOO_MANY_MESSAGES),
                Some(Ok(_)) => {}
            },
            event = events.recv() => match event {
                Ok(published) => {
                    // The audience is judged at send time, against the rights as they are now.
                    if let Some(revoked) = rights.revoked_now() {
                        break Some((revoked.code, revoked.reason));
                    }
                    if !published.audience.includes(rights.role().is_interviewer(), seat.peer_id()) {
                        continue;
                    }
                    if !terminal.passes(&published.json) {
                        continue;
                    }
                    if sink.send(Message::Text(published.json.to_string().into())).await.is_err() {
                        break None;
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    let resync = serde_json::to_string(&RoomEvent::Resync { v: PROTOCOL_VERSION }).expect("serialises");
                    if sink.send(Message::Text(resync.into())).await.is_err() {
                        break None;
                    }
                    // The terminal cannot be reloaded over HTTP: its state comes again.
                    if let Some(state) = terminal.after_lag().await {
                        let json = serde_json::to_string(&state).expect("events serialise");
                        if sink.send(Message::Text(json.into())).await.is_err() {
                            break None;
                        }
                    }
                }
                Err(RecvError::Closed) => break Some((1001, "room closed")),
            },
            _ = ping.tick() => {
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break None;
                }
            }
        }
    };
    // Out of the call and the room before the closing handshake.
    drop(seat);
    drop(here);
    if let Some((code, reason)) = close_with {
        let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
        // Frames the client sent before it saw the close (a flood) are read and dropped until
        // its close answers ours: a connection closed with unread data is reset, and the
        // client could lose the close frame and its code.
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            while let Some(Ok(message)) = stream.next().await {
                if matches!(message, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
}

/// A participant's open room socket, counted while it lives (see `room_events::presence`).
struct Here {
    state: AppState,
    interview_id: Uuid,
    participant_id: Uuid,
    role: Role,
    /// Set once counted: an upgrade that never happened must not uncount another tab.
    counted: bool,
}

impl Here {
    /// Counts the socket as open. When the participant came online, every socket of the
    /// interview that may see them (this one included, already subscribed) gets the new
    /// presence. When this socket's audience was not told — another tab, an observer, whom
    /// their own audience is not shown, or a reconnection whose departure was never announced,
    /// so nothing changed — the presence for this socket alone is returned, to send after `hello`.
    async fn arrive(&mut self) -> Option<RoomEvent> {
        let events = &self.state.runs.events;
        self.counted = true;
        if events.socket_opened(self.interview_id, self.participant_id) {
            self.record(TimelineDetail::Joined { role: self.role });
            let told = announce(&self.state, self.interview_id).await;
            if told.iter().any(|audience| audience.includes(self.role.is_interviewer(), None)) {
                return None;
            }
        }
        match self.state.store.list_participants(self.interview_id).await {
            Ok(participants) => Some(events.presence_for(self.interview_id, &participants, self.role)),
            Err(err) => {
                tracing::warn!(error = %err, "loading the participants for presence failed");
                None
            }
        }
    }

    /// Records a coming or going on the timeline, in the background.
    fn record(&self, detail: TimelineDetail) {
        let at = chrono::Utc::now();
        self.state.timeline.recorder.record(self.interview_id, Some(self.participant_id), at, detail);
    }

    /// Who reports the signals this socket sends.
    fn reporter(&self) -> Reporter {
        Reporter { interview_id: self.interview_id, participant_id: self.participant_id, role: self.role }
    }
}

impl Drop for Here {
    fn drop(&mut self) {
        if !self.counted || !self.state.runs.events.socket_closed(self.interview_id, self.participant_id) {
            return;
        }
        self.record(TimelineDetail::Left { role: self.role });
        // The runtime is gone only when the process is stopping; nobody is left to tell then.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (state, interview_id) = (self.state.clone(), self.interview_id);
            runtime.spawn(async move {
                announce(&state, interview_id).await;
            });
        }
    }
}

/// Sends the sockets of the interview (in this process) who is online now, after a participant
/// came or went; returns the audiences told.
pub async fn announce(state: &AppState, interview_id: Uuid) -> Vec<Audience> {
    match state.store.list_participants(interview_id).await {
        Ok(participants) => state.runs.events.announce_presence(interview_id, &participants),
        Err(err) => {
            tracing::warn!(error = %err, "loading the participants for presence failed");
            Vec::new()
        }
    }
}
