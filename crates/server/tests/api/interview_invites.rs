//! The candidate's invite link and interview emails: renewing the link (the old one is refused
//! at once; the candidate is signed out unless the host keeps them in), sending without SMTP
//! (nothing fails, `email_sent: false`), and, through a real SMTP server, the candidate's
//! invite and the panel's notices with their calendar files.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview, join, parse_invite_url};
use crate::helpers::{Backend, TestApp, assert_error};
use crate::smtp::{ReceivedMail, SmtpServer};

crate::on_both_backends!(
    renewing_the_invite_signs_the_candidate_out_and_retires_the_old_link,
    renewing_the_invite_can_keep_the_candidate_signed_in,
    without_smtp_nothing_is_emailed_and_nothing_fails,
);

const MAIL_WAIT: Duration = Duration::from_secs(10);

/// The room as a fresh client with `invite` sees it, and what joining with it answers.
async fn try_invite(app: &TestApp, code: &str, invite: &str) -> (StatusCode, StatusCode) {
    let guest = Client::new();
    let room = app.get(&guest, &format!("/api/interviews/room/{code}?invite={invite}")).await.status();
    let join = app
        .post_json(&guest, &format!("/api/interviews/room/{code}/join"), &json!({"name": "Cara", "invite": invite}))
        .await
        .status();
    (room, join)
}

async fn renew(app: &TestApp, client: &Client, interview: &Interview, body: Option<Value>) -> (String, String) {
    let path = format!("/api/interviews/{}/invite", interview.id);
    let response = match body {
        Some(body) => app.post_json(client, &path, &body).await,
        None => client.post(app.url(&path)).send().await.unwrap(),
    };
    assert_eq!(response.status(), StatusCode::OK, "renewing");
    let body: Value = response.json().await.unwrap();
    parse_invite_url(body["candidate_invite_url"].as_str().unwrap())
}

async fn renewing_the_invite_signs_the_candidate_out_and_retires_the_old_link(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(false).await;
    let me = format!("/api/interviews/{}", interview.id);
    assert_eq!(app.get(&cast.candidate, &me).await.status(), StatusCode::OK, "joined");

    // No body at all is the default: sign the candidate out.
    let (code, invite) = renew(app, &cast.host, &interview, None).await;
    assert_ne!(invite, interview.invite);
    assert_eq!(code, interview.code, "the room code stays");
    let old = try_invite(app, &interview.code, &interview.invite).await;
    assert_eq!(old, (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "the old link is refused at once");
    assert_error(app.get(&cast.candidate, &me).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Explicitly not kept, by a co-interviewer: the same.
    let renewed = Interview { code, invite, ..interview.clone() };
    join(app, &cast.candidate, &renewed, "Cara").await;
    let (_, newest) = renew(app, &cast.co, &interview, Some(json!({"keep_candidate_session": false}))).await;
    let previous = try_invite(app, &renewed.code, &renewed.invite).await;
    assert_eq!(previous, (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_error(app.get(&cast.candidate, &me).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let current = try_invite(app, &interview.code, &newest).await;
    assert_eq!(current, (StatusCode::OK, StatusCode::OK), "the new link works");

    // Observers and candidates may not renew; a bad body is refused and changes nothing.
    let path = format!("/api/interviews/{}/invite", interview.id);
    let by_observer = app.post_json(&cast.observer, &path, &json!({"keep_candidate_session": true})).await;
    assert_error(by_observer, StatusCode::FORBIDDEN, "forbidden").await;
    let unknown = app.post_json(&cast.host, &path, &json!({"keep_session": true})).await;
    assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mistyped = app.post_json(&cast.host, &path, &json!({"keep_candidate_session": "yes"})).await;
    assert_error(mistyped, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(try_invite(app, &interview.code, &newest).await.0, StatusCode::OK, "still the newest link");
}

async fn renewing_the_invite_can_keep_the_candidate_signed_in(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let me = format!("/api/interviews/{}", interview.id);

    let (code, invite) = renew(app, &cast.host, &interview, Some(json!({"keep_candidate_session": true}))).await;
    assert_ne!(invite, interview.invite);
    let old = try_invite(app, &interview.code, &interview.invite).await;
    assert_eq!(old, (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "the old link is refused at once");
    let seen = app.get(&cast.candidate, &me).await;
    assert_eq!(seen.status(), StatusCode::OK, "the candidate stays signed in");
    let seen: Value = seen.json().await.unwrap();
    assert_eq!(seen["interview"]["my_role"], "candidate");
    let me_now: Value = app.get(&cast.candidate, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me_now["candidate"]["interview_id"], interview.id.as_str());
    let runs = app.get(&cast.candidate, &format!("/api/interviews/{}/runs", interview.id)).await;
    assert_eq!(runs.status(), StatusCode::OK, "the kept session still reaches the live interview");
    assert_eq!(try_invite(app, &code, &invite).await, (StatusCode::OK, StatusCode::OK), "the new link works");
}

async fn without_smtp_nothing_is_emailed_and_nothing_fails(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let created = app
        .post_json(
            &cast.host,
            "/api/interviews",
            &json!({"title": "Pairing", "candidate_email": "cara@example.com", "scheduled_at": "2027-06-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["email_sent"], false);
    let id = created["interview"]["id"].as_str().unwrap();
    let detail: Value = app.get(&cast.host, &format!("/api/interviews/{id}")).await.json().await.unwrap();
    assert_eq!(detail["email_enabled"], false);
    let send = format!("/api/interviews/{id}/invite/send");
    let sent = app.post_json(&cast.host, &send, &json!({})).await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert_eq!(sent.json::<Value>().await.unwrap(), json!({"email_sent": false}));
    let added = app
        .post_json(
            &cast.host,
            &format!("/api/interviews/{id}/participants"),
            &json!({"email": "co@example.com", "role": "interviewer"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    assert_eq!(added.json::<Value>().await.unwrap()["email_sent"], false);

    // Who may send, and what there must be to send.
    assert_error(app.post_json(&cast.observer, &send, &json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.post_json(&cast.co, &send, &json!({})).await.status(), StatusCode::OK, "a co-interviewer may");
    let other = cast.interview(false).await;
    let other_send = format!("/api/interviews/{}/invite/send", other.id);
    assert_error(app.post_json(&cast.observer, &other_send, &json!({})).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    assert_error(app.post_json(&cast.candidate, &other_send, &json!({})).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    assert_error(app.post_json(&cast.stranger, &other_send, &json!({})).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let no_address = app.post_json(&cast.host, &other_send, &json!({})).await;
    assert_error(no_address, StatusCode::CONFLICT, "no_candidate_email").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/end", other.id), &json!({})).await;
    let ended = app.post_json(&cast.host, &other_send, &json!({})).await;
    assert_error(ended, StatusCode::CONFLICT, "invalid_status").await;
}

/// The unfolded content lines of an iCalendar file, as `(name, value)`: a tiny parser for
/// what the server writes (no parameters).
fn ics_lines(ics: &str) -> Vec<(String, String)> {
    assert!(ics.contains("\r\n"), "CRLF line ends: {ics:?}");
    for physical in ics.split("\r\n") {
        assert!(physical.len() <= 75, "a line of {} octets: {physical:?}", physical.len());
    }
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("a content line: {line:?}"));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn ics_value<'a>(lines: &'a [(String, String)], name: &str) -> &'a str {
    let mut found = lines.iter().filter(|(n, _)| n == name);
    let (_, value) = found.next().unwrap_or_else(|| panic!("{name} in {lines:?}"));
    assert!(found.next().is_none(), "one {name}");
    value
}

/// The calendar file of an email, parsed.
fn calendar_of(mail: &ReceivedMail) -> Vec<(String, String)> {
    assert_eq!(mail.attachments.len(), 1, "one attachment: {mail:?}");
    let attachment = &mail.attachments[0];
    assert_eq!(attachment.content_type, "text/calendar");
    assert_eq!(attachment.filename, "invite.ics");
    assert_eq!(attachment.method.as_deref(), Some("PUBLISH"));
    let lines = ics_lines(std::str::from_utf8(&attachment.bytes).expect("UTF-8"));
    assert_eq!(lines.first().map(|(n, v)| (n.as_str(), v.as_str())), Some(("BEGIN", "VCALENDAR")));
    assert_eq!(ics_value(&lines, "METHOD"), "PUBLISH");
    lines
}

fn link_in(body: &str, prefix: &str) -> String {
    let line = body.lines().find_map(|line| line.strip_prefix(prefix)).unwrap_or_else(|| panic!("{prefix} in {body}"));
    line.trim().to_owned()
}

/// With `--smtp-url`: the candidate is emailed on creation and on demand, with a link that
/// joins and a calendar file; people added to the panel get the interview's page (never the
/// candidate's link); sends are limited per interview; a server that is down fails nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interview_invites_are_emailed_with_a_calendar_file() {
    let smtp = SmtpServer::start().await;
    let args = smtp.mail_args();
    let app = TestApp::try_spawn_with(Backend::Sqlite, move |config| {
        config.mail = args;
        config.rate_limits.invite_emails_per_hour = 4;
    })
    .await
    .expect("sqlite app");
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let co = app.signed_in("co@example.com", "Cole Co").await;
    let observer = app.signed_in("observer@example.com", "Olga Observer").await;
    app.join_workspace(&host, &co, "member").await;
    app.join_workspace(&host, &observer, "member").await;

    let title = "Backend pairing, round 2; with a rather long title that will need folding — ok";
    let created = app
        .post_json(
            &host,
            "/api/interviews",
            &json!({"title": title, "candidate_name": "Cara", "candidate_email": "Cara@Example.com",
                "scheduled_at": "2027-06-01T09:00:00Z", "duration_minutes": 45}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["email_sent"], true);
    let id = created["interview"]["id"].as_str().unwrap().to_owned();
    let invite_url = created["candidate_invite_url"].as_str().unwrap().to_owned();
    let detail: Value = app.get(&host, &format!("/api/interviews/{id}")).await.json().await.unwrap();
    assert_eq!(detail["email_enabled"], true);

    let mail = smtp.wait_for_mail("cara@example.com", MAIL_WAIT).await;
    assert!(mail.subject.contains("Backend pairing"), "{mail:?}");
    assert!(mail.body.contains("Hana Host invited you"), "{}", mail.body);
    let emailed = link_in(&mail.body, "Join: ");
    assert_eq!(emailed, invite_url, "the email carries the invite link");
    let calendar = calendar_of(&mail);
    let uid = ics_value(&calendar, "UID").to_owned();
    assert!(uid.contains(&id), "{uid}");
    assert_eq!(ics_value(&calendar, "DTSTART"), "20270601T090000Z");
    assert_eq!(ics_value(&calendar, "DTEND"), "20270601T094500Z");
    assert_eq!(
        ics_value(&calendar, "SUMMARY"),
        "Backend pairing\\, round 2\\; with a rather long title that will need folding — ok"
    );
    assert_eq!(ics_value(&calendar, "URL"), invite_url);
    assert!(ics_value(&calendar, "DESCRIPTION").contains(&invite_url));
    // The emailed link joins.
    let (code, invite) = parse_invite_url(&emailed);
    let interview = Interview { id: id.clone(), code, invite, observer_participant: None };
    join(&app, &app.browser(), &interview, "Cara").await;

    // People added to the panel get the interview's page, not the candidate's link.
    let participants = format!("/api/interviews/{id}/participants");
    for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
        let added = app.post_json(&host, &participants, &json!({"email": email, "role": role})).await;
        assert_eq!(added.status(), StatusCode::CREATED);
        assert_eq!(added.json::<Value>().await.unwrap()["email_sent"], true, "{email}");
        // They also had the workspace invite: pick the interview's email among theirs.
        let mail = smtp.wait_for_mail_containing(email, &format!("as an {role}"), MAIL_WAIT).await;
        let page = link_in(&mail.body, "Open: ");
        assert_eq!(page, format!("{}/interviews/{id}", app.base));
        assert!(!mail.body.contains(&interview.invite), "no invite secret for the panel: {}", mail.body);
        let calendar = calendar_of(&mail);
        assert_eq!(ics_value(&calendar, "UID"), uid, "one event per interview");
        assert_eq!(ics_value(&calendar, "URL"), page);
        assert!(!calendar.iter().any(|(_, v)| v.contains(&interview.invite)));
    }
    // The interviewer's link opens the interview for them.
    assert_eq!(app.get(&co, &format!("/api/interviews/{id}")).await.status(), StatusCode::OK);

    // On demand, by a co-interviewer: the fourth and last email this hour, then 429.
    let send = format!("/api/interviews/{id}/invite/send");
    let sent = app.post_json(&co, &send, &json!({})).await;
    assert_eq!(sent.json::<Value>().await.unwrap(), json!({"email_sent": true}));
    let mails = smtp.wait_for_mails("cara@example.com", 2, MAIL_WAIT).await;
    assert!(mails.iter().all(|m| calendar_of(m).iter().any(|(n, v)| n == "UID" && *v == uid)));
    let limited = app.post_json(&host, &send, &json!({})).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Over the limit, adding someone still works; they are just not emailed.
    let late = app.signed_in("late@example.com", "Lee Late").await;
    app.join_workspace(&host, &late, "member").await;
    let added = app.post_json(&host, &participants, &json!({"email": "late@example.com", "role": "observer"})).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    assert_eq!(added.json::<Value>().await.unwrap()["email_sent"], false);

    // An SMTP server that is down fails nothing: the interview is created, the link given.
    drop(smtp);
    let created =
        app.post_json(&host, "/api/interviews", &json!({"title": "Later", "candidate_email": "dan@example.com"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["email_sent"], false);
    assert!(created["candidate_invite_url"].as_str().unwrap().contains("/join/"));
    let id = created["interview"]["id"].as_str().unwrap();
    let sent = app.post_json(&host, &format!("/api/interviews/{id}/invite/send"), &json!({})).await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert_eq!(sent.json::<Value>().await.unwrap(), json!({"email_sent": false}));
}
