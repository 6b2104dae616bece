//! What the interactive terminal's tests share (the API suite's and the attack suite's): a live
//! interview with every role whose shared code is a given program, the terminal's messages,
//! and reading terminal events from a room socket.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::call_support::{Room, send};
use crate::doc_peer::DocPeer;
use crate::helpers::{Socket, TestApp, next_event_of_any_type};

/// A Python loop that greets each name it reads, and says bye at end of input.
pub const GREETER: &str = r#"while True:
    try:
        name = input("name? ")
    except EOFError:
        print("bye")
        break
    print(f"hello {name}")
"#;

/// Opens a room socket by API token while a session runs: returns it with its `terminal_state`
/// (sent after `hello` and `call_state`; `presence` may come before or after it).
pub async fn open_during_session(room: &Room, token: &str) -> (Socket, Value) {
    let url =
        format!("{}/ws/rooms/{}?token={token}", room.cast.app.base.replace("http://", "ws://"), room.interview.id);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("room socket");
    let mut seen = Vec::new();
    let mut state = None;
    while seen.len() < 3 || state.is_none() {
        let event = next_event_of_any_type(&mut socket).await;
        match event["type"].as_str().unwrap() {
            "terminal_state" => state = Some(event),
            kind if seen.len() < 3 => seen.push(kind.to_owned()),
            kind => panic!("unexpected {kind} before terminal_state: {event}"),
        }
    }
    seen.sort();
    assert_eq!(seen, ["call_state", "hello", "presence"]);
    (socket, state.unwrap())
}

/// A live interview (host, co-interviewer, observer, candidate) whose shared code is `code`.
pub async fn live_room(app: TestApp, code: &str) -> Room {
    let room = Room::new(app).await;
    let app = &room.cast.app;
    let started =
        app.post_json(&room.cast.host, &format!("/api/interviews/{}/start", room.interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let mut doc = DocPeer::open(app, &room.interview.id, &room.host).await;
    doc.append("code", code).await;
    room
}

pub async fn start(socket: &mut Socket, mode: &str) {
    send(socket, json!({"type": "terminal_start", "v": 1, "mode": mode})).await;
}

pub async fn input(socket: &mut Socket, session: &str, data: &str) {
    send(socket, json!({"type": "terminal_input", "v": 1, "session_id": session, "data": data})).await;
}

pub async fn signal(socket: &mut Socket, session: &str, signal: &str) {
    send(socket, json!({"type": "terminal_signal", "v": 1, "session_id": session, "signal": signal})).await;
}

pub async fn stop(socket: &mut Socket, session: &str) {
    send(socket, json!({"type": "terminal_stop", "v": 1, "session_id": session})).await;
}

/// The next `terminal_…` event on the socket, others skipped; 30 s at most.
pub async fn next_terminal_event(socket: &mut Socket) -> Value {
    loop {
        let event = next_event_of_any_type(socket).await;
        if event["type"].as_str().is_some_and(|t| t.starts_with("terminal_")) {
            return event;
        }
    }
}

/// Starts a session from `socket` and returns its id (from `terminal_started`).
pub async fn started(socket: &mut Socket, mode: &str) -> String {
    start(socket, mode).await;
    let event = next_terminal_event(socket).await;
    assert_eq!(event["type"], "terminal_started", "{event}");
    event["session_id"].as_str().unwrap().to_owned()
}

/// Asserts the next terminal event, past what a running session shows (`terminal_started`,
/// `terminal_output`, `terminal_input`), is a `terminal_error` with `code`.
pub async fn refused(socket: &mut Socket, code: &str) -> Value {
    let mut event = next_terminal_event(socket).await;
    while ["terminal_started", "terminal_output", "terminal_input"].contains(&event["type"].as_str().unwrap()) {
        event = next_terminal_event(socket).await;
    }
    assert_eq!((&event["type"], &event["code"]), (&json!("terminal_error"), &json!(code)), "{event}");
    assert!(event["message"].as_str().is_some_and(|m| !m.is_empty()), "{event}");
    event
}

/// What a socket's terminal shows, read from its events.
#[derive(Default)]
pub struct Screen {
    pub text: String,
    pub last_seq: u64,
    pub ended: Option<Value>,
}

impl Screen {
    /// Applies terminal events from `socket` until the screen contains `wanted` (or, for
    /// `None`, until the session ends). Output and line-mode input are shown as a browser
    /// would; `seq` must increase.
    pub async fn read_until(&mut self, socket: &mut Socket, wanted: Option<&str>) {
        loop {
            if wanted.is_some_and(|w| self.text.contains(w)) || (wanted.is_none() && self.ended.is_some()) {
                return;
            }
            let event = next_terminal_event(socket).await;
            match event["type"].as_str().unwrap() {
                "terminal_output" | "terminal_input" => {
                    let seq = event["seq"].as_u64().unwrap();
                    assert!(seq > self.last_seq, "seq goes up: {seq} after {}", self.last_seq);
                    self.last_seq = seq;
                    let data = event["data"].as_str().unwrap();
                    let shown =
                        if event["type"] == "terminal_input" { data.replace('\n', "\r\n") } else { data.into() };
                    self.text.push_str(&shown);
                }
                "terminal_ended" => {
                    assert!(wanted.is_none(), "ended before {wanted:?}: {event}; screen {:?}", self.text);
                    self.ended = Some(event);
                }
                other => panic!("unexpected {other}: {event}"),
            }
        }
    }
}
