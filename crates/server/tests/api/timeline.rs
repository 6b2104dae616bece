//! The interview timeline end to end: in a live interview with two questions, people open and
//! close the room, the interviewers change controls and the question, the candidate runs code
//! (the real sandbox) and reports integrity signals over HTTP and over the room socket. The
//! timeline lists each with its kind, participant and data in order; the signals reach the host
//! and the co-interviewer live and never the candidate or the observer; the summary lists them;
//! deleting the interview deletes its events.

use std::time::Duration;

use futures_util::SinkExt;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::{Cast, Interview, create_interview, create_question};
use crate::helpers::{Socket, TestApp, next_event, wait_run};
use crate::runs::queue_run;

crate::on_both_backends!(a_session_is_on_the_timeline_in_order);

/// Joins as the candidate with a client of its own; returns the session cookie (`name=value`).
async fn join_for_cookie(app: &TestApp, interview: &Interview, name: &str) -> String {
    let path = format!("/api/interviews/room/{}/join", interview.code);
    let response = app.post_json(&Client::new(), &path, &json!({"name": name, "invite": interview.invite})).await;
    assert_eq!(response.status(), StatusCode::OK, "{name} joining");
    let set = response.headers().get(SET_COOKIE).expect("a session cookie").to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

fn client_with_cookie(cookie: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

/// The interview's room socket by API token or cookie, past `hello`; with the participant id
/// `hello` names.
async fn open_room(app: &TestApp, interview: &str, token: Option<&str>, cookie: Option<&str>) -> (Socket, String) {
    let mut url = format!("{}/ws/rooms/{interview}", app.base.replace("http://", "ws://"));
    if let Some(token) = token {
        url.push_str(&format!("?token={token}"));
    }
    let mut request = url.into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("room socket");
    let hello = next_event(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    (socket, hello["participant_id"].as_str().unwrap().to_owned())
}

async fn timeline(app: &TestApp, client: &Client, interview: &str) -> Vec<Value> {
    let response = app.get(client, &format!("/api/interviews/{interview}/timeline")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap().as_array().expect("a JSON array").clone()
}

/// The timeline once `done` says it is complete (joins and leaves are stored in the
/// background); 10 s at most.
async fn timeline_once(app: &TestApp, client: &Client, interview: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..200 {
        let events = timeline(app, client, interview).await;
        if done(&events) {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the timeline never got there: {:#?}", timeline(app, client, interview).await);
}

async fn patch_controls(app: &TestApp, client: &Client, interview: &str, body: Value) {
    let response = app.patch_json(client, &format!("/api/interviews/{interview}/controls"), &body).await;
    assert_eq!(response.status(), StatusCode::OK, "changing {body}");
}

/// Events on `socket` up to the `controls` event with `runs_disabled: true` (the test's
/// last change); fails on a `call_error`.
async fn events_until_the_last_controls(socket: &mut Socket) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let event = next_event(socket).await;
        assert_ne!(event["type"], "call_error", "{event}");
        let last = event["type"] == "controls" && event["controls"]["runs_disabled"] == true;
        seen.push(event);
        if last {
            return seen;
        }
    }
}

async fn a_session_is_on_the_timeline_in_order(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let first = cast.question().await;
    let second = create_question(app, &cast.host, "Second question").await;
    let interview = create_interview(
        app,
        &cast.host,
        json!({"title": "Timeline", "question_ids": [first, second], "language": "python"}),
    )
    .await;
    let id = interview.id.as_str();
    for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
        let added = app
            .post_json(
                &cast.host,
                &format!("/api/interviews/{id}/participants"),
                &json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED);
    }
    let cookie = join_for_cookie(app, &interview, "Cara Candidate").await;
    let candidate = client_with_cookie(&cookie);
    let started = app.post_json(&cast.host, &format!("/api/interviews/{id}/start"), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);

    // Everyone opens the room, one after the other.
    let (host_token, co_token, observer_token) =
        (app.token(&cast.host).await, app.token(&cast.co).await, app.token(&cast.observer).await);
    let (mut host_socket, host) = open_room(app, id, Some(&host_token), None).await;
    let (mut co_socket, co) = open_room(app, id, Some(&co_token), None).await;
    let (mut observer_socket, observer) = open_room(app, id, Some(&observer_token), None).await;
    let (mut candidate_socket, casey) = open_room(app, id, None, Some(&cookie)).await;

    // Controls: a lock, a change that changes nothing, a question switch, two controls at once.
    patch_controls(app, &cast.host, id, json!({"editor_locked": true})).await;
    patch_controls(app, &cast.co, id, json!({"editor_locked": true})).await;
    patch_controls(app, &cast.co, id, json!({"active_question_id": second, "runs_disabled": false})).await;
    patch_controls(app, &cast.host, id, json!({"editor_locked": false, "candidate_autocomplete": false})).await;

    // The candidate runs code.
    let body = json!({"language": "python", "code": "print(6 * 7)\n", "mode": "run"});
    let run = queue_run(app, &candidate, id, body).await;
    let finished = wait_run(app, &cast.host, &run).await;
    assert_eq!((finished["status"].as_str(), finished["stdout"].as_str()), (Some("finished"), Some("42\n")));

    // Two signals: one over HTTP, one over the room socket.
    let response = app
        .post_json(
            &candidate,
            &format!("/api/interviews/{id}/signals"),
            &json!({"kind": "paste", "length": 120, "external": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let stored: Value = response.json().await.unwrap();
    assert_eq!(stored["participant_id"], casey.as_str());
    assert_eq!(stored["signal"], json!({"kind": "paste", "length": 120, "external": true}));
    let message = json!({"type": "signal", "v": 1, "signal": {"kind": "tab_hidden"}});
    candidate_socket.send(Message::Text(message.to_string().into())).await.unwrap();

    // The interviewers see both live.
    for socket in [&mut host_socket, &mut co_socket] {
        let mut signals = Vec::new();
        while signals.len() < 2 {
            let event = next_event(socket).await;
            if event["type"] == "signal" {
                assert_eq!(event["participant_id"], casey.as_str(), "{event}");
                assert!(event["at"].is_string() && event["v"] == 1, "{event}");
                signals.push(event["signal"].clone());
            }
        }
        assert_eq!(signals, [json!({"kind": "paste", "length": 120, "external": true}), json!({"kind": "tab_hidden"})]);
    }
    // The candidate and the observer get everything published after, and no signal.
    patch_controls(app, &cast.host, id, json!({"runs_disabled": true})).await;
    for (who, socket) in [("candidate", &mut candidate_socket), ("observer", &mut observer_socket)] {
        let seen = events_until_the_last_controls(socket).await;
        assert!(seen.iter().all(|event| event["type"] != "signal"), "a signal reached the {who}: {seen:#?}");
    }

    // The candidate leaves; then the interview ends.
    candidate_socket.close(None).await.unwrap();
    let left = |events: &[Value]| events.iter().any(|e| e["kind"] == "left" && e["participant_id"] == casey.as_str());
    timeline_once(app, &cast.co, id, left).await;
    let ended = app.post_json(&cast.host, &format!("/api/interviews/{id}/end"), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);

    let events = timeline(app, &cast.host, id).await;
    let ats: Vec<&str> = events.iter().map(|e| e["at"].as_str().expect("at")).collect();
    let times: Vec<chrono::DateTime<chrono::Utc>> = ats.iter().map(|at| at.parse().expect("RFC 3339")).collect();
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "ordered by at: {ats:?}");
    let name = |id: &Value| -> &str {
        match id.as_str() {
            None => "-",
            Some(id) if id == host => "host",
            Some(id) if id == co => "co",
            Some(id) if id == observer => "observer",
            Some(id) if id == casey => "candidate",
            Some(other) => panic!("an unknown participant {other}"),
        }
    };
    let listed: Vec<(String, &str, Value)> = events
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_owned(), name(&e["participant_id"]), e["data"].clone()))
        .collect();
    let event = |kind: &str, who: &'static str, data: Value| (kind.to_owned(), who, data);
    let run_finished = json!({"run_id": run, "status": "finished", "verdict": null});
    let expected = vec![
        event("started", "-", json!({})),
        event("joined", "host", json!({"role": "host"})),
        event("joined", "co", json!({"role": "interviewer"})),
        event("joined", "observer", json!({"role": "observer"})),
        event("joined", "candidate", json!({"role": "candidate"})),
        event("control_changed", "host", json!({"changes": {"editor_locked": true}})),
        event("question_changed", "co", json!({"question_id": second})),
        event("control_changed", "host", json!({"changes": {"editor_locked": false, "candidate_autocomplete": false}})),
        event("run_started", "candidate", json!({"run_id": run, "language": "python", "mode": "run"})),
        event("run_finished", "candidate", run_finished),
        event("signal", "candidate", json!({"kind": "paste", "length": 120, "external": true})),
        event("signal", "candidate", json!({"kind": "tab_hidden"})),
        event("control_changed", "host", json!({"changes": {"runs_disabled": true}})),
        event("left", "candidate", json!({"role": "candidate"})),
        event("ended", "-", json!({})),
    ];
    assert_eq!(listed, expected);
    let paste = events.iter().find(|e| e["kind"] == "signal").unwrap();
    assert_eq!(paste["at"], stored["at"], "the time the report was answered with is the timeline's");

    // The summary lists the signals with their times.
    let summary = app.get(&cast.host, &format!("/api/interviews/{id}/summary?format=md")).await.text().await.unwrap();
    let section = summary.split("## Integrity signals").nth(1).expect("an integrity signals section");
    assert!(
        section.contains("Pasted 120 characters into the editor, not copied from this interview's editor"),
        "{section}"
    );
    assert!(section.contains("The interview page was hidden"), "{section}");
    let json: Value = app.get(&cast.host, &format!("/api/interviews/{id}/summary")).await.json().await.unwrap();
    let kinds: Vec<&str> =
        json["signals"].as_array().unwrap().iter().map(|s| s["signal"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["paste", "tab_hidden"]);

    // Deleting the interview deletes its events.
    drop((host_socket, co_socket, observer_socket));
    assert_eq!(app.delete(&cast.host, &format!("/api/interviews/{id}")).await.status(), StatusCode::NO_CONTENT);
    tokio::time::sleep(Duration::from_millis(300)).await; // the sockets' last leaves, refused
    assert_eq!(app.row_count("interview_events").await, 0);
}
