//! Attacks on the interactive terminal (the room socket): an observer starting a session,
//! typing into one, interrupting, ending its input or stopping it — each refused with
//! `not_allowed`, and nothing reaches the program or the room; a candidate starting one while
//! the interviewers paused running code; and a flood of input, cut by the participant's
//! allowance (`rate_limited`) while the session keeps serving everyone else.

use std::time::Duration;

use serde_json::json;

use crate::helpers::TestApp;
use crate::terminal_support::{
    GREETER, Screen, input, live_room, next_terminal_event, refused, signal, start, started, stop,
};

crate::on_both_backends!(
    an_observer_can_neither_start_nor_type_nor_stop,
    a_candidate_cannot_start_while_runs_are_paused,
    a_flood_of_input_is_refused_past_the_allowance_and_the_session_goes_on,
);

async fn an_observer_can_neither_start_nor_type_nor_stop(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut observer, _) = room.open(Some(&room.observer)).await;
    let (mut watcher, _) = room.open(Some(&room.observer)).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let (mut candidate, _) = room.open(None).await;
    start(&mut observer, "line").await;
    refused(&mut observer, "not_allowed").await;
    let session = started(&mut candidate, "line").await;
    for socket in [&mut host, &mut watcher] {
        let first = next_terminal_event(socket).await;
        assert_eq!((&first["type"], &first["session_id"]), (&json!("terminal_started"), &json!(session)), "{first}");
    }

    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    input(&mut observer, &session, "intruder\n").await;
    refused(&mut observer, "not_allowed").await;
    for kind in ["interrupt", "eof"] {
        signal(&mut observer, &session, kind).await;
        refused(&mut observer, "not_allowed").await;
    }
    stop(&mut observer, &session).await;
    refused(&mut observer, "not_allowed").await;

    // The program never got any of it: it still waits, and greets only the candidate.
    input(&mut candidate, &session, "Ada\n").await;
    screen.read_until(&mut host, Some("hello Ada\r\nname? ")).await;
    assert_eq!(screen.text, "name? Ada\r\nhello Ada\r\nname? ", "nothing of the observer's reached anyone");
    // Observers watch all the same (another socket of the observer's, which sent nothing).
    let mut watched = Screen::default();
    watched.read_until(&mut watcher, Some("hello Ada\r\nname? ")).await;
    assert_eq!(watched.text, screen.text);
}

async fn a_candidate_cannot_start_while_runs_are_paused(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let path = format!("/api/interviews/{}/controls", room.interview.id);
    let paused = room.cast.app.patch_json(&room.cast.host, &path, &json!({"runs_disabled": true})).await;
    assert!(paused.status().is_success());
    let (mut candidate, _) = room.open(None).await;
    start(&mut candidate, "line").await;
    refused(&mut candidate, "not_allowed").await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    started(&mut host, "line").await;
}

async fn a_flood_of_input_is_refused_past_the_allowance_and_the_session_goes_on(app: TestApp) {
    let room = live_room(app, GREETER).await;
    let (mut host, _) = room.open(Some(&room.host)).await;
    let (mut candidate, _) = room.open(None).await;
    let session = started(&mut candidate, "line").await;
    assert_eq!(next_terminal_event(&mut host).await["type"], "terminal_started");
    let mut screen = Screen::default();
    screen.read_until(&mut host, Some("name? ")).await;
    // 150 lines at once: under the socket's own burst (200 frames), over the terminal's (100).
    for n in 0..150 {
        input(&mut candidate, &session, &format!("flood {n}\n")).await;
    }
    let mut limited = 0;
    let mut echoed = 0;
    while limited + echoed < 150 {
        let event = next_terminal_event(&mut candidate).await;
        match event["type"].as_str().unwrap() {
            "terminal_error" => {
                assert_eq!(event["code"], "rate_limited", "{event}");
                limited += 1;
            }
            "terminal_input" => echoed += 1,
            "terminal_output" => {}
            other => panic!("unexpected {other}: {event}"),
        }
    }
    assert!(limited >= 40 && echoed <= 110, "{limited} refused, {echoed} accepted");
    // Someone else's allowance is their own, and the session still serves.
    input(&mut host, &session, "still here\n").await;
    screen.read_until(&mut host, Some("hello still here\r\n")).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    input(&mut candidate, &session, "back\n").await;
    screen.read_until(&mut host, Some("hello back\r\n")).await;
}
