//! Interview controls (`PATCH /api/interviews/{id}/controls`): only the host and
//! co-interviewers change them, every participant reads them in the interview's detail, a
//! `controls` room event tells every socket of the interview, and bad input is refused.
//! `auto_end` ends an overdue live interview as `POST …/end` does.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview};
use crate::helpers::{TestApp, assert_error, next_event};
use crate::runs::room_socket;

crate::on_both_backends!(
    interviewers_turn_the_candidates_autocomplete_off_and_everyone_reads_it,
    candidates_observers_and_outsiders_cannot_change_the_controls,
    a_change_reaches_every_socket_of_the_interview,
    bad_control_bodies_are_refused,
    interviewers_lock_the_editor_pause_runs_and_set_auto_end,
    auto_end_ends_an_overdue_interview_as_ending_it_by_hand_does,
);

fn controls_path(interview: &str) -> String {
    format!("/api/interviews/{interview}/controls")
}

/// The whole controls object: the defaults with `changes` applied.
fn controls(changes: Value) -> Value {
    let mut all = json!({
        "candidate_autocomplete": true,
        "active_question_id": null,
        "editor_locked": false,
        "runs_disabled": false,
        "auto_end": false
    });
    for (key, value) in changes.as_object().expect("an object") {
        assert!(all.get(key).is_some(), "unknown control {key}");
        all[key] = value.clone();
    }
    all
}

async fn controls_in_detail(app: &TestApp, client: &reqwest::Client, interview: &str) -> Value {
    let response = app.get(client, &format!("/api/interviews/{interview}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["controls"].clone()
}

async fn interviewers_turn_the_candidates_autocomplete_off_and_everyone_reads_it(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    for client in [&cast.host, &cast.co, &cast.observer, &cast.candidate] {
        assert_eq!(controls_in_detail(app, client, &interview.id).await, controls(json!({})));
    }

    let off = app.patch_json(&cast.co, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        off.json::<Value>().await.unwrap(),
        json!({"controls": controls(json!({"candidate_autocomplete": false}))})
    );
    for client in [&cast.host, &cast.co, &cast.observer, &cast.candidate] {
        assert_eq!(
            controls_in_detail(app, client, &interview.id).await,
            controls(json!({"candidate_autocomplete": false}))
        );
    }

    // An empty change answers the stored controls and changes nothing.
    let same = app.patch_json(&cast.host, &controls_path(&interview.id), &json!({})).await;
    assert_eq!(
        same.json::<Value>().await.unwrap(),
        json!({"controls": controls(json!({"candidate_autocomplete": false}))})
    );

    let on = app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": true})).await;
    assert_eq!(on.json::<Value>().await.unwrap(), json!({"controls": controls(json!({}))}));
    assert_eq!(controls_in_detail(app, &cast.candidate, &interview.id).await, controls(json!({})));
}

async fn candidates_observers_and_outsiders_cannot_change_the_controls(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    let turn_on = json!({"candidate_autocomplete": true});
    let path = controls_path(&interview.id);

    // The candidate cannot turn back on what was turned off for them.
    assert_error(app.patch_json(&cast.candidate, &path, &turn_on).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.patch_json(&cast.observer, &path, &turn_on).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.patch_json(&cast.stranger, &path, &turn_on).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.patch_json(&cast.other_candidate, &path, &turn_on).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let anonymous = app.patch_json(&cast.anonymous, &path, &turn_on).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        controls_in_detail(app, &cast.host, &interview.id).await,
        controls(json!({"candidate_autocomplete": false}))
    );
}

async fn a_change_reaches_every_socket_of_the_interview(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let mut host_socket = room_socket(app, &interview.id, &app.token(&cast.host).await).await;
    let mut observer_socket = room_socket(app, &interview.id, &app.token(&cast.observer).await).await;

    let off =
        app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    assert_eq!(off.status(), StatusCode::OK);
    let expected = json!({"type": "controls", "v": 1, "controls": controls(json!({"candidate_autocomplete": false}))});
    assert_eq!(next_event(&mut host_socket).await, expected);
    assert_eq!(next_event(&mut observer_socket).await, expected, "non-interviewers get it too");

    // Setting what is already set sends nothing; the next event is the next real change.
    app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    app.patch_json(&cast.co, &controls_path(&interview.id), &json!({"candidate_autocomplete": true})).await;
    let expected = json!({"type": "controls", "v": 1, "controls": controls(json!({}))});
    assert_eq!(next_event(&mut observer_socket).await, expected);
}

async fn bad_control_bodies_are_refused(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(false).await;
    let path = controls_path(&interview.id);
    let unknown = app.patch_json(&cast.host, &path, &json!({"candidate_autocomplete": false, "paste": false})).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_type = app.patch_json(&cast.host, &path, &json!({"candidate_autocomplete": "no"})).await;
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing =
        app.patch_json(&cast.host, "/api/interviews/00000000-0000-0000-0000-000000000000/controls", &json!({})).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(controls_in_detail(app, &cast.host, &interview.id).await, controls(json!({})));
}

async fn interviewers_lock_the_editor_pause_runs_and_set_auto_end(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let path = controls_path(&interview.id);
    let mut observer_socket = room_socket(app, &interview.id, &app.token(&cast.observer).await).await;

    let locked = app.patch_json(&cast.co, &path, &json!({"editor_locked": true, "runs_disabled": true})).await;
    assert_eq!(locked.status(), StatusCode::OK);
    let expected = controls(json!({"editor_locked": true, "runs_disabled": true}));
    assert_eq!(locked.json::<Value>().await.unwrap(), json!({"controls": expected}));
    assert_eq!(
        next_event(&mut observer_socket).await,
        json!({"type": "controls", "v": 1, "controls": expected}),
        "every socket learns at once"
    );
    // The automatic end is the host's call: a co-interviewer's attempt changes nothing.
    let not_theirs = app.patch_json(&cast.co, &path, &json!({"auto_end": true, "editor_locked": false})).await;
    assert_error(not_theirs, StatusCode::FORBIDDEN, "forbidden").await;
    let auto = app.patch_json(&cast.host, &path, &json!({"auto_end": true, "editor_locked": false})).await;
    let expected = controls(json!({"runs_disabled": true, "auto_end": true}));
    assert_eq!(auto.json::<Value>().await.unwrap(), json!({"controls": expected}));
    for client in [&cast.host, &cast.co, &cast.observer, &cast.candidate] {
        assert_eq!(controls_in_detail(app, client, &interview.id).await, expected);
    }

    for field in ["editor_locked", "runs_disabled", "auto_end"] {
        let body = json!({ field: false });
        assert_error(app.patch_json(&cast.candidate, &path, &body).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_error(app.patch_json(&cast.observer, &path, &body).await, StatusCode::FORBIDDEN, "forbidden").await;
        let wrong_type = app.patch_json(&cast.host, &path, &json!({ field: "yes" })).await;
        assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
    }
    assert_eq!(controls_in_detail(app, &cast.host, &interview.id).await, expected, "unchanged by the refusals");
}

async fn status_of(app: &TestApp, client: &reqwest::Client, interview: &str) -> Value {
    let response = app.get(client, &format!("/api/interviews/{interview}")).await;
    response.json::<Value>().await.unwrap()["interview"]["status"].clone()
}

async fn auto_end_ends_an_overdue_interview_as_ending_it_by_hand_does(app: TestApp) {
    let app = app.restart_with(|config| config.auto_end_check_ms = 100).await;
    let cast = Cast::new(app).await;
    let app = &cast.app;
    // Overdue with auto end: the candidate is in it (`Cast::interview` titles it "Backend pairing").
    let overdue = cast.interview(true).await;
    let mut host_socket = room_socket(app, &overdue.id, &app.token(&cast.host).await).await;
    // Overdue without auto end, and auto end not yet due: both stay live.
    let manual = create_interview(app, &cast.host, json!({"title": "Overdue by hand"})).await;
    let fresh = create_interview(app, &cast.host, json!({"title": "Fresh", "duration_minutes": 60})).await;
    for started in [&manual, &fresh] {
        let response = app.post_json(&cast.host, &format!("/api/interviews/{}/start", started.id), &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    for auto in [&overdue, &fresh] {
        let response = app.patch_json(&cast.host, &controls_path(&auto.id), &json!({"auto_end": true})).await;
        assert_eq!(response.status(), StatusCode::OK);
        if auto.id == overdue.id {
            next_event(&mut host_socket).await; // the controls event
        }
    }
    app.execute(
        "UPDATE interviews SET started_at = '2020-01-01 09:00:00+00:00' \
         WHERE status = 'live' AND title IN ('Backend pairing', 'Overdue by hand')",
    )
    .await;

    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), next_event(&mut host_socket)).await;
    assert_eq!(ended.expect("the status event"), json!({"type": "status", "v": 1, "status": "ended"}));
    assert_eq!(status_of(app, &cast.host, &overdue.id).await, "ended");
    // Exactly as by hand: the candidate is signed out.
    let candidate = app.get(&cast.candidate, &format!("/api/interviews/{}", overdue.id)).await;
    assert_eq!(candidate.status(), StatusCode::UNAUTHORIZED);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(status_of(app, &cast.host, &manual.id).await, "live", "no auto end unless it was turned on");
    assert_eq!(status_of(app, &cast.host, &fresh.id).await, "live", "not before its time");
}
