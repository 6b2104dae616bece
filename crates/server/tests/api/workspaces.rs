//! Workspaces: the personal workspace of a new account, settings, invites (single use, 7 days,
//! the invited email only), roles, removing members (their places and hosted interviews),
//! the registration policy, `workspace_id` on creation, duplicating, export and deletion.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{create_interview, create_question};
use crate::helpers::{Backend, TestApp, assert_error, wait_run};
use crate::runs::queue_run;
use crate::smtp::SmtpServer;

crate::on_both_backends!(
    a_new_account_owns_a_personal_workspace_with_editable_settings,
    invites_work_once_for_the_invited_email_until_they_expire,
    only_owners_and_admins_manage_and_a_workspace_keeps_an_owner,
    removing_a_member_takes_their_places_and_passes_their_interviews_to_an_owner,
    writes_name_their_workspace_when_there_are_several_and_start_from_its_defaults,
    duplicating_a_starter_question_copies_its_hidden_cases_into_the_workspace,
    export_holds_everything_and_delete_removes_everything,
    the_registration_policy_is_enforced,
    a_workspaces_own_run_limit_holds_for_every_host_in_it,
);

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("json")
}

/// Creates an invite and returns `(token, body)`.
async fn invite(app: &TestApp, owner: &reqwest::Client, workspace: &str, email: &str, role: &str) -> (String, Value) {
    let response = app
        .post_json(owner, &format!("/api/workspaces/{workspace}/invites"), &json!({"email": email, "role": role}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "inviting {email}");
    let body = json_of(response).await;
    let token = body["invite_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    (token, body)
}

async fn a_new_account_owns_a_personal_workspace_with_editable_settings(app: TestApp) {
    let ada = app.signed_in("ada@example.com", "Ada").await;
    let list = json_of(app.get(&ada, "/api/workspaces").await).await;
    let workspaces = list["workspaces"].as_array().unwrap();
    assert_eq!(workspaces.len(), 1);
    let w = &workspaces[0];
    assert_eq!(w["name"], "Ada's workspace");
    assert_eq!(w["my_role"], "owner");
    assert_eq!(w["member_count"], 1);
    assert_eq!(w["default_language"], "python");
    assert_eq!(w["default_rubric"].as_array().unwrap().len(), 4);
    let id = w["id"].as_str().unwrap();

    let patched = app
        .patch_json(
            &ada,
            &format!("/api/workspaces/{id}"),
            &json!({"name": "Platform team", "default_language": "go", "default_duration_minutes": 45,
                    "runs_per_day": 300, "default_rubric": [{"name": "Design", "description": "APIs"}]}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched = json_of(patched).await["workspace"].clone();
    assert_eq!(patched["name"], "Platform team");
    assert_eq!(patched["default_language"], "go");
    assert_eq!(patched["default_duration_minutes"], 45);
    assert_eq!(patched["runs_per_day"], 300);
    assert_eq!(patched["default_rubric"][0]["name"], "Design");
    // `null` lifts the workspace's own run limit; leaving it out keeps it.
    let kept =
        json_of(app.patch_json(&ada, &format!("/api/workspaces/{id}"), &json!({"name": "Platform"})).await).await;
    assert_eq!(kept["workspace"]["runs_per_day"], 300);
    let lifted =
        json_of(app.patch_json(&ada, &format!("/api/workspaces/{id}"), &json!({"runs_per_day": null})).await).await;
    assert!(lifted["workspace"]["runs_per_day"].is_null());

    let bad = app
        .patch_json(
            &ada,
            &format!("/api/workspaces/{id}"),
            &json!({"name": " ", "default_language": "cobol", "default_duration_minutes": 1, "runs_per_day": 0,
                    "default_rubric": []}),
        )
        .await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    for field in ["name", "default_language", "default_duration_minutes", "runs_per_day", "default_rubric"] {
        assert!(body["error"]["fields"][field].is_string(), "{field} is named: {body}");
    }
    let unchanged = json_of(app.get(&ada, &format!("/api/workspaces/{id}")).await).await;
    assert_eq!(unchanged["workspace"]["name"], "Platform", "a refused edit changes nothing");

    let created = app.post_json(&ada, "/api/workspaces", &json!({"name": "Data team"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let list = json_of(app.get(&ada, "/api/workspaces").await).await;
    let names: Vec<&str> = list["workspaces"].as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Data team", "Platform"], "by name");
}

async fn invites_work_once_for_the_invited_email_until_they_expire(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let bea = app.signed_in("bea@example.com", "Bea").await;
    let eve = app.signed_in("eve@example.com", "Eve").await;
    let workspace = app.workspace_of(&owner).await;

    let (token, created) = invite(&app, &owner, &workspace, "Bea@Example.com", "admin").await;
    assert_eq!(created["invite"]["email"], "bea@example.com");
    assert_eq!(created["invite"]["role"], "admin");
    assert_eq!(created["email_sent"], false, "no SMTP configured");
    assert!(created["invite_url"].as_str().unwrap().contains("/invites/"));

    // Anyone holding the link may see what it is for, without signing in.
    let preview = json_of(app.get(&app.browser(), &format!("/api/workspace-invites/{token}")).await).await;
    assert_eq!(preview["invite"]["workspace_name"], "Owen's workspace");
    assert_eq!(preview["invite"]["invited_by"], "Owen");

    let pending = json_of(app.get(&owner, &format!("/api/workspaces/{workspace}/invites")).await).await;
    assert_eq!(pending["invites"].as_array().unwrap().len(), 1);

    let wrong = app.post_json(&eve, &format!("/api/workspace-invites/{token}/accept"), &json!({})).await;
    assert_error(wrong, StatusCode::FORBIDDEN, "invite_wrong_account").await;
    let accepted = app.post_json(&bea, &format!("/api/workspace-invites/{token}/accept"), &json!({})).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(json_of(accepted).await["workspace"]["my_role"], "admin");
    let again = app.post_json(&bea, &format!("/api/workspace-invites/{token}/accept"), &json!({})).await;
    assert_error(again, StatusCode::CONFLICT, "invite_used").await;
    let members = json_of(app.get(&owner, &format!("/api/workspaces/{workspace}/members")).await).await;
    assert_eq!(members["members"].as_array().unwrap().len(), 2);
    let pending = json_of(app.get(&owner, &format!("/api/workspaces/{workspace}/invites")).await).await;
    assert!(pending["invites"].as_array().unwrap().is_empty(), "accepted invites are not pending");

    let already = app
        .post_json(
            &owner,
            &format!("/api/workspaces/{workspace}/invites"),
            &json!({"email": "bea@example.com", "role": "member"}),
        )
        .await;
    assert_error(already, StatusCode::CONFLICT, "already_member").await;

    // Re-inviting replaces the pending invite: the old link dies.
    let (first, _) = invite(&app, &owner, &workspace, "eve@example.com", "member").await;
    let (second, _) = invite(&app, &owner, &workspace, "eve@example.com", "member").await;
    assert_error(app.get(&eve, &format!("/api/workspace-invites/{first}")).await, StatusCode::NOT_FOUND, "not_found")
        .await;

    // Expired links are refused.
    app.execute("UPDATE workspace_invites SET expires_at = created_at WHERE accepted_at IS NULL").await;
    let expired = app.post_json(&eve, &format!("/api/workspace-invites/{second}/accept"), &json!({})).await;
    assert_error(expired, StatusCode::CONFLICT, "invite_expired").await;

    // A revoked link is gone.
    let (third, body) = invite(&app, &owner, &workspace, "eve@example.com", "member").await;
    let id = body["invite"]["id"].as_str().unwrap();
    let revoked = app.delete(&owner, &format!("/api/workspaces/{workspace}/invites/{id}")).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let dead = app.post_json(&eve, &format!("/api/workspace-invites/{third}/accept"), &json!({})).await;
    assert_error(dead, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get(&eve, "/api/workspace-invites/not-a-token").await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn only_owners_and_admins_manage_and_a_workspace_keeps_an_owner(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let admin = app.signed_in("admin@example.com", "Ada").await;
    let member = app.signed_in("member@example.com", "Mo").await;
    let workspace = app.join_workspace(&owner, &admin, "admin").await;
    app.join_workspace(&owner, &member, "member").await;
    let ids = |body: Value| -> std::collections::HashMap<String, String> {
        body["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["email"].as_str().unwrap().to_owned(), m["user_id"].as_str().unwrap().to_owned()))
            .collect()
    };
    let ids = ids(json_of(app.get(&member, &format!("/api/workspaces/{workspace}/members")).await).await);
    let (owner_id, member_id) = (&ids["owner@example.com"], &ids["member@example.com"]);
    let path = |rest: &str| format!("/api/workspaces/{workspace}{rest}");

    // A member reads but does not manage.
    assert_error(
        app.patch_json(&member, &path(""), &json!({"name": "Mine"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        app.post_json(&member, &path("/invites"), &json!({"email": "x@example.com", "role": "member"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(app.get(&member, &path("/export")).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.delete(&member, &path("")).await, StatusCode::FORBIDDEN, "forbidden").await;
    // An admin manages, but neither makes nor touches owners, nor deletes.
    assert_error(
        app.post_json(&admin, &path("/invites"), &json!({"email": "x@example.com", "role": "owner"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        app.patch_json(&admin, &path(&format!("/members/{owner_id}")), &json!({"role": "member"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(app.delete(&admin, &path(&format!("/members/{owner_id}"))).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    assert_error(app.delete(&admin, &path("")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let promoted = app.patch_json(&admin, &path(&format!("/members/{member_id}")), &json!({"role": "admin"})).await;
    assert_eq!(promoted.status(), StatusCode::OK);
    assert_eq!(json_of(promoted).await["member"]["role"], "admin");
    // The last owner can neither leave nor step down.
    assert_error(app.delete(&owner, &path(&format!("/members/{owner_id}"))).await, StatusCode::CONFLICT, "last_owner")
        .await;
    assert_error(
        app.patch_json(&owner, &path(&format!("/members/{owner_id}")), &json!({"role": "admin"})).await,
        StatusCode::CONFLICT,
        "last_owner",
    )
    .await;
    // A member may leave.
    let left = app.delete(&member, &path(&format!("/members/{member_id}"))).await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&member, &path("")).await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn removing_a_member_takes_their_places_and_passes_their_interviews_to_an_owner(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let leaver = app.signed_in("leaver@example.com", "Lee").await;
    let workspace = app.join_workspace(&owner, &leaver, "member").await;
    let question = create_question(&app, &owner, "Team question").await;
    // An interview the owner hosts with the leaver as interviewer, and one the leaver hosts
    // with the owner as observer.
    let owners = create_interview(&app, &owner, json!({"title": "Owner's", "question_ids": [question]})).await;
    let added = app
        .post_json(
            &owner,
            &format!("/api/interviews/{}/participants", owners.id),
            &json!({"email": "leaver@example.com", "role": "interviewer"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let leavers = create_interview(&app, &leaver, json!({"title": "Leaver's", "workspace_id": workspace})).await;
    let added = app
        .post_json(
            &leaver,
            &format!("/api/interviews/{}/participants", leavers.id),
            &json!({"email": "owner@example.com", "role": "observer"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);

    let members = json_of(app.get(&owner, &format!("/api/workspaces/{workspace}/members")).await).await;
    let leaver_id = members["members"].as_array().unwrap().iter().find(|m| m["email"] == "leaver@example.com").unwrap()
        ["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = app.delete(&owner, &format!("/api/workspaces/{workspace}/members/{leaver_id}")).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    for id in [&owners.id, &leavers.id] {
        assert_error(app.get(&leaver, &format!("/api/interviews/{id}")).await, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    assert_error(app.get(&leaver, &format!("/api/questions/{question}")).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let listed = json_of(app.get(&leaver, "/api/interviews").await).await;
    assert!(listed["interviews"].as_array().unwrap().is_empty(), "{listed}");

    let detail = json_of(app.get(&owner, &format!("/api/interviews/{}", leavers.id)).await).await;
    assert_eq!(detail["interview"]["my_role"], "host", "the owner inherits the leaver's interview");
    let participants = detail["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 1, "the owner's observer place became the host's: {participants:?}");
    assert_eq!(participants[0]["email"], "owner@example.com");
    let detail = json_of(app.get(&owner, &format!("/api/interviews/{}", owners.id)).await).await;
    assert_eq!(detail["participants"].as_array().unwrap().len(), 1, "the leaver's interviewer place is gone");
}

async fn writes_name_their_workspace_when_there_are_several_and_start_from_its_defaults(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let colleague = app.signed_in("colleague@example.com", "Cy").await;
    let stranger = app.signed_in("stranger@example.com", "Stan").await;
    let team = app.join_workspace(&owner, &colleague, "member").await;
    app.patch_json(
        &owner,
        &format!("/api/workspaces/{team}"),
        &json!({"default_language": "rust", "default_duration_minutes": 90}),
    )
    .await;

    // The colleague belongs to two workspaces now: creating must say which.
    let unnamed = app.post_json(&colleague, "/api/interviews", &json!({"title": "Which?"})).await;
    let body = assert_error(unnamed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["workspace_id"].is_string());
    let unnamed = app
        .post_json(
            &colleague,
            "/api/questions",
            &json!({"title": "t", "prompt": "p", "difficulty": "easy", "category": "c"}),
        )
        .await;
    assert_error(unnamed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let created = app.post_json(&colleague, "/api/interviews", &json!({"title": "Named", "workspace_id": team})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let interview = json_of(created).await["interview"].clone();
    assert_eq!(interview["workspace_id"], team.as_str());
    assert_eq!(interview["language"], "rust", "the workspace's default language");
    assert_eq!(interview["duration_minutes"], 90, "the workspace's default duration");

    // Someone else's workspace is not a place to write.
    let foreign = app.post_json(&stranger, "/api/interviews", &json!({"title": "In", "workspace_id": team})).await;
    assert_error(foreign, StatusCode::NOT_FOUND, "not_found").await;
    // Only members become interviewers or observers.
    let id = interview["id"].as_str().unwrap();
    let outsider = app
        .post_json(
            &colleague,
            &format!("/api/interviews/{id}/participants"),
            &json!({"email": "stranger@example.com", "role": "observer"}),
        )
        .await;
    let body = assert_error(outsider, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["email"].as_str().unwrap().contains("member of this workspace"));
    // Questions come from the interview's workspace or the starter library.
    let strangers_question = create_question(&app, &stranger, "Not yours").await;
    let attach = app
        .patch_json(&colleague, &format!("/api/interviews/{id}"), &json!({"question_ids": [strangers_question]}))
        .await;
    assert_error(attach, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // Listing by workspace.
    let listed = json_of(app.get(&colleague, &format!("/api/interviews?workspace={team}")).await).await;
    assert_eq!(listed["interviews"].as_array().unwrap().len(), 1);
    let personal = json_of(app.get(&colleague, "/api/workspaces").await).await["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] != team.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = json_of(app.get(&colleague, &format!("/api/interviews?workspace={personal}")).await).await;
    assert!(listed["interviews"].as_array().unwrap().is_empty());
}

async fn duplicating_a_starter_question_copies_its_hidden_cases_into_the_workspace(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let workspace = app.workspace_of(&owner).await;
    let bank = json_of(app.get(&owner, "/api/questions").await).await;
    let starter = bank["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["builtin"] == true && q["hidden_test_count"].as_u64().unwrap() > 0)
        .expect("a starter question with hidden cases")
        .clone();
    assert!(starter["workspace_id"].is_null());
    assert!(starter["test_cases"].as_array().unwrap().iter().all(|c| c["hidden"] == false), "not served in the bank");
    let copy = app
        .post_json(&owner, &format!("/api/questions/{}/duplicate", starter["id"].as_str().unwrap()), &json!({}))
        .await;
    assert_eq!(copy.status(), StatusCode::CREATED);
    let copy = json_of(copy).await["question"].clone();
    assert_eq!(copy["workspace_id"], workspace.as_str());
    assert_eq!(copy["builtin"], false);
    let hidden = copy["test_cases"].as_array().unwrap().iter().filter(|c| c["hidden"] == true).count() as u64;
    assert_eq!(hidden, starter["hidden_test_count"].as_u64().unwrap(), "the copy's hidden cases go to the team");
    let edited = app
        .patch_json(&owner, &format!("/api/questions/{}", copy["id"].as_str().unwrap()), &json!({"title": "Ours now"}))
        .await;
    assert_eq!(edited.status(), StatusCode::OK, "the copy is editable");
}

async fn export_holds_everything_and_delete_removes_everything(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let workspace = app.workspace_of(&owner).await;
    let question = create_question(&app, &owner, "Exported").await;
    let interview =
        create_interview(&app, &owner, json!({"title": "Exported interview", "question_ids": [question]})).await;

    let export = app.get(&owner, &format!("/api/workspaces/{workspace}/export")).await;
    assert_eq!(export.status(), StatusCode::OK);
    let disposition = export.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"codeview-owen-s-workspace-"), "{disposition}");
    let export = json_of(export).await;
    assert_eq!(export["format"], "codeview-workspace-export");
    assert_eq!(export["workspace"]["id"], workspace.as_str());
    assert_eq!(export["members"][0]["email"], "owner@example.com");
    let cases = export["questions"][0]["question"]["test_cases"].as_array().unwrap();
    assert!(cases.iter().any(|c| c["hidden"] == true), "the export keeps hidden cases");
    assert_eq!(export["interviews"][0]["interview"]["id"], interview.id.as_str());
    assert_eq!(export["interviews"][0]["question_ids"][0], question.as_str());
    assert!(export["interviews"][0]["runs"].as_array().is_some());

    let deleted = app.delete(&owner, &format!("/api/workspaces/{workspace}")).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&owner, &format!("/api/interviews/{}", interview.id)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(app.get(&owner, &format!("/api/questions/{question}")).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_eq!(app.row_count("interviews").await, 0);
    assert_eq!(app.row_count("workspace_members").await, 0);
    assert_eq!(app.row_count("questions WHERE NOT builtin").await, 0);
    // With no workspace left, creating says so.
    let orphan = app.post_json(&owner, "/api/interviews", &json!({"title": "Nowhere"})).await;
    assert_error(orphan, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

async fn the_registration_policy_is_enforced(app: TestApp) {
    let app = app.restart_with(|config| config.registration = codeview::config::RegistrationMode::InviteOnly).await;
    let mode = json_of(app.get(&app.browser(), "/api/auth/registration").await).await;
    assert_eq!(mode, json!({"mode": "invite-only", "first_account": true}));
    // The first account of an empty install may register, so someone can set it up.
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let mode = json_of(app.get(&app.browser(), "/api/auth/registration").await).await;
    assert_eq!(mode["first_account"], false);
    let uninvited = app.register(&app.browser(), "walk-in@example.com", "Walk", "correct horse battery").await;
    assert_error(uninvited, StatusCode::FORBIDDEN, "registration_closed").await;

    let workspace = app.workspace_of(&owner).await;
    let (token, _) = invite(&app, &owner, &workspace, "new@example.com", "member").await;
    let register = |email: &'static str, token: String| {
        let app = &app;
        async move {
            app.post_json(
                &app.browser(),
                "/api/auth/register",
                &json!({"email": email, "name": "Nia", "password": "correct horse battery", "invite": token}),
            )
            .await
        }
    };
    let wrong = register("other@example.com", token.clone()).await;
    let body = assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["email"].is_string());
    let client = app.browser();
    let joined = app
        .post_json(
            &client,
            "/api/auth/register",
            &json!({"email": "new@example.com", "name": "Nia", "password": "correct horse battery", "invite": token}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let workspaces = json_of(app.get(&client, "/api/workspaces").await).await;
    let workspaces = workspaces["workspaces"].as_array().unwrap();
    assert_eq!(workspaces.len(), 1, "an invited account joins the team and gets no personal workspace");
    assert_eq!(workspaces[0]["id"], workspace.as_str());
    assert_error(register("new2@example.com", token).await, StatusCode::CONFLICT, "invite_used").await;

    let app = app.restart_with(|config| config.registration = codeview::config::RegistrationMode::Closed).await;
    let (token, _) = invite(&app, &owner, &workspace, "late@example.com", "member").await;
    let closed = app
        .post_json(
            &app.browser(),
            "/api/auth/register",
            &json!({"email": "late@example.com", "name": "Lat", "password": "correct horse battery", "invite": token}),
        )
        .await;
    assert_error(closed, StatusCode::FORBIDDEN, "registration_closed").await;
}

/// With `--smtp-url`, the invite is emailed through a real SMTP server, and the emailed link
/// is the one that works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_are_emailed_when_smtp_is_configured() {
    let smtp = SmtpServer::start().await;
    let args = smtp.mail_args();
    let app = TestApp::try_spawn_with(Backend::Sqlite, move |config| config.mail = args).await.expect("sqlite app");
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let workspace = app.workspace_of(&owner).await;
    let (token, created) = invite(&app, &owner, &workspace, "new@example.com", "member").await;
    assert_eq!(created["email_sent"], true);
    let mail = smtp.wait_for_mail("new@example.com", std::time::Duration::from_secs(10)).await;
    assert!(mail.subject.contains("Owen's workspace"), "{mail:?}");
    let url = created["invite_url"].as_str().unwrap();
    assert!(mail.body.contains(url), "the email carries the link: {mail:?}");
    let newcomer = app.signed_in("new@example.com", "Nia").await;
    let accepted = app.post_json(&newcomer, &format!("/api/workspace-invites/{token}/accept"), &json!({})).await;
    assert_eq!(accepted.status(), StatusCode::OK);

    // An SMTP server that is down does not lose the invite: the link is still given to copy.
    drop(smtp);
    let (_, created) = invite(&app, &owner, &workspace, "later@example.com", "member").await;
    assert_eq!(created["email_sent"], false);
    assert!(created["invite_url"].as_str().unwrap().contains("/invites/"));
}

async fn a_workspaces_own_run_limit_holds_for_every_host_in_it(app: TestApp) {
    let owner = app.signed_in("owner@example.com", "Owen").await;
    let colleague = app.signed_in("colleague@example.com", "Cy").await;
    let team = app.join_workspace(&owner, &colleague, "member").await;
    let limited = app.patch_json(&owner, &format!("/api/workspaces/{team}"), &json!({"runs_per_day": 1})).await;
    assert_eq!(limited.status(), StatusCode::OK);
    let hello = json!({"language": "python", "code": "print('hi')", "mode": "run"});
    let first = create_interview(&app, &owner, json!({"title": "First"})).await;
    app.post_json(&owner, &format!("/api/interviews/{}/start", first.id), &json!({})).await;
    let run = queue_run(&app, &owner, &first.id, hello.clone()).await;
    wait_run(&app, &owner, &run).await;
    // Another host's interview in the same workspace shares the workspace's limit.
    let second = create_interview(&app, &colleague, json!({"title": "Second", "workspace_id": team})).await;
    app.post_json(&colleague, &format!("/api/interviews/{}/start", second.id), &json!({})).await;
    let refused = app.post_json(&colleague, &format!("/api/interviews/{}/runs", second.id), &hello).await;
    let body = assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("This workspace has reached its limit of 1"), "{body}");
    // The colleague's own workspace is not limited.
    let personal = json_of(app.get(&colleague, "/api/workspaces").await).await["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] != team.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let own = create_interview(&app, &colleague, json!({"title": "Own", "workspace_id": personal})).await;
    app.post_json(&colleague, &format!("/api/interviews/{}/start", own.id), &json!({})).await;
    let run = queue_run(&app, &colleague, &own.id, hello).await;
    assert_eq!(wait_run(&app, &colleague, &run).await["status"], "finished");
}
