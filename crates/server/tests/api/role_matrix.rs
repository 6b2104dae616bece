//! The role matrix: every interview and question route × every actor, each cell asserting the
//! exact status. Mutating routes get a fresh interview (or question) per cell, so each cell
//! sees the same starting state whatever the order.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Actor, Cast};
use crate::helpers::TestApp;

crate::on_both_backends!(every_route_checks_every_role);

#[derive(Debug, Clone, Copy)]
enum Route {
    ListInterviews,
    CreateInterview,
    GetInterview,
    UpdateInterview,
    DeleteInterview,
    StartInterview,
    EndInterview,
    AddParticipant,
    RemoveParticipant,
    GetRoomWithoutInvite,
    GetRoomWithInvite,
    JoinRoom,
    ListQuestions,
    CreateQuestion,
    GetQuestion,
    UpdateQuestion,
    DeleteQuestion,
    ListCategories,
}

use Actor::*;
use StatusCode as S;

/// Expected status per actor, in `Actor::ALL` order:
/// host, co-interviewer, observer, candidate, other candidate, stranger, anonymous.
fn expected(route: Route) -> [StatusCode; 7] {
    const OK: S = S::OK;
    const C: S = S::CREATED;
    const N: S = S::NO_CONTENT;
    const F: S = S::FORBIDDEN;
    const NF: S = S::NOT_FOUND;
    const U: S = S::UNAUTHORIZED;
    const X: S = S::CONFLICT;
    match route {
        Route::ListInterviews => [OK, OK, OK, F, F, OK, U],
        Route::CreateInterview => [C, C, C, F, F, C, U],
        Route::GetInterview => [OK, OK, OK, OK, NF, NF, U],
        Route::UpdateInterview => [OK, OK, F, F, NF, NF, U],
        Route::DeleteInterview => [N, F, F, F, NF, NF, U],
        Route::StartInterview => [OK, OK, F, F, NF, NF, U],
        Route::EndInterview => [OK, OK, F, F, NF, NF, U],
        Route::AddParticipant => [C, C, F, F, NF, NF, U],
        Route::RemoveParticipant => [N, N, F, F, NF, NF, U],
        Route::GetRoomWithoutInvite => [OK, OK, OK, OK, NF, NF, NF],
        Route::GetRoomWithInvite => [OK, OK, OK, OK, OK, OK, OK],
        Route::JoinRoom => [X, X, X, OK, OK, OK, OK],
        Route::ListQuestions => [OK, OK, OK, F, F, OK, U],
        Route::CreateQuestion => [C, C, C, F, F, C, U],
        Route::GetQuestion => [OK, OK, OK, F, F, OK, U],
        Route::UpdateQuestion => [OK, F, F, F, F, F, U],
        Route::DeleteQuestion => [N, F, F, F, F, F, U],
        Route::ListCategories => [OK, OK, OK, F, F, OK, U],
    }
}

const ROUTES: [Route; 18] = [
    Route::ListInterviews,
    Route::CreateInterview,
    Route::GetInterview,
    Route::UpdateInterview,
    Route::DeleteInterview,
    Route::StartInterview,
    Route::EndInterview,
    Route::AddParticipant,
    Route::RemoveParticipant,
    Route::GetRoomWithoutInvite,
    Route::GetRoomWithInvite,
    Route::JoinRoom,
    Route::ListQuestions,
    Route::CreateQuestion,
    Route::GetQuestion,
    Route::UpdateQuestion,
    Route::DeleteQuestion,
    Route::ListCategories,
];

async fn every_route_checks_every_role(app: TestApp) {
    let cast = Cast::new(app).await;
    // The extra account added by AddParticipant cells: a colleague in the host's workspace.
    let extra = cast.app.signed_in("extra@example.com", "Ezra Extra").await;
    cast.app.join_workspace(&cast.host, &extra, "member").await;
    let mut cells = 0;
    let mut failures = Vec::new();
    for route in ROUTES {
        for (actor, want) in Actor::ALL.into_iter().zip(expected(route)) {
            let got = call(&cast, route, actor).await;
            cells += 1;
            if got != want {
                failures.push(format!("{route:?} as {actor:?}: expected {want}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells wrong:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(cells, ROUTES.len() * 7);
    eprintln!("role matrix: {cells} cells checked");
}

async fn call(cast: &Cast, route: Route, actor: Actor) -> StatusCode {
    let app = &cast.app;
    let client = cast.client(actor);
    let needs_live = matches!(route, Route::GetInterview | Route::EndInterview);
    let needs_interview = !matches!(
        route,
        Route::ListInterviews
            | Route::CreateInterview
            | Route::ListQuestions
            | Route::CreateQuestion
            | Route::GetQuestion
            | Route::UpdateQuestion
            | Route::DeleteQuestion
            | Route::ListCategories
    );
    let interview = if needs_interview { Some(cast.interview(needs_live).await) } else { None };
    let question = if matches!(route, Route::GetQuestion | Route::UpdateQuestion | Route::DeleteQuestion) {
        Some(cast.question().await)
    } else {
        None
    };
    let id = interview.as_ref().map(|i| i.id.clone()).unwrap_or_default();
    let (method, path, body): (Method, String, Option<Value>) = match route {
        Route::ListInterviews => (Method::GET, "/api/interviews".into(), None),
        Route::CreateInterview => (Method::POST, "/api/interviews".into(), Some(json!({"title": "Mine"}))),
        Route::GetInterview => (Method::GET, format!("/api/interviews/{id}"), None),
        Route::UpdateInterview => (Method::PATCH, format!("/api/interviews/{id}"), Some(json!({"title": "Renamed"}))),
        Route::DeleteInterview => (Method::DELETE, format!("/api/interviews/{id}"), None),
        Route::StartInterview => (Method::POST, format!("/api/interviews/{id}/start"), Some(json!({}))),
        Route::EndInterview => (Method::POST, format!("/api/interviews/{id}/end"), Some(json!({}))),
        Route::AddParticipant => (
            Method::POST,
            format!("/api/interviews/{id}/participants"),
            Some(json!({"email": "extra@example.com", "role": "observer"})),
        ),
        Route::RemoveParticipant => {
            let pid = interview.as_ref().and_then(|i| i.observer_participant.clone()).unwrap();
            (Method::DELETE, format!("/api/interviews/{id}/participants/{pid}"), None)
        }
        Route::GetRoomWithoutInvite => {
            (Method::GET, format!("/api/interviews/room/{}", interview.as_ref().unwrap().code), None)
        }
        Route::GetRoomWithInvite => {
            let i = interview.as_ref().unwrap();
            (Method::GET, format!("/api/interviews/room/{}?invite={}", i.code, i.invite), None)
        }
        Route::JoinRoom => {
            let i = interview.as_ref().unwrap();
            (
                Method::POST,
                format!("/api/interviews/room/{}/join", i.code),
                Some(json!({"name": "Someone", "invite": i.invite})),
            )
        }
        Route::ListQuestions => (Method::GET, "/api/questions?difficulty=easy".into(), None),
        Route::CreateQuestion => (
            Method::POST,
            "/api/questions".into(),
            Some(json!({"title": "T", "prompt": "P", "difficulty": "hard", "category": "graphs"})),
        ),
        Route::GetQuestion => (Method::GET, format!("/api/questions/{}", question.unwrap()), None),
        Route::UpdateQuestion => {
            (Method::PATCH, format!("/api/questions/{}", question.unwrap()), Some(json!({"title": "Better"})))
        }
        Route::DeleteQuestion => (Method::DELETE, format!("/api/questions/{}", question.unwrap()), None),
        Route::ListCategories => (Method::GET, "/api/questions/categories".into(), None),
    };
    let mut request = client.request(method, app.url(&path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let status = request.send().await.expect("request").status();
    // The other candidate's session must survive cells that made it join elsewhere.
    if actor == OtherCandidate && matches!(route, Route::JoinRoom) {
        crate::fixtures::join(app, &cast.other_candidate, &cast.other_interview, "Oscar Other").await;
    }
    if actor == Stranger && matches!(route, Route::JoinRoom) {
        let relogin = app.login(&cast.stranger, "stranger@example.com", "correct horse battery").await;
        assert_eq!(relogin.status(), S::OK);
    }
    status
}
