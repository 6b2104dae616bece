//! Attacks on scorecards: an interviewer reads the others' scores before submitting their own
//! (to be swayed, or to copy them); an author changes a submitted scorecard; a candidate or an
//! observer writes one; a co-interviewer reopens someone's submitted scorecard; the host of
//! another interview reopens one by its id through their own interview. Each must do nothing.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview, create_interview};
use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    an_interviewer_cannot_read_the_others_scores_before_submitting,
    a_submitted_scorecard_cannot_be_changed_by_its_author,
    candidates_and_observers_cannot_write_a_scorecard,
    only_the_host_of_the_interview_reopens_a_scorecard
);

const SECRET: &str = "bea-thinks-4b7e";

fn path(interview: &str, rest: &str) -> String {
    format!("/api/interviews/{interview}/{rest}")
}

fn complete(comment: &str, recommendation: &str) -> Value {
    let ratings: Vec<Value> = ["problem_solving", "code_quality", "communication", "testing"]
        .iter()
        .map(|c| json!({"criterion_id": c, "score": 4, "comment": comment}))
        .collect();
    json!({"ratings": ratings, "recommendation": recommendation, "summary": comment})
}

/// A live interview where B (a second co-interviewer) has submitted a scorecard holding
/// `SECRET`; returns it, B's client and B's scorecard id.
async fn b_submitted(cast: &Cast) -> (Interview, Client, String) {
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let b = cast.add_interviewer(&interview, "bea@example.com", "Bea Second").await;
    let saved = app.put_json(&b, &path(&interview.id, "scorecards/me"), &complete(SECRET, "strong_yes")).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let submitted = app.post_json(&b, &path(&interview.id, "scorecards/me/submit"), &json!({})).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    let body: Value = submitted.json().await.unwrap();
    let id = body["scorecard"]["id"].as_str().unwrap().to_owned();
    (interview, b, id)
}

async fn b_status(app: &TestApp, b: &Client, interview: &str) -> Value {
    let mine: Value = app.get(b, &path(interview, "scorecards/me")).await.json().await.unwrap();
    mine["scorecard"]["status"].clone()
}

async fn an_interviewer_cannot_read_the_others_scores_before_submitting(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, _b, b_scorecard) = b_submitted(&cast).await;
    let id = &interview.id;
    // A, with nothing submitted (no draft, then a draft), tries every door.
    for attempt in 0..2 {
        if attempt == 1 {
            let draft = json!({"ratings": [{"criterion_id": "testing", "score": 1}], "summary": "mine"});
            assert_eq!(app.put_json(&cast.co, &path(id, "scorecards/me"), &draft).await.status(), StatusCode::OK);
        }
        let list = app.get(&cast.co, &path(id, "scorecards")).await;
        assert_eq!(list.status(), StatusCode::OK);
        let list: Value = list.json().await.unwrap();
        assert_eq!(list["blind"], true);
        assert_eq!(list["aggregate"], Value::Null, "not even the averages");
        let text = list.to_string();
        assert!(!text.contains(SECRET) && !text.contains(&b_scorecard) && !text.contains("strong_yes"), "{text}");
        for probe in [
            format!("scorecards/{b_scorecard}"),
            format!("scorecards/{b_scorecard}/reopen"),
            "scorecards/me?participant_id=x".into(),
        ] {
            let response = if probe.ends_with("reopen") {
                app.post_json(&cast.co, &path(id, &probe), &json!({})).await
            } else {
                app.get(&cast.co, &path(id, &probe)).await
            };
            let text = response.text().await.unwrap();
            assert!(!text.contains(SECRET), "{probe}: {text}");
        }
    }
    // Observers and the candidate read none of it either.
    for client in [&cast.observer, &cast.candidate] {
        let response = app.get(client, &path(id, "scorecards")).await;
        assert_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
}

async fn a_submitted_scorecard_cannot_be_changed_by_its_author(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, b, _) = b_submitted(&cast).await;
    let id = &interview.id;
    // Many rewrites at once, as a script would send them: none lands.
    let rewrites = (0..8).map(|i| {
        let body = complete(&format!("rewritten-{i}"), "strong_no");
        let url = app.url(&path(id, "scorecards/me"));
        let b = b.clone();
        async move { b.put(url).json(&body).send().await.unwrap().status() }
    });
    for status in futures_util::future::join_all(rewrites).await {
        assert_eq!(status, StatusCode::CONFLICT);
    }
    let submit_again = app.post_json(&b, &path(id, "scorecards/me/submit"), &json!({})).await;
    assert_error(submit_again, StatusCode::CONFLICT, "scorecard_submitted").await;
    let mine: Value = app.get(&b, &path(id, "scorecards/me")).await.json().await.unwrap();
    assert_eq!(mine["scorecard"]["status"], "submitted");
    assert_eq!(mine["scorecard"]["recommendation"], "strong_yes");
    assert!(mine.to_string().contains(SECRET) && !mine.to_string().contains("rewritten"));
}

async fn candidates_and_observers_cannot_write_a_scorecard(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let id = &interview.id;
    for client in [&cast.candidate, &cast.observer] {
        let put = app.put_json(client, &path(id, "scorecards/me"), &complete("sneaky", "strong_yes")).await;
        assert_error(put, StatusCode::FORBIDDEN, "forbidden").await;
        let submit = app.post_json(client, &path(id, "scorecards/me/submit"), &json!({})).await;
        assert_error(submit, StatusCode::FORBIDDEN, "forbidden").await;
        let rubric = app.put_json(client, &path(id, "rubric"), &json!({"criteria": [{"name": "Be nice to me"}]})).await;
        assert_error(rubric, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // A co-interviewer may not change the rubric either (the host's).
    let rubric = app.put_json(&cast.co, &path(id, "rubric"), &json!({"criteria": [{"name": "Mine"}]})).await;
    assert_error(rubric, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.row_count("scorecards").await, 0);
    let rubric: Value = app.get(&cast.host, &path(id, "rubric")).await.json().await.unwrap();
    assert_eq!(rubric["rubric"]["criteria"].as_array().unwrap().len(), 4);
}

async fn only_the_host_of_the_interview_reopens_a_scorecard(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let (interview, b, b_scorecard) = b_submitted(&cast).await;
    let id = &interview.id;
    // The co-interviewer (A) and B themself are not the host.
    for client in [&cast.co, &b, &cast.observer, &cast.candidate] {
        let reopen = app.post_json(client, &path(id, &format!("scorecards/{b_scorecard}/reopen")), &json!({})).await;
        assert_error(reopen, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // The host of another interview, with the id: through their own interview it names no
    // scorecard; through this one, the interview does not exist for them.
    let rival = app.signed_in("rival@example.com", "Rita Rival").await;
    let theirs = create_interview(app, &rival, json!({"title": "Rival's"})).await;
    let through_own =
        app.post_json(&rival, &path(&theirs.id, &format!("scorecards/{b_scorecard}/reopen")), &json!({})).await;
    assert_error(through_own, StatusCode::NOT_FOUND, "not_found").await;
    let through_victim =
        app.post_json(&rival, &path(id, &format!("scorecards/{b_scorecard}/reopen")), &json!({})).await;
    assert_error(through_victim, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(b_status(app, &b, id).await, "submitted", "still locked");
    // The host may, and it is recorded.
    let reopen = app.post_json(&cast.host, &path(id, &format!("scorecards/{b_scorecard}/reopen")), &json!({})).await;
    assert_eq!(reopen.status(), StatusCode::OK);
    assert_eq!(b_status(app, &b, id).await, "draft");
}
