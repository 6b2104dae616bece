//! Rubrics and scorecards: the matrix of the seven actors (host, interviewer A before and after
//! submitting, interviewer B who submitted first, observer, candidate, stranger) × every
//! scorecard route, with exactly what each one sees (blind until submitted); the rubric's
//! defaults, edits and lock; draft validation; scorecards before, during and after the
//! interview with the host's reopening; and deletion with the interview.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview};
use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    seven_actors_see_and_change_exactly_what_the_rules_allow,
    the_rubric_starts_from_the_workspace_and_locks_at_the_first_submission,
    the_rubric_has_the_workspace_defaults_limits,
    drafts_and_submissions_are_validated,
    scorecards_are_kept_before_during_and_after_the_interview,
    deleting_the_interview_deletes_its_rubric_and_scorecards
);

pub const CRITERIA: [&str; 4] = ["problem_solving", "code_quality", "communication", "testing"];

/// A draft rating every default criterion `score`, with a recommendation.
pub fn complete_draft(score: u8, recommendation: &str) -> Value {
    let ratings: Vec<Value> =
        CRITERIA.iter().map(|c| json!({"criterion_id": c, "score": score, "comment": format!("{c} seen")})).collect();
    json!({"ratings": ratings, "recommendation": recommendation, "summary": "Solid."})
}

pub fn path(interview: &str, rest: &str) -> String {
    format!("/api/interviews/{interview}/{rest}")
}

async fn ok_json(response: Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Host,
    ABefore,
    AAfter,
    B,
    Observer,
    Candidate,
    Stranger,
}

#[derive(Debug, Clone, Copy)]
enum Route {
    GetRubric,
    PutRubric,
    GetMine,
    SaveMine,
    Submit,
    List,
    Reopen,
}

const ACTORS: [Actor; 7] =
    [Actor::Host, Actor::ABefore, Actor::AAfter, Actor::B, Actor::Observer, Actor::Candidate, Actor::Stranger];
const ROUTES: [Route; 7] =
    [Route::GetRubric, Route::PutRubric, Route::GetMine, Route::SaveMine, Route::Submit, Route::List, Route::Reopen];

/// Expected status per actor, in `ACTORS` order. The scene: B submitted first (the rubric is
/// locked), the host holds an incomplete draft, A a complete one that A submits in between.
fn expected(route: Route) -> [u16; 7] {
    match route {
        Route::GetRubric => [200, 200, 200, 200, 200, 403, 404],
        Route::PutRubric => [409, 403, 403, 403, 403, 403, 404],
        Route::GetMine => [200, 200, 200, 200, 403, 403, 404],
        Route::SaveMine => [200, 200, 409, 409, 403, 403, 404],
        Route::Submit => [422, 200, 409, 409, 403, 403, 404],
        Route::List => [200, 200, 200, 200, 403, 403, 404],
        // B's scorecard; the host's cell runs last.
        Route::Reopen => [200, 403, 403, 403, 403, 403, 404],
    }
}

struct Scene {
    cast: Cast,
    interview: Interview,
    b: Client,
    b_scorecard: String,
}

impl Scene {
    fn client(&self, actor: Actor) -> &Client {
        match actor {
            Actor::Host => &self.cast.host,
            Actor::ABefore | Actor::AAfter => &self.cast.co,
            Actor::B => &self.b,
            Actor::Observer => &self.cast.observer,
            Actor::Candidate => &self.cast.candidate,
            Actor::Stranger => &self.cast.stranger,
        }
    }

    async fn call(&self, actor: Actor, route: Route) -> Response {
        let app = &self.cast.app;
        let client = self.client(actor);
        let id = &self.interview.id;
        match route {
            Route::GetRubric => app.get(client, &path(id, "rubric")).await,
            Route::PutRubric => {
                app.put_json(client, &path(id, "rubric"), &json!({"criteria": [{"name": "Only this"}]})).await
            }
            Route::GetMine => app.get(client, &path(id, "scorecards/me")).await,
            Route::SaveMine => app.put_json(client, &path(id, "scorecards/me"), &self.draft_of(actor)).await,
            Route::Submit => app.post_json(client, &path(id, "scorecards/me/submit"), &json!({})).await,
            Route::List => app.get(client, &path(id, "scorecards")).await,
            Route::Reopen => {
                app.post_json(client, &path(id, &format!("scorecards/{}/reopen", self.b_scorecard)), &json!({})).await
            }
        }
    }

    fn draft_of(&self, actor: Actor) -> Value {
        match actor {
            Actor::Host => json!({
                "ratings": [{"criterion_id": "problem_solving", "score": 3, "comment": "host-draft-7f1"}],
                "recommendation": null,
                "summary": "host draft",
            }),
            _ => complete_draft(3, "yes"),
        }
    }
}

/// The authors' names of a list, in order.
fn authors(list: &Value) -> Vec<String> {
    list["scorecards"].as_array().unwrap().iter().map(|s| s["author_name"].as_str().unwrap().to_owned()).collect()
}

async fn seven_actors_see_and_change_exactly_what_the_rules_allow(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let b = cast.add_interviewer(&interview, "bea@example.com", "Bea Second").await;
    let id = interview.id.clone();
    // B scores and submits first; the host and A keep drafts.
    let draft = complete_draft(4, "strong_yes");
    ok_json(cast.app.put_json(&b, &path(&id, "scorecards/me"), &draft).await).await;
    let submitted = ok_json(cast.app.post_json(&b, &path(&id, "scorecards/me/submit"), &json!({})).await).await;
    let b_scorecard = submitted["scorecard"]["id"].as_str().unwrap().to_owned();
    let scene = Scene { cast, interview, b, b_scorecard };
    let app = &scene.cast.app;
    for actor in [Actor::Host, Actor::ABefore] {
        let saved = scene.call(actor, Route::SaveMine).await;
        assert_eq!(saved.status(), StatusCode::OK, "{actor:?} saves a draft");
    }

    let mut failures = Vec::new();
    let mut cells = 0;
    let mut seen = std::collections::HashMap::new();
    // Every cell but A's submission, A-after's row and the host's reopening; then those.
    let mut order: Vec<(Actor, Route)> = Vec::new();
    for actor in ACTORS.into_iter().filter(|a| *a != Actor::AAfter) {
        for route in ROUTES {
            if !matches!((actor, route), (Actor::ABefore, Route::Submit) | (Actor::Host, Route::Reopen)) {
                order.push((actor, route));
            }
        }
    }
    order.push((Actor::ABefore, Route::Submit));
    order.extend(ROUTES.into_iter().map(|route| (Actor::AAfter, route)));
    order.push((Actor::Host, Route::Reopen));
    for (actor, route) in order {
        let want = expected(route)[ACTORS.iter().position(|a| *a == actor).unwrap()];
        let response = scene.call(actor, route).await;
        let got = response.status().as_u16();
        cells += 1;
        if got != want {
            failures.push(format!("{route:?} as {actor:?}: expected {want}, got {got}"));
        }
        if got == 200 {
            seen.insert((format!("{actor:?}"), format!("{route:?}")), response.json::<Value>().await.unwrap());
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells wrong:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(cells, 49);
    let view = |actor: &str, route: &str| seen[&(actor.to_owned(), route.to_owned())].clone();

    // The rubric: the defaults for everyone who may read it, editable by nobody once locked.
    for actor in ["Host", "ABefore", "AAfter", "B", "Observer"] {
        let rubric = view(actor, "GetRubric");
        let ids: Vec<&str> =
            rubric["rubric"]["criteria"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, CRITERIA, "{actor}");
        assert_eq!(rubric["rubric"]["editable"], false, "{actor}: locked by B's submission");
    }

    // Blindness, before A submits: A sees only their own; the host sees B's and their own draft.
    let a_before = view("ABefore", "List");
    assert_eq!((a_before["blind"].clone(), a_before["aggregate"].clone()), (json!(true), Value::Null));
    assert_eq!(authors(&a_before), ["Cole Co"]);
    let host = view("Host", "List");
    assert_eq!(host["blind"], false);
    assert_eq!(authors(&host), ["Hana Host", "Bea Second"]);
    assert_eq!(host["aggregate"]["submitted"], 1);
    assert_eq!(host["aggregate"]["criteria"][0]["average"], 4.0);
    let b_view = view("B", "List");
    assert_eq!(b_view["blind"], false);
    assert_eq!(authors(&b_view), ["Bea Second"], "nobody's draft, not even the host's");
    assert!(!b_view.to_string().contains("host-draft-7f1"));

    // After A submits: every submitted scorecard, never the host's draft.
    let a_after = view("AAfter", "List");
    assert_eq!(a_after["blind"], false);
    assert_eq!(authors(&a_after), ["Cole Co", "Bea Second"]);
    assert_eq!(a_after["aggregate"]["submitted"], 2);
    assert_eq!(a_after["aggregate"]["criteria"][0]["average"], 3.5);
    assert_eq!(a_after["aggregate"]["criteria"][0]["scores"], json!([3, 4]));
    let recommendations: Vec<&str> = a_after["aggregate"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recommendation"].as_str().unwrap())
        .collect();
    assert_eq!(recommendations, ["yes", "strong_yes"]);
    assert!(!a_after.to_string().contains("host-draft-7f1"));
    let mine = view("AAfter", "GetMine");
    assert_eq!(mine["scorecard"]["status"], "submitted");
    assert!(mine["scorecard"]["submitted_at"].is_string());

    // The host's reopening of B's scorecard: recorded, and B is blind again until resubmitting.
    let reopened = view("Host", "Reopen");
    assert_eq!(reopened["scorecard"]["status"], "draft");
    assert_eq!(reopened["scorecard"]["reopened_by"], "Hana Host");
    assert!(reopened["scorecard"]["reopened_at"].is_string());
    assert_eq!(reopened["scorecard"]["submitted_at"], Value::Null);
    let b_again = ok_json(app.get(&scene.b, &path(&id, "scorecards")).await).await;
    assert_eq!((b_again["blind"].clone(), authors(&b_again)), (json!(true), vec!["Bea Second".to_owned()]));
    let a_now = ok_json(app.get(&scene.cast.co, &path(&id, "scorecards")).await).await;
    assert_eq!(authors(&a_now), ["Cole Co"], "a reopened scorecard is a draft: hidden again");
    assert_eq!(a_now["aggregate"]["submitted"], 1);
    eprintln!("scorecard matrix: {cells} cells checked");
}

async fn the_rubric_starts_from_the_workspace_and_locks_at_the_first_submission(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    // The workspace's default criteria are where a new interview's rubric comes from.
    let workspace = format!("/api/workspaces/{}", cast.workspace);
    let patched = app
        .patch_json(
            &cast.host,
            &workspace,
            &json!({"default_rubric": [{"name": "System design", "description": "Boxes and arrows"}, {"name": "Communication"}]}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let interview = cast.interview(false).await;
    let id = &interview.id;
    let rubric = ok_json(app.get(&cast.host, &path(id, "rubric")).await).await;
    assert_eq!(
        rubric["rubric"],
        json!({"criteria": [
            {"id": "system_design", "name": "System design", "description": "Boxes and arrows"},
            {"id": "communication", "name": "Communication", "description": ""}
        ], "editable": true})
    );
    // A co-interviewer reads it but may not change it.
    let co = ok_json(app.get(&cast.co, &path(id, "rubric")).await).await;
    assert_eq!(co["rubric"]["editable"], false);

    // A's draft rates both; the host renames one, removes the other, adds a new one, reorders.
    ok_json(
        app.put_json(
            &cast.co,
            &path(id, "scorecards/me"),
            &json!({"ratings": [{"criterion_id": "system_design", "score": 2, "comment": "kept"},
                                {"criterion_id": "communication", "score": 4, "comment": "dropped"}]}),
        )
        .await,
    )
    .await;
    let changed = ok_json(
        app.put_json(
            &cast.host,
            &path(id, "rubric"),
            &json!({"criteria": [
                {"name": "Debugging", "description": "Finds the bug"},
                {"id": "system_design", "name": "Design", "description": "Renamed"}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(
        changed["rubric"]["criteria"],
        json!([
            {"id": "debugging", "name": "Debugging", "description": "Finds the bug"},
            {"id": "system_design", "name": "Design", "description": "Renamed"}
        ])
    );
    // The kept criterion's rating stays, the removed one's is gone, the new one is unrated.
    let mine = ok_json(app.get(&cast.co, &path(id, "scorecards/me")).await).await;
    assert_eq!(
        mine["scorecard"]["ratings"],
        json!([
            {"criterion_id": "debugging", "score": null, "comment": ""},
            {"criterion_id": "system_design", "score": 2, "comment": "kept"}
        ])
    );

    // Bad rubrics: each problem named.
    let bad = app
        .put_json(
            &cast.host,
            &path(id, "rubric"),
            &json!({"criteria": [{"id": "communication", "name": "Back"}, {"name": "Same"}, {"name": "same"}]}),
        )
        .await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["criteria[0].id"].is_string(), "{body}");
    assert!(body["error"]["fields"]["criteria[2].name"].is_string(), "{body}");
    let empty = app.put_json(&cast.host, &path(id, "rubric"), &json!({"criteria": []})).await;
    assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // The first submission locks it for good, even after a reopening.
    let draft = json!({"ratings": [{"criterion_id": "debugging", "score": 3}, {"criterion_id": "system_design", "score": 2}],
                       "recommendation": "no", "summary": ""});
    ok_json(app.put_json(&cast.co, &path(id, "scorecards/me"), &draft).await).await;
    let submitted = ok_json(app.post_json(&cast.co, &path(id, "scorecards/me/submit"), &json!({})).await).await;
    let locked = app.put_json(&cast.host, &path(id, "rubric"), &json!({"criteria": [{"name": "Late"}]})).await;
    assert_error(locked, StatusCode::CONFLICT, "rubric_locked").await;
    let scorecard = submitted["scorecard"]["id"].as_str().unwrap();
    ok_json(app.post_json(&cast.host, &path(id, &format!("scorecards/{scorecard}/reopen")), &json!({})).await).await;
    let rubric = ok_json(app.get(&cast.host, &path(id, "rubric")).await).await;
    assert_eq!(rubric["rubric"]["editable"], false);
    let still = app.put_json(&cast.host, &path(id, "rubric"), &json!({"criteria": [{"name": "Late"}]})).await;
    assert_error(still, StatusCode::CONFLICT, "rubric_locked").await;
}

/// The limits of a workspace's default rubric (12 criteria, names 1–60, descriptions ≤ 500) are
/// the limits of an interview's rubric: the largest default is copied whole, and no more.
async fn the_rubric_has_the_workspace_defaults_limits(app: TestApp) {
    const MOST: usize = 12;
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let criterion = |i: usize| json!({"name": format!("{i:02}{}", "n".repeat(58)), "description": "d".repeat(500)});
    let largest: Vec<Value> = (0..MOST).map(criterion).collect();
    let workspace = format!("/api/workspaces/{}", cast.workspace);
    let patched = app.patch_json(&cast.host, &workspace, &json!({"default_rubric": largest})).await;
    assert_eq!(patched.status(), StatusCode::OK);
    let interview = cast.interview(false).await;
    let id = &interview.id;

    let rubric = ok_json(app.get(&cast.host, &path(id, "rubric")).await).await;
    let criteria = rubric["rubric"]["criteria"].as_array().unwrap().clone();
    assert_eq!(criteria.len(), MOST, "every default criterion is copied");
    for (got, want) in criteria.iter().zip(&largest) {
        assert_eq!((&got["name"], &got["description"]), (&want["name"], &want["description"]));
    }
    // Saved back unchanged: still a valid rubric.
    let same = ok_json(app.put_json(&cast.host, &path(id, "rubric"), &json!({"criteria": criteria})).await).await;
    assert_eq!(same["rubric"]["criteria"].as_array().unwrap().len(), MOST);

    let too_many: Vec<Value> = (0..=MOST).map(criterion).collect();
    let bad = app.put_json(&cast.host, &path(id, "rubric"), &json!({"criteria": too_many})).await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["criteria"].is_string(), "{body}");
    let too_long = json!({"criteria": [{"name": "n".repeat(61), "description": "d".repeat(501)}]});
    let bad = app.put_json(&cast.host, &path(id, "rubric"), &too_long).await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["criteria[0].name"].is_string(), "{body}");
    assert!(body["error"]["fields"]["criteria[0].description"].is_string(), "{body}");
}

async fn drafts_and_submissions_are_validated(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let me = path(&interview.id, "scorecards/me");

    // A fresh draft: every criterion, unrated, not stored yet (nil id).
    let fresh = ok_json(app.get(&cast.co, &me).await).await;
    assert_eq!(fresh["scorecard"]["id"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(fresh["scorecard"]["status"], "draft");
    assert_eq!(fresh["scorecard"]["author_name"], "Cole Co");
    assert_eq!(fresh["scorecard"]["ratings"].as_array().unwrap().len(), 4);
    assert!(fresh["scorecard"]["ratings"].as_array().unwrap().iter().all(|r| r["score"].is_null()));

    let cases = [
        (json!({"ratings": [{"criterion_id": "elegance", "score": 2}]}), "ratings[0].criterion_id"),
        (json!({"ratings": [{"criterion_id": "testing", "score": 5}]}), "ratings[0].score"),
        (json!({"ratings": [{"criterion_id": "testing", "score": 0}]}), "ratings[0].score"),
        (
            json!({"ratings": [{"criterion_id": "testing", "score": 2}, {"criterion_id": "testing", "score": 3}]}),
            "ratings[1].criterion_id",
        ),
        (
            json!({"ratings": [{"criterion_id": "testing", "score": null, "comment": "c".repeat(4001)}]}),
            "ratings[0].comment",
        ),
        (json!({"summary": "s".repeat(10_001)}), "summary"),
        (json!({"recommendation": "maybe"}), "recommendation"),
        (json!({"grade": "A"}), "grade"),
    ];
    for (body, field) in cases {
        let refused = app.put_json(&cast.co, &me, &body).await;
        let error = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let fields = error["error"]["fields"].as_object().cloned().unwrap_or_default();
        assert!(
            fields.contains_key(field) || error["error"]["message"].as_str().unwrap().contains(field),
            "{field} named in {error}"
        );
    }
    // Nothing refused was stored.
    let still = ok_json(app.get(&cast.co, &me).await).await;
    assert_eq!(still["scorecard"]["id"], "00000000-0000-0000-0000-000000000000");
    // At the limits, it is accepted as typed (not trimmed).
    let at_limits = json!({"ratings": [{"criterion_id": "testing", "score": 1, "comment": "c".repeat(4000)}],
                           "summary": format!("  {} ", "s".repeat(9_997))});
    let saved = ok_json(app.put_json(&cast.co, &me, &at_limits).await).await;
    assert_eq!(saved["scorecard"]["summary"].as_str().unwrap().chars().count(), 10_000);
    assert_ne!(saved["scorecard"]["id"], "00000000-0000-0000-0000-000000000000");

    // Submitting names everything missing: three unscored criteria and the recommendation.
    let submit = path(&interview.id, "scorecards/me/submit");
    let missing = assert_error(
        app.post_json(&cast.co, &submit, &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut fields: Vec<String> = missing["error"]["fields"].as_object().unwrap().keys().cloned().collect();
    fields.sort();
    assert_eq!(fields, ["ratings.code_quality", "ratings.communication", "ratings.problem_solving", "recommendation"]);
    // The host submits without having saved anything: everything is missing.
    let nothing = app.post_json(&cast.host, &submit, &json!({})).await;
    let nothing = assert_error(nothing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(nothing["error"]["fields"].as_object().unwrap().len(), 5);

    // Complete, submitted, then locked for its author.
    ok_json(app.put_json(&cast.co, &me, &complete_draft(2, "no")).await).await;
    let done = ok_json(app.post_json(&cast.co, &submit, &json!({})).await).await;
    assert_eq!(done["scorecard"]["status"], "submitted");
    let again = app.put_json(&cast.co, &me, &complete_draft(4, "strong_yes")).await;
    assert_error(again, StatusCode::CONFLICT, "scorecard_submitted").await;
    assert_error(app.post_json(&cast.co, &submit, &json!({})).await, StatusCode::CONFLICT, "scorecard_submitted").await;
    let kept = ok_json(app.get(&cast.co, &me).await).await;
    assert_eq!(kept["scorecard"]["recommendation"], "no");
}

async fn scorecards_are_kept_before_during_and_after_the_interview(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(false).await;
    let id = &interview.id;
    // Scheduled: a draft.
    ok_json(app.put_json(&cast.co, &path(id, "scorecards/me"), &json!({"summary": "prep"})).await).await;
    // Live: more of it.
    ok_json(app.post_json(&cast.host, &path(id, "start"), &json!({})).await).await;
    ok_json(app.put_json(&cast.co, &path(id, "scorecards/me"), &complete_draft(3, "yes")).await).await;
    // Ended: submitted, reopened by the host, changed, submitted again.
    ok_json(app.post_json(&cast.host, &path(id, "end"), &json!({})).await).await;
    let submitted = ok_json(app.post_json(&cast.co, &path(id, "scorecards/me/submit"), &json!({})).await).await;
    let scorecard = submitted["scorecard"]["id"].as_str().unwrap().to_owned();
    let reopen = path(id, &format!("scorecards/{scorecard}/reopen"));
    ok_json(app.post_json(&cast.host, &reopen, &json!({})).await).await;
    assert_error(app.post_json(&cast.host, &reopen, &json!({})).await, StatusCode::CONFLICT, "scorecard_not_submitted")
        .await;
    let changed =
        ok_json(app.put_json(&cast.co, &path(id, "scorecards/me"), &complete_draft(1, "strong_no")).await).await;
    assert_eq!(changed["scorecard"]["id"], scorecard.as_str(), "the same scorecard");
    assert_eq!(changed["scorecard"]["reopened_by"], "Hana Host");
    let resubmitted = ok_json(app.post_json(&cast.co, &path(id, "scorecards/me/submit"), &json!({})).await).await;
    assert_eq!(resubmitted["scorecard"]["status"], "submitted");
    assert_eq!(resubmitted["scorecard"]["recommendation"], "strong_no");
    // The host's own scorecard after the end too, and then the host sees both.
    ok_json(app.put_json(&cast.host, &path(id, "scorecards/me"), &complete_draft(4, "yes")).await).await;
    ok_json(app.post_json(&cast.host, &path(id, "scorecards/me/submit"), &json!({})).await).await;
    let all = ok_json(app.get(&cast.host, &path(id, "scorecards")).await).await;
    assert_eq!(authors(&all), ["Hana Host", "Cole Co"]);
    assert_eq!(all["aggregate"]["criteria"][1]["average"], 2.5);
    // An unknown scorecard id is not found.
    let unknown = path(id, "scorecards/0190c5a0-0000-7000-8000-000000000000/reopen");
    assert_error(app.post_json(&cast.host, &unknown, &json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn deleting_the_interview_deletes_its_rubric_and_scorecards(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let id = &interview.id;
    ok_json(app.put_json(&cast.co, &path(id, "scorecards/me"), &complete_draft(3, "yes")).await).await;
    ok_json(app.post_json(&cast.co, &path(id, "scorecards/me/submit"), &json!({})).await).await;
    for table in ["interview_rubrics", "rubric_criteria", "scorecards", "scorecard_ratings"] {
        assert!(app.row_count(table).await > 0, "{table} holds rows");
    }
    assert_eq!(app.delete(&cast.host, &format!("/api/interviews/{id}")).await.status(), StatusCode::NO_CONTENT);
    for table in ["interview_rubrics", "rubric_criteria", "scorecards", "scorecard_ratings"] {
        assert_eq!(app.row_count(table).await, 0, "{table} emptied");
    }
}
