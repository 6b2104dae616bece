//! Interview emails: the candidate's invite (the join link, which carries the invite secret)
//! and the panel's notice (interviewers and observers get the interview's own page, never the
//! candidate's link), each with an `.ics` calendar file when the interview is scheduled.
//!
//! Sent when an interview is created with a `candidate_email`, when someone is added to its
//! panel, and on `POST /api/interviews/{id}/invite/send` (host and interviewers). Sends are
//! rate limited per interview (`--invite-emails-per-hour`). Without SMTP, or when a send fails
//! or is over the limit, nothing else fails: the answer says `email_sent: false` and the
//! failure is logged (never the body, which may hold the secret).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::views::{interview_page_url, invite_url};
use crate::auth::interview_access;
use crate::calendar::CalendarEvent;
use crate::db::InterviewRecord;
use crate::domain::{InterviewStatus, Role};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiPath, Caller};
use crate::mail::one_line;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_invite))
}

#[derive(Serialize, ToSchema)]
pub struct InviteEmailResponse {
    /// Whether the email went out (SMTP configured and the send succeeded).
    email_sent: bool,
}

/// Emails the candidate their invite link, with a calendar file when the interview is
/// scheduled (host and co-interviewers). 409 `no_candidate_email` when the interview has no
/// candidate email, 409 `invalid_status` once it has ended, 429 over the per-interview limit.
#[utoipa::path(post, path = "/api/interviews/{id}/invite/send", tag = "interviews",
    responses((status = 200, body = InviteEmailResponse), (status = 403), (status = 404), (status = 409),
        (status = 429)))]
async fn send_invite(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<InviteEmailResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("email the invite")?;
    let sender = caller.user().ok_or(AppError::Forbidden("email the invite"))?;
    if access.status() == InterviewStatus::Ended {
        return Err(AppError::Conflict {
            code: "invalid_status",
            message: "This interview has ended: there is nothing to invite to.".into(),
        });
    }
    if access.interview.candidate_email.is_none() {
        return Err(AppError::Conflict {
            code: "no_candidate_email",
            message: "This interview has no candidate email: edit the interview to add one.".into(),
        });
    }
    if !state.mailer.is_configured() {
        return Ok(Json(InviteEmailResponse { email_sent: false }));
    }
    state.limits.invite_emails.check(&id).await?;
    let email_sent = send(&state, &access.interview, Recipient::Candidate, &sender.name).await;
    Ok(Json(InviteEmailResponse { email_sent }))
}

/// Who an interview email is for.
pub enum Recipient<'a> {
    /// The candidate, at the interview's `candidate_email`, with the invite link.
    Candidate,
    /// A co-interviewer or observer, at their account's email, with the interview's page.
    Panel { name: &'a str, email: &'a str, role: Role },
}

/// Sends one interview email when SMTP is configured and the interview's allowance is not
/// used up; says whether it went out. A failure is logged, never raised.
pub async fn send_if_possible(
    state: &AppState,
    interview: &InterviewRecord,
    to: Recipient<'_>,
    sender_name: &str,
) -> bool {
    if !state.mailer.is_configured() {
        return false;
    }
    if state.limits.invite_emails.check(&interview.id).await.is_err() {
        tracing::warn!(interview_id = %interview.id, "interview email not sent: over the per-interview limit");
        return false;
    }
    send(state, interview, to, sender_name).await
}

async fn send(state: &AppState, interview: &InterviewRecord, to: Recipient<'_>, sender_name: &str) -> bool {
    let public_url = &state.settings.public_url;
    let (address, email) = match to {
        Recipient::Candidate => {
            let Some(address) = interview.candidate_email.as_deref() else { return false };
            (address, candidate_email(interview, sender_name, &invite_url(state, interview), public_url))
        }
        Recipient::Panel { name, email, role } => {
            (email, panel_email(interview, sender_name, name, role, &interview_page_url(state, interview), public_url))
        }
    };
    match state.mailer.send_with_calendar(address, &email.subject, &email.body, email.ics).await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, interview_id = %interview.id, "sending an interview email failed");
            false
        }
    }
}

/// One composed email.
#[derive(Debug)]
pub struct InterviewEmail {
    pub subject: String,
    pub body: String,
    /// The calendar file, when the interview has a time.
    pub ics: Option<String>,
}

/// The candidate's invite: who invites them to what, when, and the join link.
pub fn candidate_email(interview: &InterviewRecord, sender: &str, link: &str, public_url: &str) -> InterviewEmail {
    let (title, sender) = (one_line(&interview.title), one_line(sender));
    let greeting = match interview.candidate_name.as_deref() {
        Some(name) => format!("Hello {},", one_line(name)),
        None => "Hello,".to_owned(),
    };
    let body = format!(
        "{greeting}\n\n\
         {sender} invited you to a coding interview on CodeView: {title}.\n\n\
         When: {}\n\
         Join: {link}\n\n\
         Open the link at the time of the interview: you wait in a lobby until it starts. The link is \
         yours alone: do not forward it.\n",
        when(interview),
    );
    InterviewEmail {
        subject: format!("Interview invitation: {title}"),
        body,
        ics: calendar(interview, &format!("Coding interview on CodeView.\nJoin: {link}"), link, public_url),
    }
}

/// A panel member's notice: the interview, their role, when, and the interview's page.
pub fn panel_email(
    interview: &InterviewRecord,
    sender: &str,
    name: &str,
    role: Role,
    link: &str,
    public_url: &str,
) -> InterviewEmail {
    let (title, sender, name) = (one_line(&interview.title), one_line(sender), one_line(name));
    let role = if role == Role::Observer { "an observer" } else { "an interviewer" };
    let body = format!(
        "Hello {name},\n\n\
         {sender} added you to the interview {title} on CodeView as {role}.\n\n\
         When: {}\n\
         Open: {link}\n\n\
         Sign in with your CodeView account to join.\n",
        when(interview),
    );
    InterviewEmail {
        subject: format!("You are on the panel: {title}"),
        body,
        ics: calendar(interview, &format!("Interview on CodeView.\nOpen: {link}"), link, public_url),
    }
}

fn when(interview: &InterviewRecord) -> String {
    match interview.scheduled_at {
        Some(at) => format!("{} UTC ({} minutes)", at.format("%A %Y-%m-%d %H:%M"), interview.duration_minutes),
        None => "not scheduled yet".to_owned(),
    }
}

/// The interview as a calendar event (none while it has no time). Its UID is the same in
/// every email of the interview, and its sequence grows with every edit, so a calendar that
/// gets it again updates the event.
fn calendar(interview: &InterviewRecord, description: &str, link: &str, public_url: &str) -> Option<String> {
    let start = interview.scheduled_at?;
    let host = public_url.split("://").nth(1).unwrap_or(public_url).split(['/', ':']).next().unwrap_or("codeview");
    let event = CalendarEvent {
        uid: format!("interview-{}@{host}", interview.id),
        sequence: sequence(interview.updated_at),
        stamp: Utc::now(),
        start,
        end: start + Duration::minutes(i64::from(interview.duration_minutes)),
        summary: interview.title.clone(),
        description: description.to_owned(),
        url: link.to_owned(),
    };
    Some(event.to_ics())
}

/// Minutes from 2024-01-01 to the interview's last edit: grows with every edit, and fits the
/// 32-bit integer `SEQUENCE` is for millennia.
fn sequence(updated_at: DateTime<Utc>) -> u32 {
    let epoch = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    u32::try_from((updated_at - epoch).num_minutes().max(0)).unwrap_or(u32::MAX >> 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    fn interview(scheduled: bool) -> InterviewRecord {
        let at = Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap();
        InterviewRecord {
            id: Uuid::nil(),
            workspace_id: Some(Uuid::nil()),
            title: "Backend pairing\r\nBcc: x@evil.example".into(),
            status: InterviewStatus::Scheduled,
            room_code: "abc-defg-hjk".into(),
            invite_secret: "s3cr3t".into(),
            language: Language::Python,
            scheduled_at: scheduled.then_some(at),
            duration_minutes: 45,
            candidate_name: Some("Cara".into()),
            candidate_email: Some("cara@example.com".into()),
            created_by: Uuid::nil(),
            created_at: at,
            updated_at: Utc.with_ymd_and_hms(2024, 1, 1, 1, 0, 0).unwrap(),
            started_at: None,
            ended_at: None,
            candidate_autocomplete: true,
            active_question_id: None,
            editor_locked: false,
            runs_disabled: false,
            auto_end: false,
        }
    }

    #[test]
    fn the_candidate_gets_the_join_link_the_time_and_a_calendar_file() {
        let link = "https://cv.example/join/abc-defg-hjk?invite=s3cr3t";
        let email = candidate_email(&interview(true), "Hana Host", link, "https://cv.example");
        assert_eq!(email.subject, "Interview invitation: Backend pairing Bcc: x@evil.example");
        assert!(email.body.starts_with("Hello Cara,\n"), "{}", email.body);
        assert!(email.body.contains("Hana Host invited you"), "{}", email.body);
        assert!(email.body.contains("When: Tuesday 2027-06-01 09:00 UTC (45 minutes)\n"), "{}", email.body);
        assert!(email.body.contains(&format!("Join: {link}\n")), "{}", email.body);
        let ics = email.ics.expect("scheduled: a calendar file");
        assert!(ics.contains("UID:interview-00000000-0000-0000-0000-000000000000@cv.example\r\n"), "{ics}");
        assert!(ics.contains("DTSTART:20270601T090000Z\r\nDTEND:20270601T094500Z\r\n"), "{ics}");
        assert!(ics.contains("SEQUENCE:60\r\n"), "{ics}");
    }

    #[test]
    fn the_panel_gets_the_interview_page_not_the_invite() {
        let link = "https://cv.example/interviews/00000000-0000-0000-0000-000000000000";
        let email = panel_email(&interview(false), "Hana", "Olga", Role::Observer, link, "https://cv.example");
        assert!(email.body.contains("as an observer."), "{}", email.body);
        assert!(email.body.contains(&format!("Open: {link}\n")), "{}", email.body);
        assert!(!email.body.contains("s3cr3t"), "{}", email.body);
        assert!(email.body.contains("When: not scheduled yet\n"), "{}", email.body);
        assert!(email.ics.is_none(), "no time, no calendar file");
    }

    #[test]
    fn the_sequence_grows_with_edits() {
        let epoch = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(sequence(epoch - Duration::days(1)), 0);
        assert!(sequence(epoch + Duration::minutes(5)) < sequence(epoch + Duration::minutes(6)));
    }
}
