//! "One terminal session per interview" across instances: a Redis lock per interview,
//! `codeview:room:terminal:{interview}` = `{instance}/{session}`, taken (`SET NX`) before a
//! session starts, renewed every [`RENEW_EVERY`] while it runs, released when it ends, and
//! lapsing [`LIFETIME`] after the last renewal when its instance dies. It also says where a
//! session runs, so the other instances relay input to it (`terminal_relay`).
//!
//! A renewal that finds the lock gone (Redis restarted empty) takes it again; one that finds
//! another session's lock (this one's lapsed while Redis was out of reach, and another
//! instance started a session) answers `Lost`, and the session is stopped: the lock, not
//! hope, keeps one session per interview.

use std::time::Duration;

use uuid::Uuid;

use crate::cluster::InstanceId;
use crate::cluster::command_link::{CommandLink, Unavailable};

/// How long a lock lasts without renewal.
pub const LIFETIME: Duration = Duration::from_secs(15);
/// How often a running session renews its lock.
pub const RENEW_EVERY: Duration = Duration::from_secs(5);
const KEY_PREFIX: &str = "codeview:room:terminal";

/// Renews the lock when it is ours (or takes it again when it is gone): 1; 0 when another holds it.
const RENEW: &str = r"
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
";

/// Deletes the lock when it is ours.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Where an interview's session runs, as its lock says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    pub instance: InstanceId,
    pub session_id: Uuid,
}

/// What a renewal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    Kept,
    /// Another session holds the interview's lock.
    Lost,
}

pub struct TerminalLocks {
    link: CommandLink,
    instance: InstanceId,
}

impl TerminalLocks {
    pub fn new(link: CommandLink, instance: InstanceId) -> TerminalLocks {
        TerminalLocks { link, instance }
    }

    fn key(interview_id: Uuid) -> String {
        format!("{KEY_PREFIX}:{interview_id}")
    }

    fn value(&self, session_id: Uuid) -> String {
        format!("{}/{session_id}", self.instance)
    }

    /// Takes the interview's lock for `session_id`; false when another session holds it.
    pub async fn acquire(&self, interview_id: Uuid, session_id: Uuid) -> Result<bool, Unavailable> {
        let mut set = redis::cmd("SET");
        set.arg(Self::key(interview_id))
            .arg(self.value(session_id))
            .arg("NX")
            .arg("PX")
            .arg(LIFETIME.as_millis() as u64);
        let answer: Option<String> = self.link.query(&set).await?;
        Ok(answer.is_some())
    }

    pub async fn renew(&self, interview_id: Uuid, session_id: Uuid) -> Result<Renewal, Unavailable> {
        let mut script = redis::cmd("EVAL");
        script
            .arg(RENEW)
            .arg(1)
            .arg(Self::key(interview_id))
            .arg(self.value(session_id))
            .arg(LIFETIME.as_millis() as u64);
        let kept: i64 = self.link.query(&script).await?;
        Ok(if kept == 1 { Renewal::Kept } else { Renewal::Lost })
    }

    /// Releases the lock if it is still ours (a failure leaves it to lapse).
    pub async fn release(&self, interview_id: Uuid, session_id: Uuid) {
        let mut script = redis::cmd("EVAL");
        script.arg(RELEASE).arg(1).arg(Self::key(interview_id)).arg(self.value(session_id));
        let _: Result<i64, Unavailable> = self.link.query(&script).await;
    }

    /// Where the interview's session runs, if one does (a malformed lock counts as none).
    pub async fn holder(&self, interview_id: Uuid) -> Result<Option<Holder>, Unavailable> {
        let mut get = redis::cmd("GET");
        get.arg(Self::key(interview_id));
        let held: Option<String> = self.link.query(&get).await?;
        Ok(held.as_deref().and_then(parse_holder))
    }

    pub fn instance(&self) -> InstanceId {
        self.instance
    }
}

fn parse_holder(value: &str) -> Option<Holder> {
    let (instance, session) = value.split_once('/')?;
    Some(Holder { instance: InstanceId(instance.parse().ok()?), session_id: session.parse().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_value_names_its_instance_and_session() {
        let locks = TerminalLocks::new(
            CommandLink::new(redis::Client::open("redis://127.0.0.1:1").unwrap(), "t"),
            InstanceId::new(),
        );
        let session_id = Uuid::now_v7();
        let holder = parse_holder(&locks.value(session_id)).unwrap();
        assert_eq!(holder, Holder { instance: locks.instance(), session_id });
        for bad in ["", "x/y", &format!("{session_id}"), &format!("{session_id}/"), &format!("/{session_id}")] {
            assert_eq!(parse_holder(bad), None, "{bad}");
        }
    }
}
