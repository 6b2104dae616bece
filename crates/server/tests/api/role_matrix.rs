//! The role matrix: every interview, question, workspace and own-account route × every actor, each cell
//! asserting the exact status. Mutating routes get a fresh interview (or question) per cell, so
//! each cell sees the same starting state whatever the order. The host's workspace is the
//! team: the co-interviewer and the observer are its members (and each has a personal
//! workspace too), the stranger belongs to another one.

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
    UpdateControls,
    GetIceServers,
    GetRubric,
    UpdateRubric,
    GetMyScorecard,
    SaveMyScorecard,
    SubmitMyScorecard,
    ListScorecards,
    ReopenScorecard,
    GetRoomWithoutInvite,
    GetRoomWithInvite,
    JoinRoom,
    ListQuestions,
    CreateQuestion,
    GetQuestion,
    UpdateQuestion,
    DeleteQuestion,
    ListCategories,
    ListWorkspaces,
    GetWorkspace,
    UpdateWorkspace,
    ListMembers,
    ListInvites,
    CreateInvite,
    ExportWorkspace,
    UpdateMe,
    ChangePassword,
    EndOtherSessions,
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
    const V: S = S::UNPROCESSABLE_ENTITY;
    match route {
        Route::ListInterviews => [OK, OK, OK, F, F, OK, U],
        // The co-interviewer and the observer belong to two workspaces: they must name one.
        Route::CreateInterview => [C, V, V, F, F, C, U],
        Route::GetInterview => [OK, OK, OK, OK, NF, NF, U],
        Route::UpdateInterview => [OK, OK, F, F, NF, NF, U],
        Route::DeleteInterview => [N, F, F, F, NF, NF, U],
        Route::StartInterview => [OK, OK, F, F, NF, NF, U],
        Route::EndInterview => [OK, OK, F, F, NF, NF, U],
        Route::AddParticipant => [C, C, F, F, NF, NF, U],
        Route::RemoveParticipant => [N, N, F, F, NF, NF, U],
        Route::UpdateControls => [OK, OK, F, F, NF, NF, U],
        // Every participant joins the call.
        Route::GetIceServers => [OK, OK, OK, OK, NF, NF, U],
        // Scorecards: host and co-interviewers keep one; observers read the rubric only.
        Route::GetRubric => [OK, OK, OK, F, NF, NF, U],
        Route::UpdateRubric => [OK, F, F, F, NF, NF, U],
        Route::GetMyScorecard => [OK, OK, F, F, NF, NF, U],
        Route::SaveMyScorecard => [OK, OK, F, F, NF, NF, U],
        // Nothing scored yet: what is missing is named.
        Route::SubmitMyScorecard => [V, V, F, F, NF, NF, U],
        Route::ListScorecards => [OK, OK, F, F, NF, NF, U],
        // An id that names no scorecard of the interview.
        Route::ReopenScorecard => [NF, F, F, F, NF, NF, U],
        Route::GetRoomWithoutInvite => [OK, OK, OK, OK, NF, NF, NF],
        Route::GetRoomWithInvite => [OK, OK, OK, OK, OK, OK, OK],
        Route::JoinRoom => [X, X, X, OK, OK, OK, OK],
        Route::ListQuestions => [OK, OK, OK, F, F, OK, U],
        Route::CreateQuestion => [C, V, V, F, F, C, U],
        // The team's questions: any member reads and edits them; to others they do not exist.
        Route::GetQuestion => [OK, OK, OK, F, F, NF, U],
        Route::UpdateQuestion => [OK, OK, OK, F, F, NF, U],
        Route::DeleteQuestion => [N, N, N, F, F, NF, U],
        Route::ListCategories => [OK, OK, OK, F, F, OK, U],
        Route::ListWorkspaces => [OK, OK, OK, F, F, OK, U],
        Route::GetWorkspace => [OK, OK, OK, F, F, NF, U],
        Route::UpdateWorkspace => [OK, F, F, F, F, NF, U],
        Route::ListMembers => [OK, OK, OK, F, F, NF, U],
        Route::ListInvites => [OK, F, F, F, F, NF, U],
        Route::CreateInvite => [C, F, F, F, F, NF, U],
        Route::ExportWorkspace => [OK, F, F, F, F, NF, U],
        // The caller's own account: any account holder, never a candidate session.
        Route::UpdateMe => [OK, OK, OK, F, F, OK, U],
        // With a wrong current password (a right one would change the cast's passwords).
        Route::ChangePassword => [V, V, V, F, F, V, U],
        Route::EndOtherSessions => [OK, OK, OK, F, F, OK, U],
    }
}

const ROUTES: [Route; 37] = [
    Route::ListInterviews,
    Route::CreateInterview,
    Route::GetInterview,
    Route::UpdateInterview,
    Route::DeleteInterview,
    Route::StartInterview,
    Route::EndInterview,
    Route::AddParticipant,
    Route::RemoveParticipant,
    Route::UpdateControls,
    Route::GetIceServers,
    Route::GetRubric,
    Route::UpdateRubric,
    Route::GetMyScorecard,
    Route::SaveMyScorecard,
    Route::SubmitMyScorecard,
    Route::ListScorecards,
    Route::ReopenScorecard,
    Route::GetRoomWithoutInvite,
    Route::GetRoomWithInvite,
    Route::JoinRoom,
    Route::ListQuestions,
    Route::CreateQuestion,
    Route::GetQuestion,
    Route::UpdateQuestion,
    Route::DeleteQuestion,
    Route::ListCategories,
    Route::ListWorkspaces,
    Route::GetWorkspace,
    Route::UpdateWorkspace,
    Route::ListMembers,
    Route::ListInvites,
    Route::CreateInvite,
    Route::ExportWorkspace,
    Route::UpdateMe,
    Route::ChangePassword,
    Route::EndOtherSessions,
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
    let needs_interview = matches!(
        route,
        Route::GetInterview
            | Route::UpdateInterview
            | Route::DeleteInterview
            | Route::StartInterview
            | Route::EndInterview
            | Route::AddParticipant
            | Route::RemoveParticipant
            | Route::UpdateControls
            | Route::GetIceServers
            | Route::GetRubric
            | Route::UpdateRubric
            | Route::GetMyScorecard
            | Route::SaveMyScorecard
            | Route::SubmitMyScorecard
            | Route::ListScorecards
            | Route::ReopenScorecard
            | Route::GetRoomWithoutInvite
            | Route::GetRoomWithInvite
            | Route::JoinRoom
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
        Route::UpdateControls => {
            // `auto_end` is the host's alone (controls.rs tests that); the rest is any interviewer's.
            let all = json!({"candidate_autocomplete": false, "editor_locked": true, "runs_disabled": true});
            (Method::PATCH, format!("/api/interviews/{id}/controls"), Some(all))
        }
        Route::GetIceServers => (Method::GET, format!("/api/interviews/{id}/ice"), None),
        Route::GetRubric => (Method::GET, format!("/api/interviews/{id}/rubric"), None),
        Route::UpdateRubric => (
            Method::PUT,
            format!("/api/interviews/{id}/rubric"),
            Some(json!({"criteria": [{"name": "Problem solving"}, {"name": "Design"}]})),
        ),
        Route::GetMyScorecard => (Method::GET, format!("/api/interviews/{id}/scorecards/me"), None),
        Route::SaveMyScorecard => (
            Method::PUT,
            format!("/api/interviews/{id}/scorecards/me"),
            Some(json!({"ratings": [{"criterion_id": "testing", "score": 3, "comment": ""}], "summary": "ok"})),
        ),
        Route::SubmitMyScorecard => {
            (Method::POST, format!("/api/interviews/{id}/scorecards/me/submit"), Some(json!({})))
        }
        Route::ListScorecards => (Method::GET, format!("/api/interviews/{id}/scorecards"), None),
        Route::ReopenScorecard => {
            (Method::POST, format!("/api/interviews/{id}/scorecards/{}/reopen", uuid::Uuid::now_v7()), Some(json!({})))
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
        Route::ListWorkspaces => (Method::GET, "/api/workspaces".into(), None),
        Route::GetWorkspace => (Method::GET, format!("/api/workspaces/{}", cast.workspace), None),
        Route::UpdateWorkspace => (
            Method::PATCH,
            format!("/api/workspaces/{}", cast.workspace),
            Some(json!({"default_duration_minutes": 45})),
        ),
        Route::ListMembers => (Method::GET, format!("/api/workspaces/{}/members", cast.workspace), None),
        Route::ListInvites => (Method::GET, format!("/api/workspaces/{}/invites", cast.workspace), None),
        Route::CreateInvite => (
            Method::POST,
            format!("/api/workspaces/{}/invites", cast.workspace),
            Some(json!({"email": "new-colleague@example.com", "role": "member"})),
        ),
        Route::ExportWorkspace => (Method::GET, format!("/api/workspaces/{}/export", cast.workspace), None),
        Route::UpdateMe => (Method::PATCH, "/api/auth/me".into(), Some(json!({"name": "Same Person"}))),
        Route::ChangePassword => (
            Method::POST,
            "/api/auth/password".into(),
            Some(json!({"current_password": "not the password", "new_password": "a brand new passphrase"})),
        ),
        Route::EndOtherSessions => (Method::DELETE, "/api/auth/sessions".into(), None),
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
