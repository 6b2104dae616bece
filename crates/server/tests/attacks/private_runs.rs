//! An interviewer runs a reference solution (their own `code`, not the shared document) during
//! the interview. The candidate tries to read it: from the run history, by its id, by
//! cancelling it, and from the room events. None of it may reach the candidate or an
//! observer; the co-interviewer sees it. And the other way round: when an interviewer presses
//! Run in the room, which sends the shared code it shows, the run is everyone's.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview};
use crate::helpers::{TestApp, assert_error};
use crate::support::{SocketAuth, events_until_finished, join_as_candidate, queue_run, room_socket, wait_run};

crate::on_both_backends!(
    an_interviewers_reference_run_stays_with_the_interviewers,
    an_interviewers_run_of_the_shared_code_is_everyones
);

const REFERENCE: &str = "print('reference-solution-5d2e')\n";

async fn an_interviewers_reference_run_stays_with_the_interviewers(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    let participants = format!("/api/interviews/{}/participants", interview.id);
    app.post_json(&cast.host, &participants, &json!({"email": "co@example.com", "role": "interviewer"})).await;
    app.post_json(&cast.host, &participants, &json!({"email": "observer@example.com", "role": "observer"})).await;
    let candidate = join_as_candidate(app, &interview, "Mallory").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let mut candidate_events = room_socket(app, &interview.id, SocketAuth::Cookie(&candidate.cookie)).await;
    let observer_token = app.token(&cast.observer).await;
    let mut observer_events = room_socket(app, &interview.id, SocketAuth::Token(&observer_token)).await;
    let co_token = app.token(&cast.co).await;
    let mut co_events = room_socket(app, &interview.id, SocketAuth::Token(&co_token)).await;

    let mut private = Vec::new();
    for mode in ["run", "test"] {
        let body = json!({"language": "python", "code": REFERENCE, "mode": mode});
        let run = queue_run(app, &cast.host, &interview.id, &body).await;
        let seen = events_until_finished(&mut co_events, &run).await;
        assert!(seen.iter().any(|e| e["type"] == "run_queued" && e["run_id"] == run.as_str()), "{seen:?}");
        assert!(wait_run(app, &cast.co, &run).await.to_string().contains("reference-solution-5d2e"));
        private.push(run);
    }

    // Probing by id: the run does not exist for the candidate or the observer.
    for client in [&candidate.client, &cast.observer] {
        for run in &private {
            assert_error(app.get(client, &format!("/api/runs/{run}")).await, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    let cancel = app.post_json(&candidate.client, &format!("/api/runs/{}/cancel", private[0]), &json!({})).await;
    assert_error(cancel, StatusCode::NOT_FOUND, "not_found").await;

    // The history holds only the runs they may see.
    for client in [&candidate.client, &cast.observer] {
        let history = app.get(client, &format!("/api/interviews/{}/runs", interview.id)).await.text().await.unwrap();
        assert!(private.iter().all(|run| !history.contains(run.as_str())), "{history}");
    }
    let interviewers: Value =
        app.get(&cast.co, &format!("/api/interviews/{}/runs", interview.id)).await.json().await.unwrap();
    assert_eq!(interviewers["runs"].as_array().unwrap().len(), 2, "{interviewers}");
    assert_eq!(interviewers["runs"][0]["interviewers_only"], true);

    // The room: the candidate's own run comes after the private ones on the same channel, so
    // everything sent before it has arrived by its end.
    let own = queue_run(
        app,
        &candidate.client,
        &interview.id,
        &json!({"language": "python", "code": "print(1)", "mode": "run"}),
    )
    .await;
    for socket in [&mut candidate_events, &mut observer_events] {
        let events = events_until_finished(socket, &own).await;
        let text = serde_json::to_string(&events).unwrap();
        assert!(
            private.iter().all(|run| !text.contains(run.as_str())) && !text.contains("reference-solution"),
            "a private run's events leaked: {text}"
        );
        assert!(events.iter().any(|e| e["type"] == "run_queued" && e["run_id"] == own.as_str()), "{text}");
    }
}

async fn an_interviewers_run_of_the_shared_code_is_everyones(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    let candidate = join_as_candidate(app, &interview, "Casey").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let mut candidate_events = room_socket(app, &interview.id, SocketAuth::Cookie(&candidate.cookie)).await;

    // The start seeded the question's starter code: the host's room sends exactly that.
    let body =
        json!({"language": "python", "code": "a, b = map(int, input().split())\n", "stdin": "1 2\n", "mode": "run"});
    let run = queue_run(app, &cast.host, &interview.id, &body).await;
    let seen = events_until_finished(&mut candidate_events, &run).await;
    assert!(seen.iter().any(|e| e["type"] == "run_queued" && e["run_id"] == run.as_str()), "{seen:?}");
    let view = wait_run(app, &candidate.client, &run).await;
    assert_eq!(view["interviewers_only"], false, "{view}");
}
