//! Attacks on the integrity signals and the timeline: interviewers, observers and strangers
//! reporting signals in the candidate's name (over HTTP and the room socket), the candidate
//! or an observer reading the timeline, malformed, unknown and oversize reports, a flood past
//! the allowance, an interview filled past its cap, and reports before the start or after
//! the end. Nothing refused is stored or announced.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::fixtures::{Actor, Cast, Interview, create_interview};
use crate::helpers::{Backend, Socket, TestApp, assert_error};
use crate::support::{Session, SocketAuth, join_as_candidate, room_socket, still_open};

crate::on_both_backends!(
    only_the_candidate_reports_and_only_interviewers_read_the_timeline,
    malformed_unknown_and_oversize_reports_are_refused,
    a_flood_is_limited_and_dropped_on_the_socket,
    an_interview_holds_at_most_5000_signals,
    signals_are_taken_only_while_the_interview_is_live,
);

fn signals_path(interview: &str) -> String {
    format!("/api/interviews/{interview}/signals")
}

async fn report(app: &TestApp, client: &Client, interview: &str, body: Value) -> reqwest::Response {
    app.post_json(client, &signals_path(interview), &body).await
}

/// The signals on the interview's timeline, as the host reads it.
async fn stored_signals(app: &TestApp, host: &Client, interview: &str) -> Vec<Value> {
    let response = app.get(host, &format!("/api/interviews/{interview}/timeline")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let events: Vec<Value> = response.json().await.unwrap();
    events.into_iter().filter(|e| e["kind"] == "signal").collect()
}

async fn send_signal(socket: &mut Socket, signal: Value) {
    let message = json!({"type": "signal", "v": 1, "signal": signal});
    socket.send(Message::Text(message.to_string().into())).await.unwrap();
}

/// The next `call_error` on `socket` within `within`; `None` when none came (or it closed).
async fn call_error_within(socket: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let event: Value = serde_json::from_str(&text).expect("JSON event");
                if event["type"] == "call_error" {
                    return Some(event);
                }
            }
            Ok(Some(Ok(_))) => {}
            _ => return None,
        }
    }
}

/// Asserts a `call_error` with `code` answers the last message.
async fn refused_on_the_socket(socket: &mut Socket, code: &str) {
    let event = call_error_within(socket, Duration::from_secs(10)).await.expect("a call_error");
    assert_eq!(event["code"], code, "{event}");
    assert!(event["message"].as_str().is_some_and(|m| !m.is_empty()), "{event}");
}

/// True when no `call_error` arrives on `socket` within `quiet`.
async fn no_answer(socket: &mut Socket, quiet: Duration) -> bool {
    call_error_within(socket, quiet).await.is_none()
}

/// A live interview of the cast's host with its candidate's session (cookie known).
async fn live_interview(cast: &Cast, title: &str) -> (Interview, Session) {
    let interview = create_interview(&cast.app, &cast.host, json!({"title": title})).await;
    let candidate = join_as_candidate(&cast.app, &interview, "Cara Candidate").await;
    start(cast, &interview).await;
    (interview, candidate)
}

async fn start(cast: &Cast, interview: &Interview) {
    let started = cast.app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
}

async fn only_the_candidate_reports_and_only_interviewers_read_the_timeline(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let live = cast.interview(true).await;
    let id = live.id.as_str();
    let expected = [
        (Actor::Host, StatusCode::FORBIDDEN),
        (Actor::CoInterviewer, StatusCode::FORBIDDEN),
        (Actor::Observer, StatusCode::FORBIDDEN),
        (Actor::OtherCandidate, StatusCode::NOT_FOUND),
        (Actor::Stranger, StatusCode::NOT_FOUND),
        (Actor::Anonymous, StatusCode::UNAUTHORIZED),
        (Actor::Candidate, StatusCode::ACCEPTED),
    ];
    for (actor, status) in expected {
        let response = report(app, cast.client(actor), id, json!({"kind": "tab_hidden"})).await;
        match status {
            StatusCode::FORBIDDEN => {
                assert_error(response, status, "forbidden").await;
            }
            _ => assert_eq!(response.status(), status, "{actor:?} reporting"),
        }
    }
    let timeline = format!("/api/interviews/{id}/timeline");
    let readers = [
        (Actor::Host, StatusCode::OK),
        (Actor::CoInterviewer, StatusCode::OK),
        (Actor::Candidate, StatusCode::FORBIDDEN),
        (Actor::Observer, StatusCode::FORBIDDEN),
        (Actor::OtherCandidate, StatusCode::NOT_FOUND),
        (Actor::Stranger, StatusCode::NOT_FOUND),
        (Actor::Anonymous, StatusCode::UNAUTHORIZED),
    ];
    for (actor, status) in readers {
        assert_eq!(app.get(cast.client(actor), &timeline).await.status(), status, "{actor:?} reading the timeline");
    }
    let signals = stored_signals(app, &cast.host, id).await;
    assert_eq!(signals.len(), 1, "only the candidate's is stored: {signals:#?}");

    // On the room socket: refused with `forbidden`, the socket stays open, nothing stored.
    for client in [&cast.host, &cast.co, &cast.observer] {
        let token = app.token(client).await;
        let mut socket = room_socket(app, id, SocketAuth::Token(&token)).await;
        send_signal(&mut socket, json!({"kind": "paste", "length": 5000, "external": true})).await;
        refused_on_the_socket(&mut socket, "forbidden").await;
        assert!(still_open(&mut socket, Duration::from_millis(200)).await, "a refusal does not close the socket");
    }
    assert_eq!(stored_signals(app, &cast.host, id).await.len(), 1, "nothing stored from the sockets");
}

async fn malformed_unknown_and_oversize_reports_are_refused(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, candidate) = live_interview(&cast, "Malformed").await;
    let id = interview.id.as_str();
    let refused = [
        (json!({"kind": "paste", "text": "the pasted text itself"}), "text"),
        (json!({"kind": "keylog"}), "kind"),
        (json!({"kind": "large_insert", "length": 500}), "kind"),
        (json!({}), "kind"),
        (json!({"kind": "paste", "length": 10_000_001}), "length"),
        (json!({"kind": "paste", "length": -3}), "length"),
        (json!({"kind": "copy", "share": 1.5}), "share"),
        (json!({"kind": "tab_visible", "duration_ms": 86_400_001}), "duration_ms"),
        (json!({"kind": "tab_hidden", "length": 5}), "length"),
        (json!({"kind": "copy", "external": true}), "external"),
    ];
    for (body, field) in refused {
        let error = assert_error(
            report(app, &candidate.client, id, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(error["error"]["fields"][field].is_string(), "{body} names {field}: {error}");
    }
    let path = signals_path(id);
    let malformed = app.post_raw(&candidate.client, &path, "application/json", "{\"kind\": ").await;
    assert_error(malformed, StatusCode::BAD_REQUEST, "malformed_request").await;
    let plain = app.post_raw(&candidate.client, &path, "text/plain", "{\"kind\": \"paste\"}").await;
    assert_error(plain, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let oversize = app.post_head_only(&path, 2 * 1024 * 1024, Some(&candidate.cookie)).await;
    assert!(oversize.starts_with("HTTP/1.1 413") && oversize.contains("payload_too_large"), "{oversize}");

    // The same on the room socket: `invalid_message`, the socket stays open.
    let mut socket = room_socket(app, id, SocketAuth::Cookie(&candidate.cookie)).await;
    for signal in [
        json!({"kind": "large_insert", "length": 900}),
        json!({"kind": "paste", "length": -1}),
        json!({"kind": "copy", "share": 2}),
    ] {
        send_signal(&mut socket, signal).await;
        refused_on_the_socket(&mut socket, "invalid_message").await;
    }
    assert!(still_open(&mut socket, Duration::from_millis(200)).await);
    assert!(stored_signals(app, &cast.host, id).await.is_empty(), "nothing refused is stored");
}

async fn a_flood_is_limited_and_dropped_on_the_socket(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, candidate) = live_interview(&cast, "Flood").await;
    let id = interview.id.as_str();
    let began = Instant::now();
    let mut accepted = 0;
    let limited = loop {
        let response = report(app, &candidate.client, id, json!({"kind": "focus_lost"})).await;
        if response.status() != StatusCode::ACCEPTED {
            break response;
        }
        accepted += 1;
        assert!(accepted <= 100, "a flood of reports was never limited");
    };
    // A burst of 60, refilled at one every 2 s while it was sent.
    let refilled = began.elapsed().as_secs() / 2 + 1;
    assert!((60..=60 + refilled).contains(&accepted), "{accepted} accepted before the limit");
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Over the allowance the socket drops its reports without an answer and stays open.
    let mut socket = room_socket(app, id, SocketAuth::Cookie(&candidate.cookie)).await;
    for _ in 0..5 {
        send_signal(&mut socket, json!({"kind": "focus_gained", "duration_ms": 10})).await;
    }
    assert!(no_answer(&mut socket, Duration::from_millis(500)).await, "dropped, not answered");
    assert!(still_open(&mut socket, Duration::from_millis(100)).await);
    let stored = stored_signals(app, &cast.host, id).await.len() as u64;
    assert!(stored <= accepted + 1, "{stored} stored for {accepted} accepted: the socket's went past the limit");
}

async fn an_interview_holds_at_most_5000_signals(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, candidate) = live_interview(&cast, "Cap").await;
    let id = interview.id.as_str();
    assert_eq!(report(app, &candidate.client, id, json!({"kind": "tab_hidden"})).await.status(), StatusCode::ACCEPTED);
    // 4,998 more, as if reported over a long interview: 4,999 in all.
    match app.backend {
        Backend::Sqlite => {
            app.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4998) \
                 INSERT INTO interview_events (id, interview_id, at, kind, participant_id, data) \
                 SELECT randomblob(16), e.interview_id, e.at, e.kind, e.participant_id, e.data \
                 FROM interview_events e, n WHERE e.kind = 'signal'",
            )
            .await
        }
        Backend::Postgres => {
            app.execute(
                "INSERT INTO interview_events (id, interview_id, at, kind, participant_id, data) \
                 SELECT gen_random_uuid(), e.interview_id, e.at, e.kind, e.participant_id, e.data \
                 FROM interview_events e, generate_series(1, 4998) WHERE e.kind = 'signal'",
            )
            .await
        }
    }
    assert_eq!(
        report(app, &candidate.client, id, json!({"kind": "tab_visible"})).await.status(),
        StatusCode::ACCEPTED,
        "the 5,000th"
    );
    let full = report(app, &candidate.client, id, json!({"kind": "tab_hidden"})).await;
    assert_error(full, StatusCode::TOO_MANY_REQUESTS, "too_many_signals").await;
    let mut socket = room_socket(app, id, SocketAuth::Cookie(&candidate.cookie)).await;
    send_signal(&mut socket, json!({"kind": "copy", "length": 10})).await;
    assert!(no_answer(&mut socket, Duration::from_millis(500)).await, "dropped, not answered");
    assert_eq!(stored_signals(app, &cast.host, id).await.len(), 5_000);
}

async fn signals_are_taken_only_while_the_interview_is_live(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    // In the lobby: refused, on the socket too.
    let interview = create_interview(app, &cast.host, json!({"title": "Lobby"})).await;
    let id = interview.id.as_str();
    let candidate = join_as_candidate(app, &interview, "Cara Candidate").await;
    let early = report(app, &candidate.client, id, json!({"kind": "tab_hidden"})).await;
    assert_error(early, StatusCode::FORBIDDEN, "interview_not_live").await;
    let mut lobby = room_socket(app, id, SocketAuth::Cookie(&candidate.cookie)).await;
    send_signal(&mut lobby, json!({"kind": "tab_hidden"})).await;
    refused_on_the_socket(&mut lobby, "invalid_message").await;
    assert!(stored_signals(app, &cast.host, id).await.is_empty());
    // Live: taken. Ended: the candidate's session is gone.
    start(&cast, &interview).await;
    assert_eq!(report(app, &candidate.client, id, json!({"kind": "tab_hidden"})).await.status(), StatusCode::ACCEPTED);
    let ended = app.post_json(&cast.host, &format!("/api/interviews/{id}/end"), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    let late = report(app, &candidate.client, id, json!({"kind": "tab_visible"})).await;
    assert_error(late, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(stored_signals(app, &cast.host, id).await.len(), 1);

    // Ended by another process while the candidate is still signed in and connected: the
    // store refuses what arrives after (the socket may be closed first by the re-validation).
    let (other, candidate) = live_interview(&cast, "Ended elsewhere").await;
    let mut socket = room_socket(app, &other.id, SocketAuth::Cookie(&candidate.cookie)).await;
    app.execute("UPDATE interviews SET status = 'ended' WHERE status = 'live'").await;
    let after = report(app, &candidate.client, &other.id, json!({"kind": "tab_hidden"})).await;
    assert_error(after, StatusCode::FORBIDDEN, "interview_ended").await;
    send_signal(&mut socket, json!({"kind": "tab_hidden"})).await;
    if let Some(event) = call_error_within(&mut socket, Duration::from_secs(2)).await {
        assert_eq!(event["code"], "interview_ended", "{event}");
    }
    assert!(stored_signals(app, &cast.host, &other.id).await.is_empty(), "nothing stored after the end");
}
