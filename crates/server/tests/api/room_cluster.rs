//! The room socket's state across two server instances on one PostgreSQL database and one
//! Redis (issue 21): instance A is the test's own server, B a `codeview serve` process.
//! Presence crosses instances, counts a participant on both once, and drops the participants
//! of an instance killed with `kill -9` within seconds; it comes back by itself after a Redis
//! restart. The interactive terminal runs on A and is typed into, stopped and joined late from
//! B, with roles checked; one session per interview holds across both, and so does its budget
//! of starts per minute; without Redis a start is refused `unavailable` and works again once
//! Redis answers. The video call is one roster
//! of at most six across both (also when eight join at once), signals reach a peer on the
//! other instance, permissions and the interview's end reach peers there, and the peers of a
//! killed instance leave it.

use std::time::Duration;

use serde_json::json;

use crate::call_support::{OFFER_AUDIO_VIDEO, Room, candidate, description, join, media, next_state, peers, send};
use crate::cluster_support::RedisServer;
use crate::helpers::{Backend, Socket, TestApp, next_call_event, next_event_of_any_type, test_redis_url};
use crate::room_cluster_support::{SecondInstance, latest_presence, online_in, presence_until, room_socket_at};
use crate::terminal_support::{GREETER, Screen, input, live_room, next_terminal_event, refused, start, started, stop};

/// How long a killed instance's participants may stay shown: the entry's lifetime (3 s) and a
/// refresh (1 s), with a generous margin for a loaded machine (the issue says "within a few
/// seconds"; the time measured is printed).
const DEAD_INSTANCE_GONE_WITHIN: Duration = Duration::from_secs(10);
/// How long a change on one instance may take to show on the other (it is announced at once;
/// the bound is for a loaded machine).
const SHOWN_WITHIN: Duration = Duration::from_secs(10);

/// Instance A (the test's server, on a fresh PostgreSQL database) and instance B on the same
/// database, both on `redis`; `None` when PostgreSQL is unavailable and not required.
async fn two_instances(redis: &str) -> Option<(TestApp, SecondInstance)> {
    let a = TestApp::try_spawn_with(Backend::Postgres, |config| config.redis_url = Some(redis.to_owned())).await?;
    let b = SecondInstance::start(&a.database_url, redis).await;
    Some((a, b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_crosses_instances_and_a_killed_instance_s_participants_leave() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, mut b)) = two_instances(&redis).await else { return };
    let room = Room::new(a).await;
    let interview = room.interview.id.clone();

    let (mut host_on_a, _) = room.open(Some(&room.host)).await;
    let mut casey_on_b = room_socket_at(&b.base, &interview, None, Some(&room.candidate_cookie)).await;
    let seen_on_b = presence_until(&mut casey_on_b, "Hana Host", true, SHOWN_WITHIN).await;
    let seen_on_a = presence_until(&mut host_on_a, "Casey", true, SHOWN_WITHIN).await;
    println!("the host on A saw the candidate on B after {seen_on_a:?}; the candidate the host after {seen_on_b:?}");

    // The candidate with a tab on each instance is present once: closing the one on A
    // leaves them present through B.
    let (casey_on_a, _) = room.open(None).await;
    drop(casey_on_a);
    let latest = latest_presence(&mut host_on_a, Duration::from_secs(3)).await;
    assert!(latest.as_ref().is_none_or(|p| online_in(p, "Casey")), "still present through B: {latest:?}");

    // An observer on B is not shown to the candidate, wherever it is.
    let mut olga_on_b = room_socket_at(&b.base, &interview, Some(&room.observer), None).await;
    presence_until(&mut host_on_a, "Olga Observer", true, SHOWN_WITHIN).await;
    let (mut casey_on_a, _) = room.open(None).await;
    let latest = latest_presence(&mut casey_on_a, Duration::from_secs(2)).await;
    assert!(
        latest.iter().all(|p| p["participants"].as_array().unwrap().iter().all(|e| e["role"] != "observer")),
        "{latest:?}"
    );
    drop(casey_on_a);
    drop(olga_on_b.close(None).await);

    b.kill9().await;
    let gone_after = presence_until(&mut host_on_a, "Casey", false, DEAD_INSTANCE_GONE_WITHIN).await;
    println!("the candidate on the killed instance B was shown gone on A after {gone_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_comes_back_by_itself_after_a_redis_restart() {
    let mut redis = RedisServer::start().await;
    let Some((a, _b)) = two_instances(&redis.url()).await else { return };
    let room = Room::new(a).await;
    let (mut host_on_a, _) = room.open(Some(&room.host)).await;
    let mut casey_on_b = room_socket_at(&_b.base, &room.interview.id, None, Some(&room.candidate_cookie)).await;
    presence_until(&mut host_on_a, "Casey", true, SHOWN_WITHIN).await;

    // Without Redis, what A knew of B lapses (the candidate is shown gone); the sockets stay open.
    redis.stop();
    presence_until(&mut host_on_a, "Casey", false, DEAD_INSTANCE_GONE_WITHIN).await;
    redis.start_again().await;
    let back_after = presence_until(&mut host_on_a, "Casey", true, SHOWN_WITHIN).await;
    println!("after Redis came back, A showed the candidate on B again after {back_after:?}");
    presence_until(&mut casey_on_b, "Hana Host", true, SHOWN_WITHIN).await;
}

/// A room socket on `base` opened while a session runs: its `terminal_state`.
async fn terminal_state_at(base: &str, interview: &str, token: &str) -> (Socket, serde_json::Value) {
    let mut socket = room_socket_at(base, interview, Some(token), None).await;
    loop {
        let event = next_event_of_any_type(&mut socket).await;
        match event["type"].as_str().unwrap() {
            "terminal_state" => return (socket, event),
            "presence" | "call_state" => {}
            other => panic!("unexpected {other} before terminal_state: {event}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_on_a_is_typed_into_joined_and_stopped_from_b() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, b)) = two_instances(&redis).await else { return };
    let room = live_room(a, GREETER).await;
    let interview = room.interview.id.clone();
    let (mut casey_on_a, _) = room.open(None).await;
    let mut host_on_b = room_socket_at(&b.base, &interview, Some(&room.host), None).await;
    let session = started(&mut casey_on_a, "line").await;
    let announced = next_terminal_event(&mut host_on_b).await;
    assert_eq!((&announced["type"], &announced["session_id"]), (&json!("terminal_started"), &json!(session)));

    // Input typed on B reaches the program on A; everyone sees it.
    let mut on_b = Screen::default();
    on_b.read_until(&mut host_on_b, Some("name? ")).await;
    input(&mut host_on_b, &session, "Ada\n").await;
    on_b.read_until(&mut host_on_b, Some("name? Ada\r\nhello Ada\r\nname? ")).await;
    let mut on_a = Screen::default();
    on_a.read_until(&mut casey_on_a, Some("name? Ada\r\nhello Ada\r\nname? ")).await;

    // A late joiner on B gets the transcript from A, then the rest, nothing twice.
    let (mut co_on_b, state) = terminal_state_at(&b.base, &interview, &room.co).await;
    assert_eq!((&state["session_id"], &state["mode"]), (&json!(session), &json!("line")), "{state}");
    assert_eq!(state["transcript"], "name? Ada\r\nhello Ada\r\nname? ");
    input(&mut casey_on_a, &session, "Bo\n").await;
    let mut rest = Screen { text: state["transcript"].as_str().unwrap().to_owned(), ..Screen::default() };
    rest.read_until(&mut co_on_b, Some("hello Bo\r\nname? ")).await;
    assert_eq!(rest.text, "name? Ada\r\nhello Ada\r\nname? Bo\r\nhello Bo\r\nname? ", "nothing twice, nothing missed");

    // Roles hold on B, and one session per interview holds across instances.
    let (mut olga_on_b, _) = terminal_state_at(&b.base, &interview, &room.observer).await;
    input(&mut olga_on_b, &session, "hi\n").await;
    refused(&mut olga_on_b, "not_allowed").await;
    start(&mut host_on_b, "line").await;
    refused(&mut host_on_b, "busy").await;

    // A stop from B ends the session on A.
    stop(&mut host_on_b, &session).await;
    on_a.read_until(&mut casey_on_a, None).await;
    let ended = on_a.ended.unwrap();
    assert_eq!((&ended["session_id"], &ended["reason"]), (&json!(session), &json!("stopped")), "{ended}");
    while next_terminal_event(&mut host_on_b).await["type"] != "terminal_ended" {}
    input(&mut host_on_b, &session, "late\n").await;
    refused(&mut host_on_b, "not_running").await;
}

/// Reads terminal events on `socket` until `terminal_ended` of `session`.
async fn until_ended(socket: &mut Socket, session: &str) {
    loop {
        let event = next_terminal_event(socket).await;
        if event["type"] == "terminal_ended" && event["session_id"] == session {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_starts_alternating_between_instances_share_the_interview_s_budget() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, b)) = two_instances(&redis).await else { return };
    let room = live_room(a, GREETER).await;
    let interview = room.interview.id.clone();
    let (mut host_on_a, _) = room.open(Some(&room.host)).await;
    let mut host_on_b = room_socket_at(&b.base, &interview, Some(&room.host), None).await;
    let began = tokio::time::Instant::now();
    let mut starts = 0usize;
    let refusal = loop {
        let (here, there) =
            if starts.is_multiple_of(2) { (&mut host_on_a, &mut host_on_b) } else { (&mut host_on_b, &mut host_on_a) };
        start(here, "line").await;
        let mut event = next_terminal_event(here).await;
        while ["terminal_output", "terminal_input"].contains(&event["type"].as_str().unwrap()) {
            event = next_terminal_event(here).await;
        }
        if event["type"] != "terminal_started" {
            break event;
        }
        starts += 1;
        let session = event["session_id"].as_str().unwrap().to_owned();
        stop(here, &session).await;
        until_ended(here, &session).await;
        until_ended(there, &session).await;
        assert!(starts <= 60, "no start was ever refused");
    };
    let elapsed = began.elapsed();
    assert_eq!((&refusal["type"], &refusal["code"]), (&json!("terminal_error"), &json!("rate_limited")), "{refusal}");
    // The budget: 20 at once, then one every 3 s. Counted per instance, the two would have let
    // about twice as many through.
    let allowed = 20 + (elapsed.as_secs_f64() / 3.0) as usize + 1;
    println!("{starts} starts in {elapsed:?} before the refusal (at most {allowed} allowed)");
    assert!((20..=allowed).contains(&starts), "{starts} starts in {elapsed:?}: the instances did not share the budget");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_a_start_is_refused_unavailable_and_works_again_when_it_returns() {
    let mut redis = RedisServer::start().await;
    let Some((a, _b)) = two_instances(&redis.url()).await else { return };
    let room = live_room(a, GREETER).await;
    let (mut casey, _) = room.open(None).await;
    redis.stop();
    start(&mut casey, "line").await;
    let refusal = refused(&mut casey, "unavailable").await;
    assert!(refusal["message"].as_str().unwrap().contains("Redis"), "{refusal}");

    redis.start_again().await;
    let deadline = tokio::time::Instant::now() + SHOWN_WITHIN;
    loop {
        start(&mut casey, "line").await;
        let event = next_terminal_event(&mut casey).await;
        if event["type"] == "terminal_started" {
            break;
        }
        assert_eq!(event["code"], "unavailable", "{event}");
        assert!(tokio::time::Instant::now() < deadline, "the terminal did not recover: {event}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Reads `call_state` events (other call events fail the test) until one lists `wanted`
/// (name, role) in order; returns it.
async fn call_state_until(socket: &mut Socket, wanted: &[(&str, &str)]) -> serde_json::Value {
    let wanted: Vec<(String, String)> = wanted.iter().map(|(n, r)| (n.to_string(), r.to_string())).collect();
    let deadline = tokio::time::Instant::now() + DEAD_INSTANCE_GONE_WITHIN;
    let mut last = None;
    loop {
        let Ok(state) = tokio::time::timeout_at(deadline, next_state(socket)).await else {
            panic!("no roster of {wanted:?} in time; the last: {last:?}");
        };
        if peers(&state) == wanted {
            return state;
        }
        last = Some(peers(&state));
    }
}

/// Joins the call from `socket` (the roster changes others made meanwhile skipped); the peer id.
async fn joined(socket: &mut Socket, media: serde_json::Value) -> String {
    send(socket, json!({"type": "call_join", "v": 1, "media": media})).await;
    loop {
        let event = next_call_event(socket).await;
        if event["type"] != "call_state" {
            assert_eq!(event["type"], "call_welcome", "{event}");
            return event["peer_id"].as_str().unwrap().to_owned();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_call_is_one_across_instances_and_a_killed_instance_s_peers_leave_it() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, mut b)) = two_instances(&redis).await else { return };
    let room = Room::new(a).await;
    let interview = room.interview.id.clone();
    let (mut hana_on_a, _) = room.open(Some(&room.host)).await;
    let mut casey_on_b = room_socket_at(&b.base, &interview, None, Some(&room.candidate_cookie)).await;
    next_state(&mut casey_on_b).await;

    let hana_peer = join(&mut hana_on_a, media(true, true)).await;
    call_state_until(&mut hana_on_a, &[("Hana Host", "host")]).await;
    let casey_peer = join(&mut casey_on_b, media(true, true)).await;
    let both = [("Hana Host", "host"), ("Casey", "candidate")];
    call_state_until(&mut casey_on_b, &both).await;
    call_state_until(&mut hana_on_a, &both).await;

    // Signals cross instances to exactly their peer.
    send(&mut hana_on_a, description(&casey_peer, "offer", OFFER_AUDIO_VIDEO)).await;
    let offer = next_call_event(&mut casey_on_b).await;
    assert_eq!((&offer["type"], &offer["from"]), (&json!("call_signal"), &json!(hana_peer)), "{offer}");
    assert_eq!(offer["description"]["type"], "offer");
    send(&mut casey_on_b, candidate(&hana_peer)).await;
    let ice = next_call_event(&mut hana_on_a).await;
    assert_eq!((&ice["type"], &ice["from"]), (&json!("call_signal"), &json!(casey_peer)), "{ice}");

    // Six overall: four more tabs of the co-interviewer, two on each instance, then a seventh.
    let mut cole = Vec::new();
    for on_a in [true, false, true, false] {
        let mut socket = match on_a {
            true => room.open(Some(&room.co)).await.0,
            false => {
                let mut socket = room_socket_at(&b.base, &interview, Some(&room.co), None).await;
                next_state(&mut socket).await;
                socket
            }
        };
        join(&mut socket, media(false, false)).await;
        cole.push(socket);
    }
    let mut seventh = room_socket_at(&b.base, &interview, Some(&room.co), None).await;
    assert_eq!(peers(&next_state(&mut seventh).await).len(), 6, "the call B shows is full");
    send(&mut seventh, json!({"type": "call_join", "v": 1, "media": media(false, false)})).await;
    let full = next_call_event(&mut seventh).await;
    assert_eq!((&full["type"], &full["code"]), (&json!("call_error"), &json!("call_full")), "{full}");

    // B dies: its peers (the candidate and two of Cole's) leave the roster A shows.
    let started = tokio::time::Instant::now();
    b.kill9().await;
    call_state_until(&mut hana_on_a, &[("Hana Host", "host"), ("Cole Co", "interviewer"), ("Cole Co", "interviewer")])
        .await;
    println!("the peers of the killed instance B left the call on A after {:?}", started.elapsed());
    drop(cole);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_on_a_lets_an_observer_on_b_speak_and_ending_the_interview_empties_the_call_on_b() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, b)) = two_instances(&redis).await else { return };
    let room = Room::new(a).await;
    let interview = room.interview.id.clone();
    let (mut hana_on_a, _) = room.open(Some(&room.host)).await;
    let mut olga_on_b = room_socket_at(&b.base, &interview, Some(&room.observer), None).await;
    next_state(&mut olga_on_b).await;
    let mut casey_on_b = room_socket_at(&b.base, &interview, None, Some(&room.candidate_cookie)).await;
    next_state(&mut casey_on_b).await;

    joined(&mut hana_on_a, media(true, true)).await;
    joined(&mut olga_on_b, media(false, false)).await;
    joined(&mut casey_on_b, media(true, true)).await;
    // Observers are "Observer" to observers and candidates, on every instance.
    call_state_until(&mut olga_on_b, &[("Hana Host", "host"), ("Observer", "observer"), ("Casey", "candidate")]).await;
    call_state_until(&mut hana_on_a, &[("Hana Host", "host"), ("Olga Observer", "observer"), ("Casey", "candidate")])
        .await;

    // The permission is changed on A; the observer's peer on B is told first, then the roster.
    let observer = room.interview.observer_participant.clone().unwrap();
    send(&mut hana_on_a, json!({"type": "call_permit", "v": 1, "participant_id": observer, "speak": true})).await;
    let mut told = next_call_event(&mut olga_on_b).await;
    while told["type"] == "call_state" && peers(&told).len() == 3 {
        told = next_call_event(&mut olga_on_b).await;
    }
    assert_eq!((&told["type"], &told["reason"]), (&json!("call_left"), &json!("permission_changed")), "{told}");
    call_state_until(&mut olga_on_b, &[("Hana Host", "host"), ("Casey", "candidate")]).await;
    let welcome_audio = joined(&mut olga_on_b, media(true, false)).await;
    assert!(!welcome_audio.is_empty(), "the observer on B joins again with audio");

    // Ending the interview on A empties the call on B: the observer there is told call_left,
    // then sees an empty roster (the candidate's socket on B is closed outright: the end
    // revokes their right on every instance).
    drop(casey_on_b);
    room.end().await;
    let mut told = next_call_event(&mut olga_on_b).await;
    while told["type"] == "call_state" && !peers(&told).is_empty() {
        told = next_call_event(&mut olga_on_b).await;
    }
    assert_eq!((&told["type"], &told["reason"]), (&json!("call_left"), &json!("interview_ended")), "{told}");
    call_state_until(&mut olga_on_b, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_joining_at_once_on_two_instances_make_six_peers_and_two_refusals() {
    let Some(redis) = test_redis_url().await else { return };
    let Some((a, b)) = two_instances(&redis).await else { return };
    let room = Room::new(a).await;
    let interview = room.interview.id.clone();
    let mut sockets = Vec::new();
    for on_a in [true, false, true, false, true, false, true, false] {
        let socket = match on_a {
            true => room.open(Some(&room.co)).await.0,
            false => {
                let mut socket = room_socket_at(&b.base, &interview, Some(&room.co), None).await;
                next_state(&mut socket).await;
                socket
            }
        };
        sockets.push(socket);
    }
    for socket in &mut sockets {
        send(socket, json!({"type": "call_join", "v": 1, "media": media(false, false)})).await;
    }
    let (mut welcomed, mut full) = (0, 0);
    for socket in &mut sockets {
        loop {
            let event = next_call_event(socket).await;
            match (event["type"].as_str().unwrap(), event["code"].as_str()) {
                ("call_state", _) => continue,
                ("call_welcome", _) => welcomed += 1,
                ("call_error", Some("call_full")) => full += 1,
                _ => panic!("unexpected {event}"),
            }
            break;
        }
    }
    assert_eq!((welcomed, full), (6, 2), "six peers overall, whichever instance they joined through");
}
