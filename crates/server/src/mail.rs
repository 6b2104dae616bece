//! Outgoing email: workspace invites, and interview invites (`http::interview_emails`) with an
//! iCalendar file attached, sent as plain text through the SMTP server of `--smtp-url` (lettre
//! on tokio, TLS by rustls). Without that flag nothing is sent and links are only shown to copy.
//!
//! Message bodies carry secret invite links: they are never logged. A send is logged with the
//! recipient's domain and its outcome only.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::redact::redact_url;

const DEFAULT_FROM: &str = "CodeView <codeview@localhost>";

/// How long one send may take, all of it: connecting, TLS, every SMTP command.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The SMTP server, from the command line or the environment.
#[derive(Clone, Args)]
pub struct MailArgs {
    /// SMTP server that sends invite emails, e.g. `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host` (TLS from the start) or `smtp://127.0.0.1:2525`
    /// (plain, for a local relay). Without it no email is sent: invite links are only shown to
    /// copy. Credentials in the URL are never logged.
    #[arg(long, env = "CODEVIEW_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of those emails: `address` or `Name <address>`.
    #[arg(long, env = "CODEVIEW_SMTP_FROM", default_value = DEFAULT_FROM)]
    pub smtp_from: String,
}

impl Default for MailArgs {
    fn default() -> Self {
        MailArgs { smtp_url: None, smtp_from: DEFAULT_FROM.to_owned() }
    }
}

impl std::fmt::Debug for MailArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailArgs")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("smtp_from", &self.smtp_from)
            .finish()
    }
}

/// Why an email was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("no SMTP server is configured (--smtp-url)")]
    NotConfigured,
    #[error("not a valid email address")]
    BadAddress,
    #[error("the SMTP server did not take the email: {0}")]
    Send(String),
    #[error("the SMTP server did not answer within {} s", SEND_TIMEOUT.as_secs())]
    Timeout,
}

/// Sends email, or knows that it cannot (no `--smtp-url`). Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    inner: Option<Arc<Smtp>>,
}

struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Checks the sender address and the SMTP URL; connects to nothing yet.
    pub fn new(args: &MailArgs) -> anyhow::Result<Mailer> {
        let from: Mailbox = args
            .smtp_from
            .parse()
            .with_context(|| format!("--smtp-from {:?} is not an email address", args.smtp_from))?;
        let Some(url) = &args.smtp_url else {
            return Ok(Mailer { inner: None });
        };
        // The error names the URL without its credentials.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .with_context(|| {
                format!(
                    "--smtp-url {} is not a usable SMTP URL (smtp://HOST:PORT, smtp://…?tls=required, smtps://…)",
                    redact_url(url)
                )
            })?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Mailer { inner: Some(Arc::new(Smtp { transport, from })) })
    }

    /// Whether an SMTP server is configured (emails can be sent at all).
    pub fn is_configured(&self) -> bool {
        self.inner.is_some()
    }

    /// Sends a plain-text email to `to`, within `SEND_TIMEOUT`.
    pub async fn send(&self, to: &str, subject: &str, text_body: &str) -> Result<(), MailError> {
        self.send_with_calendar(to, subject, text_body, None).await
    }

    /// Sends a plain-text email to `to` with, when given, an iCalendar file attached as
    /// `invite.ics` (`text/calendar; method=PUBLISH`, its bytes kept as they are: CRLF lines).
    pub async fn send_with_calendar(
        &self,
        to: &str,
        subject: &str,
        text_body: &str,
        ics: Option<String>,
    ) -> Result<(), MailError> {
        let smtp = self.inner.as_ref().ok_or(MailError::NotConfigured)?;
        let to: Mailbox = to.parse().map_err(|_| MailError::BadAddress)?;
        let domain = to.email.domain().to_owned();
        let builder = Message::builder().from(smtp.from.clone()).to(to).subject(one_line(subject));
        let message = match ics {
            None => builder.header(ContentType::TEXT_PLAIN).body(text_body.to_owned()),
            Some(ics) => {
                let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH").expect("valid");
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(text_body.to_owned()))
                        .singlepart(Attachment::new("invite.ics".to_owned()).body(ics.into_bytes(), calendar)),
                )
            }
        }
        .map_err(|_| MailError::BadAddress)?;
        let outcome = match tokio::time::timeout(SEND_TIMEOUT, smtp.transport.send(message)).await {
            Err(_) => Err(MailError::Timeout),
            Ok(Err(err)) if err.is_timeout() => Err(MailError::Timeout),
            Ok(Err(err)) => Err(MailError::Send(err.to_string())),
            Ok(Ok(_)) => Ok(()),
        };
        match &outcome {
            Ok(()) => tracing::info!(recipient_domain = %domain, "email sent"),
            Err(err) => tracing::warn!(recipient_domain = %domain, error = %err, "email not sent"),
        }
        outcome
    }
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("configured", &self.is_configured()).finish()
    }
}

/// The subject and plain-text body of a workspace invite.
pub fn invite_email(
    workspace_name: &str,
    inviter_name: &str,
    role: &str,
    invite_url: &str,
    expires_at: DateTime<Utc>,
) -> (String, String) {
    let (workspace, inviter, role) = (one_line(workspace_name), one_line(inviter_name), one_line(role));
    let subject = format!("{inviter} invited you to {workspace} on CodeView");
    let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    let body = format!(
        "Hello,\n\n\
         {inviter} invited you to join {workspace} on CodeView as {article} {role}.\n\n\
         Accept: {invite_url}\n\n\
         The link works once and expires on {} (UTC).\n",
        expires_at.format("%Y-%m-%d %H:%M")
    );
    (subject, body)
}

/// `text` on one line: line breaks and other control characters become spaces, so that a name
/// cannot add a header (in the subject) or a line of its own (in the body).
pub fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn args(smtp_url: Option<&str>) -> MailArgs {
        MailArgs { smtp_url: smtp_url.map(str::to_owned), ..MailArgs::default() }
    }

    #[test]
    fn an_invite_names_the_workspace_the_inviter_the_role_the_link_and_the_expiry() {
        let expires = Utc.with_ymd_and_hms(2030, 5, 1, 14, 30, 0).unwrap();
        let (subject, body) =
            invite_email("Platform team", "Ada Lovelace", "admin", "https://cv.example/invites/s3cr3t", expires);
        assert_eq!(subject, "Ada Lovelace invited you to Platform team on CodeView");
        assert!(body.contains("Ada Lovelace invited you to join Platform team on CodeView as an admin."), "{body}");
        assert!(body.contains("Accept: https://cv.example/invites/s3cr3t\n"), "{body}");
        assert!(body.contains("expires on 2030-05-01 14:30 (UTC)"), "{body}");
    }

    #[test]
    fn names_cannot_inject_headers_or_lines() {
        let expires = Utc.with_ymd_and_hms(2030, 5, 1, 0, 0, 0).unwrap();
        let (subject, body) =
            invite_email("Team\r\nBcc: victim@example.com", "Eve\nAccept: https://evil", "member", "URL", expires);
        assert!(!subject.contains(['\r', '\n']), "{subject:?}");
        assert_eq!(subject, "Eve Accept: https://evil invited you to Team Bcc: victim@example.com on CodeView");
        assert_eq!(body.lines().filter(|line| line.starts_with("Accept:")).count(), 1, "{body}");
    }

    #[test]
    fn the_flags_parse_with_their_defaults() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            mail: MailArgs,
        }
        let cli =
            <Cli as clap::Parser>::try_parse_from(["codeview", "--smtp-url", "smtp://u:pw@127.0.0.1:2525"]).unwrap();
        assert_eq!(cli.mail.smtp_url.as_deref(), Some("smtp://u:pw@127.0.0.1:2525"));
        assert_eq!(cli.mail.smtp_from, DEFAULT_FROM);
        assert!(!format!("{:?}", cli.mail).contains("pw@"), "{:?}", cli.mail);
    }

    #[test]
    fn a_bad_smtp_url_or_sender_is_refused_at_start() {
        assert!(Mailer::new(&args(Some("not a url"))).is_err());
        assert!(Mailer::new(&args(Some("http://mail.example.com"))).is_err());
        let err = Mailer::new(&args(Some("imap://bob:hunter2@mail.example.com"))).unwrap_err();
        assert!(!format!("{err:#}").contains("hunter2"), "{err:#}");
        let bad_from = MailArgs { smtp_from: "not an address".into(), ..args(None) };
        assert!(Mailer::new(&bad_from).is_err());
        assert!(Mailer::new(&args(Some("smtp://127.0.0.1:2525"))).unwrap().is_configured());
        assert!(Mailer::new(&args(Some("smtps://mail.example.com"))).unwrap().is_configured());
    }

    #[tokio::test]
    async fn without_an_smtp_url_nothing_is_sent() {
        let mailer = Mailer::new(&MailArgs::default()).unwrap();
        assert!(!mailer.is_configured());
        assert!(matches!(mailer.send("a@example.com", "Hi", "Body").await, Err(MailError::NotConfigured)));
    }
}
