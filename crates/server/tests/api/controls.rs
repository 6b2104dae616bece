//! Interview controls (`PATCH /api/interviews/{id}/controls`): only the host and
//! co-interviewers change them, every participant reads them in the interview's detail, a
//! `controls` room event tells every socket of the interview, and bad input is refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::Cast;
use crate::helpers::{TestApp, assert_error, next_event};
use crate::runs::room_socket;

crate::on_both_backends!(
    interviewers_turn_the_candidates_autocomplete_off_and_everyone_reads_it,
    candidates_observers_and_outsiders_cannot_change_the_controls,
    a_change_reaches_every_socket_of_the_interview,
    bad_control_bodies_are_refused
);

fn controls_path(interview: &str) -> String {
    format!("/api/interviews/{interview}/controls")
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
        assert_eq!(
            controls_in_detail(app, client, &interview.id).await,
            json!({"candidate_autocomplete": true, "active_question_id": null})
        );
    }

    let off = app.patch_json(&cast.co, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        off.json::<Value>().await.unwrap(),
        json!({"controls": {"candidate_autocomplete": false, "active_question_id": null}})
    );
    for client in [&cast.host, &cast.co, &cast.observer, &cast.candidate] {
        assert_eq!(
            controls_in_detail(app, client, &interview.id).await,
            json!({"candidate_autocomplete": false, "active_question_id": null})
        );
    }

    // An empty change answers the stored controls and changes nothing.
    let same = app.patch_json(&cast.host, &controls_path(&interview.id), &json!({})).await;
    assert_eq!(
        same.json::<Value>().await.unwrap(),
        json!({"controls": {"candidate_autocomplete": false, "active_question_id": null}})
    );

    let on = app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": true})).await;
    assert_eq!(
        on.json::<Value>().await.unwrap(),
        json!({"controls": {"candidate_autocomplete": true, "active_question_id": null}})
    );
    assert_eq!(
        controls_in_detail(app, &cast.candidate, &interview.id).await,
        json!({"candidate_autocomplete": true, "active_question_id": null})
    );
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
        json!({"candidate_autocomplete": false, "active_question_id": null})
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
    let expected =
        json!({"type": "controls", "v": 1, "controls": {"candidate_autocomplete": false, "active_question_id": null}});
    assert_eq!(next_event(&mut host_socket).await, expected);
    assert_eq!(next_event(&mut observer_socket).await, expected, "non-interviewers get it too");

    // Setting what is already set sends nothing; the next event is the next real change.
    app.patch_json(&cast.host, &controls_path(&interview.id), &json!({"candidate_autocomplete": false})).await;
    app.patch_json(&cast.co, &controls_path(&interview.id), &json!({"candidate_autocomplete": true})).await;
    let expected =
        json!({"type": "controls", "v": 1, "controls": {"candidate_autocomplete": true, "active_question_id": null}});
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
    assert_eq!(
        controls_in_detail(app, &cast.host, &interview.id).await,
        json!({"candidate_autocomplete": true, "active_question_id": null})
    );
}
