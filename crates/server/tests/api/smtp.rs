//! Email through a real SMTP server: `SmtpServer` runs aiosmtpd (Python) on loopback, keeping
//! what it receives in a Maildir that `wait_for_mail` reads. aiosmtpd comes from
//! `scripts/install-deps.sh`, in the venv `$CODEVIEW_VENV` (default `~/.cache/codeview-venv`);
//! without it these tests fail, they never skip.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use codeview::mail::{MailArgs, MailError, Mailer, SEND_TIMEOUT, invite_email};

const START_TIMEOUT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);

/// aiosmtpd on `127.0.0.1:PORT`, storing every message it accepts; killed on drop.
pub struct SmtpServer {
    port: u16,
    child: Child,
    maildir: PathBuf,
    _tempdir: tempfile::TempDir,
}

/// One received email, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The `From` address (without the display name).
    pub from: String,
    /// The `To` addresses.
    pub to: Vec<String>,
    pub subject: String,
    /// The plain-text body, transfer encoding undone.
    pub body: String,
    /// The attachments, transfer encoding undone.
    pub attachments: Vec<ReceivedAttachment>,
}

/// One attachment of a received email.
#[derive(Debug, Clone)]
pub struct ReceivedAttachment {
    pub filename: String,
    /// `type/subtype`, e.g. `text/calendar`.
    pub content_type: String,
    /// The content type's `method` parameter (iCalendar), if any.
    pub method: Option<String>,
    pub bytes: Vec<u8>,
}

impl SmtpServer {
    /// Starts the server and waits until it accepts connections; panics, saying how to
    /// install aiosmtpd, when it cannot start.
    pub async fn start() -> SmtpServer {
        let python = venv_python();
        assert!(python.is_file(), "no Python at {}: {INSTALL_HINT}", python.display());
        let tempdir = tempfile::tempdir().expect("temporary directory");
        let maildir = tempdir.path().join("maildir");
        let log_path = tempdir.path().join("aiosmtpd.log");
        let log = std::fs::File::create(&log_path).expect("aiosmtpd log file");
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}. {INSTALL_HINT}", python.display()));
        let mut server = SmtpServer { port, child, maildir, _tempdir: tempdir };
        server.wait_until_listening(&log_path).await;
        server
    }

    async fn wait_until_listening(&mut self, log_path: &Path) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("aiosmtpd status") {
                let log = std::fs::read_to_string(log_path).unwrap_or_default();
                panic!("aiosmtpd exited ({status}) before listening:\n{log}\n{INSTALL_HINT}");
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            let port = self.port;
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on port {port} within {START_TIMEOUT:?}");
            tokio::time::sleep(POLL).await;
        }
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP, no credentials).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Mail settings that send through this server.
    pub fn mail_args(&self) -> MailArgs {
        MailArgs { smtp_url: Some(self.url()), ..MailArgs::default() }
    }

    /// The first message received for `to` (a `To` or envelope recipient, case-insensitive);
    /// panics, listing what did arrive, when none comes within `timeout`.
    pub async fn wait_for_mail(&self, to: &str, timeout: Duration) -> ReceivedMail {
        self.wait_for_mails(to, 1, timeout).await.remove(0)
    }

    /// The first message received for `to` whose body contains `needle`, among others for the
    /// same address (the Maildir has no order); panics when none comes within `timeout`.
    pub async fn wait_for_mail_containing(&self, to: &str, needle: &str, timeout: Duration) -> ReceivedMail {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(mail) = self.mails_for(to, &self.received()).into_iter().find(|m| m.body.contains(needle)) {
                return mail;
            }
            if Instant::now() >= deadline {
                panic!("no email for {to} containing {needle:?} within {timeout:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The messages received for `to` once there are at least `count` (in no set order);
    /// panics, listing what did arrive, when fewer come within `timeout`.
    pub async fn wait_for_mails(&self, to: &str, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            let mails = self.mails_for(to, &received);
            if mails.len() >= count {
                return mails;
            }
            if Instant::now() >= deadline {
                let seen: Vec<_> = received.iter().map(|(recipients, _)| recipients).collect();
                panic!("{} of {count} emails for {to} within {timeout:?}; received for: {seen:?}", mails.len());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn mails_for(&self, to: &str, received: &[(Vec<String>, ReceivedMail)]) -> Vec<ReceivedMail> {
        let is_for = |recipients: &[String]| recipients.iter().any(|r| r.eq_ignore_ascii_case(to));
        received.iter().filter(|(recipients, _)| is_for(recipients)).map(|(_, mail)| mail.clone()).collect()
    }

    /// Every message in the Maildir (`new/` and `cur/`), with all its recipients.
    fn received(&self) -> Vec<(Vec<String>, ReceivedMail)> {
        let files = ["new", "cur"]
            .iter()
            .filter_map(|dir| std::fs::read_dir(self.maildir.join(dir)).ok())
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()));
        files.filter_map(|path| std::fs::read(path).ok()).filter_map(|raw| parse_mail(&raw)).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const INSTALL_HINT: &str = "aiosmtpd is needed for the email tests: run `bash scripts/install-deps.sh` \
     (it installs scripts/python-requirements.txt into $CODEVIEW_VENV, default ~/.cache/codeview-venv)";

/// `$CODEVIEW_VENV/bin/python`, the venv `scripts/install-deps.sh` installs aiosmtpd into.
fn venv_python() -> PathBuf {
    let venv = match std::env::var_os("CODEVIEW_VENV") {
        Some(venv) => PathBuf::from(venv),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/codeview-venv"),
    };
    venv.join("bin/python")
}

/// A loopback port nothing listens on (just now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().unwrap().port()
}

/// The message and its recipients: the `To` addresses and the envelope's (aiosmtpd's
/// `X-RcptTo` header).
fn parse_mail(raw: &[u8]) -> Option<(Vec<String>, ReceivedMail)> {
    use mail_parser::MimeHeaders;
    let message = mail_parser::MessageParser::default().parse(raw)?;
    let addresses = |list: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        list.map(|list| list.iter().filter_map(|addr| addr.address()).map(str::to_owned).collect()).unwrap_or_default()
    };
    let to = addresses(message.to());
    let envelope = message.header_raw("X-RcptTo").unwrap_or_default();
    let mut recipients = to.clone();
    recipients.extend(envelope.split(',').map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()));
    let mail = ReceivedMail {
        from: addresses(message.from()).into_iter().next().unwrap_or_default(),
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        body: message.body_text(0).map(|body| body.into_owned()).unwrap_or_default(),
        attachments: message
            .attachments()
            .map(|part| ReceivedAttachment {
                filename: part.attachment_name().unwrap_or_default().to_owned(),
                content_type: part
                    .content_type()
                    .map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or_default()))
                    .unwrap_or_default(),
                method: part.content_type().and_then(|t| t.attribute("method")).map(str::to_owned),
                bytes: part.contents().to_vec(),
            })
            .collect(),
    };
    Some((recipients, mail))
}

#[tokio::test]
async fn an_invite_email_reaches_a_real_smtp_server() {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::new(&smtp.mail_args()).unwrap();
    assert!(mailer.is_configured());
    // A long link and a name outside ASCII: the body goes out quoted-printable, the subject
    // as encoded words, and both must come back whole.
    let url = "http://codeview.interviews.example.com:8080/invites/Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi0xMjM0NTY3OA";
    let expires = chrono::Utc::now() + chrono::Duration::days(7);
    let (subject, body) = invite_email("Équipe Zürich", "Ada Lovelace", "member", url, expires);
    mailer.send("New.Hire@example.com", &subject, &body).await.unwrap();

    let mail = smtp.wait_for_mail("new.hire@example.com", Duration::from_secs(10)).await;
    assert_eq!(mail.to, ["New.Hire@example.com"]);
    assert_eq!(mail.from, "codeview@localhost");
    assert_eq!(mail.subject, "Ada Lovelace invited you to Équipe Zürich on CodeView");
    assert!(mail.body.contains(url), "{}", mail.body);
    assert!(mail.body.contains("Équipe Zürich"), "{}", mail.body);
}

#[tokio::test]
async fn a_closed_port_is_an_error_not_a_hang() {
    let args = MailArgs { smtp_url: Some(format!("smtp://127.0.0.1:{}", free_port())), ..MailArgs::default() };
    let mailer = Mailer::new(&args).unwrap();
    let started = Instant::now();
    let outcome = mailer.send("someone@example.com", "Subject", "Body").await;
    assert!(matches!(outcome, Err(MailError::Send(_))), "{outcome:?}");
    assert!(started.elapsed() < SEND_TIMEOUT, "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts connections and says nothing: the SMTP greeting never comes.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let args = MailArgs { smtp_url: Some(format!("smtp://127.0.0.1:{port}")), ..MailArgs::default() };
    let started = Instant::now();
    let outcome = Mailer::new(&args).unwrap().send("someone@example.com", "Subject", "Body").await;
    assert!(matches!(outcome, Err(MailError::Timeout)), "{outcome:?}");
    assert!(started.elapsed() < SEND_TIMEOUT + Duration::from_secs(2), "took {:?}", started.elapsed());
    hold.abort();
}
