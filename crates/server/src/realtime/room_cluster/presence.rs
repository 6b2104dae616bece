//! Presence across server instances: each instance writes who has a room socket open on it to
//! Redis, per interview, every entry lapsing unless renewed, reads back the others' entries
//! (`room_events::RemoteOnline`), and tells its own sockets when the merged set changes.
//!
//! - Key `codeview:room:presence:{interview}`: a sorted set of `{instance}/{participant}`
//!   scored by the moment (Redis's clock, ms) the entry lapses, [`LIFETIME`] after it was
//!   last written. One script writes this instance's members and returns the others' with the
//!   time they have left, so instances never compare their own clocks.
//! - Channel `codeview:room:presence`: `{instance} {interview}` when an instance's members
//!   of an interview changed, so the others read that interview at once instead of at their
//!   next refresh.
//! - Every [`REFRESH_EVERY`] each instance renews its members of every interview it holds
//!   sockets of (and clears those it held), which also reads the others' entries. An instance
//!   killed stops renewing: its participants lapse within [`LIFETIME`] and every other
//!   instance notices at its next refresh (about 4 s in all).
//! - Redis down: local presence goes on as on a single server; what is known of the others
//!   lapses as above (they count as gone); writes are retried every refresh, so presence is
//!   whole again within a second of Redis answering.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use uuid::Uuid;

use super::dropped;
use crate::cluster::command_link::{CommandLink, Unavailable};
use crate::cluster::{Cluster, InstanceId};
use crate::db::Store;
use crate::realtime::room_events::RoomEvents;

/// How long an instance's presence entry counts without being renewed.
pub const LIFETIME: Duration = Duration::from_secs(3);
/// How often an instance renews its entries and reads the others'.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);
const CHANNEL: &str = "codeview:room:presence";
const PART: &str = "room_presence";
/// Notices waiting to be handled; beyond it they wait for the next refresh.
const NOTICES_QUEUED: usize = 1024;
/// The most entries read back for one interview (participants times instances).
const MOST_ENTRIES: usize = 1024;
/// The longest notice accepted (`{uuid} {uuid}` is 73 bytes).
const MAX_NOTICE_BYTES: usize = 128;

/// Writes this instance's members of one interview, drops its members that left and the
/// entries lapsed, and returns the other instances' entries as `{ms left} {member}`.
const WRITE_AND_READ: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lifetime = tonumber(ARGV[1])
local prefix = ARGV[2]
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local mine = {}
for i = 4, #ARGV do mine[ARGV[i]] = true end
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, 1, #prefix) == prefix and not mine[member] then
    redis.call('ZREM', KEYS[1], member)
  end
end
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], now + lifetime, ARGV[i]) end
if #ARGV >= 4 then redis.call('PEXPIRE', KEYS[1], lifetime * 2) end
local others = {}
local listed = redis.call('ZRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
for i = 1, #listed, 2 do
  if string.sub(listed[i], 1, #prefix) ~= prefix then
    table.insert(others, string.format('%d', tonumber(listed[i + 1]) - now) .. ' ' .. listed[i])
  end
end
return others
";

/// Starts sharing presence: subscribes to the notices (failing when Redis does not answer
/// now) and spawns the task that writes, reads and announces. `changes` are the interviews
/// whose presence in this process changed (`RoomEvents::share_presence`).
pub async fn start(
    cluster: &Cluster,
    events: RoomEvents,
    store: Arc<dyn Store>,
    changes: mpsc::Receiver<Uuid>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let Some(client) = cluster.redis() else { return Ok(()) };
    let instance = cluster.instance();
    let (notify, notices) = mpsc::channel(NOTICES_QUEUED);
    crate::cluster::subscriber::subscribe(
        client.clone(),
        vec![CHANNEL.to_owned()],
        move |message| {
            if let Some(interview_id) = parse_notice(&message, instance) {
                let _ = notify.try_send(interview_id);
            }
        },
        || {},
    )
    .await
    .context("subscribing to room presence in Redis")?;
    let keeper = Keeper { link: CommandLink::new(client.clone(), PART), instance, events, store, held: HashSet::new() };
    tokio::spawn(keeper.run(changes, notices));
    Ok(())
}

/// The interview of a notice from another instance; `None` for this instance's own, and for
/// anything malformed (dropped and counted).
fn parse_notice(message: &redis::Msg, own: InstanceId) -> Option<Uuid> {
    let payload = message.get_payload_bytes();
    let parsed = (payload.len() <= MAX_NOTICE_BYTES)
        .then(|| std::str::from_utf8(payload).ok())
        .flatten()
        .and_then(|text| text.split_once(' '))
        .and_then(|(instance, interview)| Some((instance.parse::<Uuid>().ok()?, interview.parse::<Uuid>().ok()?)));
    match parsed {
        Some((instance, interview_id)) => (instance != own.0).then_some(interview_id),
        None => {
            dropped(PART);
            None
        }
    }
}

/// The other instances' entries as the script returns them: participant → when it lapses.
/// Malformed lines are dropped and counted; a participant on two instances keeps the later.
fn parse_entries(lines: &[String], now: Instant) -> HashMap<Uuid, Instant> {
    let most_left = LIFETIME.as_millis() as u64 * 2;
    let mut entries = HashMap::new();
    for line in lines.iter().take(MOST_ENTRIES) {
        let parsed = line.split_once(' ').and_then(|(left, member)| {
            let left = left.parse::<u64>().ok()?.min(most_left);
            let (instance, participant) = member.split_once('/')?;
            instance.parse::<Uuid>().ok()?;
            Some((participant.parse::<Uuid>().ok()?, now + Duration::from_millis(left)))
        });
        match parsed {
            Some((participant, until)) => {
                let kept = entries.entry(participant).or_insert(until);
                *kept = (*kept).max(until);
            }
            None => dropped(PART),
        }
    }
    entries
}

struct Keeper {
    link: CommandLink,
    instance: InstanceId,
    events: RoomEvents,
    store: Arc<dyn Store>,
    /// Interviews this instance may have entries of in Redis (to clear when its last socket
    /// closes, also after a failed write).
    held: HashSet<Uuid>,
}

impl Keeper {
    async fn run(mut self, mut changes: mpsc::Receiver<Uuid>, mut notices: mpsc::Receiver<Uuid>) {
        let mut refresh = tokio::time::interval(REFRESH_EVERY);
        refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                Some(interview_id) = changes.recv() => {
                    if self.write(interview_id).await.is_ok() {
                        self.notify(interview_id).await;
                    }
                }
                Some(interview_id) = notices.recv() => {
                    if !self.events.online_here(interview_id).is_empty() {
                        let _ = self.write(interview_id).await;
                    }
                }
                _ = refresh.tick() => self.refresh().await,
            }
        }
    }

    /// Renews every interview this instance holds sockets of (or held), then announces those
    /// whose other instances' entries lapsed meanwhile (also when Redis is down).
    async fn refresh(&mut self) {
        let interviews: HashSet<Uuid> = self.events.interviews_here().into_iter().chain(self.held.clone()).collect();
        for interview_id in interviews {
            // Redis out of reach: the rest of this round would wait for it too; next round.
            if self.write(interview_id).await.is_err() {
                break;
            }
        }
        for interview_id in self.events.remote_online().expire(Instant::now()) {
            self.announce(interview_id).await;
        }
    }

    /// Writes this instance's members of the interview and takes in the others'.
    async fn write(&mut self, interview_id: Uuid) -> Result<(), Unavailable> {
        let here = self.events.online_here(interview_id);
        let prefix = format!("{}/", self.instance);
        let mut script = redis::cmd("EVAL");
        script
            .arg(WRITE_AND_READ)
            .arg(1)
            .arg(format!("{CHANNEL}:{interview_id}"))
            .arg(LIFETIME.as_millis() as u64)
            .arg(&prefix)
            .arg(MOST_ENTRIES);
        for participant in &here {
            script.arg(format!("{prefix}{participant}"));
        }
        if !here.is_empty() {
            self.held.insert(interview_id);
        }
        let others: Vec<String> = self.link.query(&script).await?;
        let now = Instant::now();
        if self.events.remote_online().replace(interview_id, parse_entries(&others, now), now) {
            self.announce(interview_id).await;
        }
        if here.is_empty() {
            self.held.remove(&interview_id);
            self.events.forget_presence(interview_id);
        }
        Ok(())
    }

    /// Tells the other instances this one's members of the interview changed.
    async fn notify(&self, interview_id: Uuid) {
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(CHANNEL).arg(format!("{} {interview_id}", self.instance));
        let _: Result<i64, Unavailable> = self.link.query(&publish).await;
    }

    async fn announce(&self, interview_id: Uuid) {
        if self.events.online_here(interview_id).is_empty() {
            return;
        }
        match self.store.list_participants(interview_id).await {
            Ok(participants) => {
                self.events.announce_presence(interview_id, &participants);
            }
            Err(err) => tracing::warn!(error = %err, "loading the participants for presence failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_from_redis_are_parsed_bounded_and_malformed_ones_dropped() {
        let (a, b, casey) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let now = Instant::now();
        let lines = vec![
            format!("1500 {a}/{casey}"),
            format!("2500 {b}/{casey}"),
            format!("999999999 {a}/{a}"),
            "nonsense".to_owned(),
            format!("-5 {a}/{casey}"),
            format!("100 {a}/not-a-uuid"),
            format!("100 {a}{casey}"),
        ];
        let entries = parse_entries(&lines, now);
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[&casey], now + Duration::from_millis(2500), "the later of two instances");
        assert_eq!(entries[&a], now + LIFETIME * 2, "no entry lives longer than twice the lifetime");
    }
}
