//! The interactive shared terminal on the room socket, with the real sandbox: the candidate
//! runs a Python `input()` loop and an interviewer's socket sees the prompts, what was typed
//! and the answers; interrupt, end of input, stop; a late joiner's transcript; oversize input;
//! one session per interview; the interview's end and the starter's removal stop it; the
//! idle limit.

use reqwest::StatusCode;
use serde_json::json;

use crate::call_support::Room;
use crate::helpers::{Backend, TestApp};
use crate::terminal_support::{
    GREETER, Screen, input, live_room, next_terminal_event, open_during_session, refused, signal, start, started, stop,
};

crate::on_both_backends!(
    the_candidate_types_and_an_interviewer_sees_prompts_input_and_answers,
    an_interrupt_ends_the_program,
    a_late_joiner_gets_the_transcript_then_the_rest,
    oversize_input_and_a_second_session_are_refused,
    an_interviewer_stops_the_session_and_the_interviews_end_stops_the_next,
    removing_the_participant_who_started_it_stops_the_session,
);

/// `--terminal-sessions 0` turns the terminal off: a start is refused in words.
#[tokio::test]
async fn a_server_without_terminal_sessions_refuses_a_start() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.sandbox.terminal_sessions = 0).await.unwrap();
    let room = live_room(app, GREETER).await;
    let (mut candidate, _) = room.open(None).await;
    start(&mut candidate, "line").await;
    let refusal = refused(&mut candidate, "unavailable").await;
    assert!(refusal["message"].as_str().unwrap().contains("turned off"), "{refusal}");
}

async fn the_candidate_types_and_an_interviewer_sees_prompts_input_and_answers(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let (mut candidate, _) = room.open(None).await;
    let session = started(&mut candidate, "line").await;
    let announced = next_terminal_event(&mut host).await;
    assert_eq!(announced["type"], "terminal_started", "{announced}");
    assert_eq!((&announced["session_id"], &announced["mode"]), (&json!(session), &json!("line")));
    assert_eq!(announced["language"], "python");
    assert!(announced["started_by"].is_string() && announced["started_at"].is_string(), "{announced}");

    let mut seen = Screen::default();
    seen.read_until(&mut host, Some("name? ")).await;
    input(&mut candidate, &session, "Ada\n").await;
    seen.read_until(&mut host, Some("name? Ada\r\nhello Ada\r\nname? ")).await;
    input(&mut candidate, &session, "Grace\n").await;
    seen.read_until(&mut host, Some("hello Grace\r\n")).await;
    signal(&mut candidate, &session, "eof").await;
    seen.read_until(&mut host, None).await;
    assert!(seen.text.ends_with("bye\r\n"), "{:?}", seen.text);
    let ended = seen.ended.unwrap();
    assert_eq!((&ended["reason"], &ended["exit_code"]), (&json!("exited"), &json!(0)), "{ended}");

    // The typist's own socket got the same events, its input included.
    let mut own = Screen::default();
    own.read_until(&mut candidate, None).await;
    assert_eq!(own.text, seen.text);
}

async fn an_interrupt_ends_the_program(app: TestApp) {
    // SIGINT's default action (Python's own handler has a window before a read where the
    // interrupt waits for the next input; `docs/runner.md`).
    let program = format!("import signal\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\n{GREETER}");
    let room = live_room(app, &program).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let session = started(&mut host, "line").await;
    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    signal(&mut host, &session, "interrupt").await;
    screen.read_until(&mut host, None).await;
    let ended = screen.ended.unwrap();
    assert_eq!((&ended["reason"], &ended["exit_code"]), (&json!("interrupted"), &json!(null)), "{ended}");
    signal(&mut host, &session, "interrupt").await;
    refused(&mut host, "not_running").await;
}

async fn a_late_joiner_gets_the_transcript_then_the_rest(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut candidate, _) = room.open(None).await;
    let session = started(&mut candidate, "line").await;
    let mut screen = Screen::default();
    screen.read_until(&mut candidate, Some("name? ")).await;
    input(&mut candidate, &session, "Ada\n").await;
    screen.read_until(&mut candidate, Some("hello Ada\r\nname? ")).await;

    let (mut late, state) = open_during_session(&room, &room.co).await;
    assert_eq!(state["type"], "terminal_state", "{state}");
    assert_eq!(
        (&state["session_id"], &state["mode"], &state["language"]),
        (&json!(session), &json!("line"), &json!("python"))
    );
    assert_eq!(state["transcript"], "name? Ada\r\nhello Ada\r\nname? ");
    input(&mut candidate, &session, "Bo\n").await;
    let mut rest = Screen { text: state["transcript"].as_str().unwrap().to_owned(), ..Screen::default() };
    rest.read_until(&mut late, Some("hello Bo\r\nname? ")).await;
    assert_eq!(rest.text, "name? Ada\r\nhello Ada\r\nname? Bo\r\nhello Bo\r\nname? ", "nothing twice, nothing missed");
}

async fn oversize_input_and_a_second_session_are_refused(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut candidate, _) = room.open(None).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let session = started(&mut candidate, "raw").await;
    assert_eq!(next_terminal_event(&mut host).await["type"], "terminal_started");
    input(&mut candidate, &session, &"x".repeat(4097)).await;
    refused(&mut candidate, "invalid").await;
    input(&mut candidate, &session, "").await;
    refused(&mut candidate, "invalid").await;
    crate::call_support::send(&mut candidate, json!({"type": "terminal_start", "v": 1, "mode": "cooked"})).await;
    refused(&mut candidate, "invalid").await;
    start(&mut host, "line").await;
    refused(&mut host, "busy").await;
    input(&mut host, &uuid::Uuid::now_v7().to_string(), "hi\n").await;
    refused(&mut host, "not_running").await;
    stop(&mut host, &session).await;
    let mut screen = Screen::default();
    screen.read_until(&mut host, None).await;
    assert_eq!(screen.ended.unwrap()["reason"], "stopped");
    assert!(!screen.text.contains("xxxx"), "nothing oversize reached the program: {:?}", screen.text);
}

async fn an_interviewer_stops_the_session_and_the_interviews_end_stops_the_next(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let (mut co, _) = room.open(Some(&room.co)).await;
    let session = started(&mut host, "line").await;
    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    stop(&mut co, &session).await;
    screen.read_until(&mut host, None).await;
    let ended = screen.ended.unwrap();
    assert_eq!((&ended["reason"], &ended["exit_code"]), (&json!("stopped"), &json!(null)), "{ended}");

    let next = started(&mut host, "line").await;
    assert_ne!(next, session);
    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    room.end().await;
    screen.read_until(&mut host, None).await;
    let ended = screen.ended.unwrap();
    assert_eq!(ended["reason"], "stopped");
    assert!(ended["message"].as_str().unwrap().contains("interview has ended"), "{ended}");
    start(&mut host, "line").await;
    refused(&mut host, "not_allowed").await;
}

async fn removing_the_participant_who_started_it_stops_the_session(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let (mut candidate, _) = room.open(None).await;
    started(&mut candidate, "line").await;
    let announced = next_terminal_event(&mut host).await;
    let starter = announced["started_by"].as_str().unwrap();
    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    let path = format!("/api/interviews/{}/participants/{starter}", room.interview.id);
    assert_eq!(room.cast.app.delete(&room.cast.host, &path).await.status(), StatusCode::NO_CONTENT);
    screen.read_until(&mut host, None).await;
    let ended = screen.ended.unwrap();
    assert_eq!(ended["reason"], "stopped");
    assert!(ended["message"].as_str().unwrap().contains("removed"), "{ended}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_left_waiting_for_input_ends_as_idle() {
    let Some(app) = TestApp::try_spawn_with(Backend::Sqlite, |c| c.sandbox.terminal_idle_secs = 1).await else {
        return;
    };
    let room: Room = live_room(app, GREETER).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    started(&mut host, "line").await;
    let begun = std::time::Instant::now();
    let mut screen = Screen::default();
    screen.read_until(&mut host, None).await;
    assert_eq!(screen.ended.unwrap()["reason"], "idle");
    assert!(begun.elapsed() < std::time::Duration::from_secs(10));
}
