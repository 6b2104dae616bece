//! The video call's roster across instances: one per interview, kept in Redis, at most
//! `MAX_PEERS` overall, changed only by scripts (so a full call stays full however many
//! instances join at once), mirrored by every instance that holds sockets of the interview
//! (`RoomEvents::mirror_call`, which tells those sockets `call_state`).
//!
//! - `codeview:room:call:{interview}`: a hash, peer id → the peer as JSON (with its instance).
//! - `codeview:room:call:{interview}:lapse`: the moment each peer lapses (Redis's clock, ms),
//!   [`LIFETIME`] ahead, renewed every [`REFRESH_EVERY`] by the instance holding its socket;
//!   a peer whose instance died lapses and is dropped by the next read.
//! - `codeview:room:call:{interview}:speakers`: observers the host let speak.
//! - Channel `codeview:room:call`: `{instance} {interview}` after a change, followed by
//!   ` {reason} {peer},{peer}…` when the change took peers out (the host changed an
//!   observer's permission, the interview ended); the others tell those peers' sockets
//!   `call_left` and read that roster again at once (and every second anyway), so a socket
//!   gets `call_left` before the `call_state` without it, as on one server.
//!
//! Signals go to one peer's socket through the room-event fan-out (`Audience::Peer`), so they
//! reach it on any instance. Redis down: joining, media changes and
//! permissions are refused as `invalid_message` "try again" (nothing changes); the mirror keeps
//! the last roster, and the peers of other instances lapse from it as they do in Redis.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::dropped;
use crate::cluster::command_link::{CommandLink, Unavailable};
use crate::cluster::{Cluster, InstanceId};
use crate::domain::policy::may_send_media;
use crate::realtime::room_events::call::{claims_within, not_in_call};
use crate::realtime::room_events::client_messages::CallMedia;
use crate::realtime::room_events::{
    CallErrorCode, CallLeftReason, CallMember, CallPeer, CallRefusal, MAX_PEERS, PROTOCOL_VERSION, RoomEvent,
    RoomEvents,
};

/// How long a peer counts without its instance renewing it.
pub const LIFETIME: Duration = Duration::from_secs(3);
/// How often an instance renews its peers and reads the rosters of its interviews.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);
const CHANNEL: &str = "codeview:room:call";
const PART: &str = "room_call";
/// How long a roster and its speakers are kept without any change or renewal.
const KEEP_MS: u64 = 6 * 60 * 60 * 1000;
/// The longest peer JSON accepted from Redis.
const MAX_PEER_BYTES: usize = 4096;
const NOTICES_QUEUED: usize = 1024;
/// Every this many refreshes, the calls of every interview with sockets here are read.
const READ_ALL_EVERY_TICKS: u32 = 5;
/// The longest notice accepted (two ids, a reason and at most twelve peer ids).
const MAX_NOTICE_BYTES: usize = 1024;

/// Drops the lapsed peers of KEYS (hash, lapse, speakers); shared by every script below.
const PURGE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('HDEL', KEYS[1], gone)
  redis.call('ZREM', KEYS[2], gone)
end
";

/// ARGV: lifetime, most peers, replacing ('' for none), peer id, peer JSON, participant,
/// whether the caller took them for a speaker ('1'/'0'), keep ms. Returns 1 (joined), -1
/// (full) or -2 (the speakers changed: read them again).
const JOIN: &str = r"
local speaker = redis.call('SISMEMBER', KEYS[3], ARGV[6])
if tostring(speaker) ~= ARGV[7] then return -2 end
local others = redis.call('HLEN', KEYS[1])
if ARGV[3] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then others = others - 1 end
if others >= tonumber(ARGV[2]) then return -1 end
if ARGV[3] ~= '' then
  redis.call('HDEL', KEYS[1], ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return 1
";

/// ARGV: peer ids to take out. Returns how many were in.
const LEAVE: &str = r"
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
  redis.call('ZREM', KEYS[2], ARGV[i])
end
return removed
";

/// ARGV: peer id, its new JSON. Returns 1, or 0 when it is not in the call.
const UPDATE: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
";

/// ARGV: lifetime, this instance's peer ids. Renews those still in; returns the roster (peer
/// JSONs) and, last, the speakers joined by spaces.
const RENEW_AND_READ: &str = r"
for i = 2, #ARGV do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[i])
  end
end
local roster = redis.call('HVALS', KEYS[1])
table.insert(roster, table.concat(redis.call('SMEMBERS', KEYS[3]), ' '))
return roster
";

/// ARGV: participant, '1' to let speak or '0', keep ms. Takes the participant's peers out;
/// returns their ids.
const PERMIT: &str = r"
if ARGV[2] == '1' then
  redis.call('SADD', KEYS[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
else
  redis.call('SREM', KEYS[3], ARGV[1])
end
local removed = {}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local ok, stored = pcall(cjson.decode, fields[i + 1])
  if ok and type(stored) == 'table' and type(stored.peer) == 'table' and stored.peer.participant_id == ARGV[1] then
    redis.call('HDEL', KEYS[1], fields[i])
    redis.call('ZREM', KEYS[2], fields[i])
    table.insert(removed, fields[i])
  end
end
return removed
";

/// Deletes the call; returns its peer ids.
const END: &str = r"
local peers = redis.call('HKEYS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return peers
";

/// A peer as stored in Redis.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    peer: CallPeer,
    instance: Uuid,
}

pub struct SharedCall {
    link: CommandLink,
    instance: InstanceId,
    events: RoomEvents,
    /// The peers of this instance's sockets, per interview (renewed every second).
    mine: Mutex<HashMap<Uuid, HashSet<Uuid>>>,
    /// Held from a roster's read to its mirroring, so rosters are mirrored in the order they
    /// were read: two refreshes racing (a peer joined here while another instance's notice
    /// arrived) must not end on the older roster.
    refreshing: tokio::sync::Mutex<()>,
}

/// The interview's roster, lapse times and speakers (the scripts' KEYS, in that order).
fn keys(interview_id: Uuid) -> [String; 3] {
    let hash = format!("{CHANNEL}:{interview_id}");
    let (lapse, speakers) = (format!("{hash}:lapse"), format!("{hash}:speakers"));
    [hash, lapse, speakers]
}

fn script(body: &str, interview_id: Uuid) -> redis::Cmd {
    let mut command = redis::cmd("EVAL");
    command.arg(format!("{PURGE}{body}")).arg(3);
    for key in keys(interview_id) {
        command.arg(key);
    }
    command
}

fn try_again() -> CallRefusal {
    CallRefusal::new(
        CallErrorCode::InvalidMessage,
        "The call cannot be changed now (Redis is out of reach); try again.",
    )
}

impl SharedCall {
    pub fn new(cluster: &Cluster, events: RoomEvents) -> Option<SharedCall> {
        let client = cluster.redis()?;
        Some(SharedCall {
            link: CommandLink::new(client.clone(), PART),
            instance: cluster.instance(),
            events,
            mine: Mutex::new(HashMap::new()),
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// Puts `member` in the interview's call as a new peer, replacing the socket's previous
    /// one; the `call_welcome` for its socket. Refused when the call is full or `media` claims
    /// what the member may not send.
    pub async fn join(
        &self,
        interview_id: Uuid,
        member: &CallMember,
        replacing: Option<Uuid>,
        media: CallMedia,
    ) -> Result<RoomEvent, CallRefusal> {
        // Twice at most: once more when the host changed the speakers meanwhile.
        for _ in 0..2 {
            let speaker = self.read(interview_id).await.map_err(|_| try_again())?.1.contains(&member.participant_id);
            let may_send = may_send_media(member.role, speaker);
            claims_within(&media, may_send)?;
            let peer_id = Uuid::now_v7();
            let peer = CallPeer {
                peer_id,
                participant_id: member.participant_id,
                name: member.name.clone(),
                role: member.role,
                media: media.clone(),
                may_send,
            };
            let stored = serde_json::to_string(&Stored { peer, instance: self.instance.0 }).expect("serialises");
            let mut join = script(JOIN, interview_id);
            join.arg(LIFETIME.as_millis() as u64)
                .arg(MAX_PEERS)
                .arg(replacing.map(|p| p.to_string()).unwrap_or_default())
                .arg(peer_id.to_string())
                .arg(stored)
                .arg(member.participant_id.to_string())
                .arg(if speaker { "1" } else { "0" })
                .arg(KEEP_MS);
            let joined: i64 = self.link.query(&join).await.map_err(|_| try_again())?;
            match joined {
                1 => {
                    self.note_mine(interview_id, peer_id, replacing);
                    self.changed(interview_id).await;
                    return Ok(RoomEvent::CallWelcome { v: PROTOCOL_VERSION, peer_id, may_send });
                }
                -1 => {
                    let message = format!("The call is full ({MAX_PEERS} people).");
                    return Err(CallRefusal::new(CallErrorCode::CallFull, message));
                }
                _ => continue,
            }
        }
        Err(try_again())
    }

    /// Takes `peer_id` out of the call (nothing when it is not in it).
    pub async fn leave(&self, interview_id: Uuid, peer_id: Uuid) {
        self.forget_mine(interview_id, peer_id);
        let mut leave = script(LEAVE, interview_id);
        leave.arg(peer_id.to_string());
        // Out of reach: the peer lapses, as its instance no longer renews it.
        if let Ok(1..) = self.link.query::<i64>(&leave).await {
            self.changed(interview_id).await;
        }
    }

    /// Records what `peer_id` sends now; refused when it claims what it may not send.
    pub async fn change_media(&self, interview_id: Uuid, peer_id: Uuid, media: CallMedia) -> Result<(), CallRefusal> {
        let peer = self.events.call_peer(interview_id, peer_id).ok_or_else(not_in_call)?;
        claims_within(&media, peer.may_send)?;
        if peer.media == media {
            return Ok(());
        }
        let stored = Stored { peer: CallPeer { media, ..peer }, instance: self.instance.0 };
        let mut update = script(UPDATE, interview_id);
        update.arg(peer_id.to_string()).arg(serde_json::to_string(&stored).expect("serialises"));
        match self.link.query::<i64>(&update).await {
            Ok(1) => {
                self.changed(interview_id).await;
                Ok(())
            }
            Ok(_) => Err(not_in_call()),
            Err(_) => Err(try_again()),
        }
    }

    /// Lets observer `participant_id` speak, or takes it back: their peers leave the call
    /// (`call_left` `permission_changed`), to join again with the new allowance.
    pub async fn permit_speech(
        &self,
        interview_id: Uuid,
        participant_id: Uuid,
        speak: bool,
    ) -> Result<(), CallRefusal> {
        let mut permit = script(PERMIT, interview_id);
        permit.arg(participant_id.to_string()).arg(if speak { "1" } else { "0" }).arg(KEEP_MS);
        let removed: Vec<String> = self.link.query(&permit).await.map_err(|_| try_again())?;
        let removed: Vec<Uuid> = removed.iter().filter_map(|id| id.parse().ok()).collect();
        self.took_out(interview_id, CallLeftReason::PermissionChanged, removed).await;
        Ok(())
    }

    /// The interview ended: every peer leaves (`call_left` `interview_ended`) and the call,
    /// with its speakers, is forgotten.
    pub async fn end(&self, interview_id: Uuid) {
        let Ok(peers) = self.link.query::<Vec<String>>(&script(END, interview_id)).await else { return };
        let peers: Vec<Uuid> = peers.iter().filter_map(|id| id.parse().ok()).collect();
        self.took_out(interview_id, CallLeftReason::InterviewEnded, peers).await;
    }

    /// After a change that took `peers` out: their sockets here are told, the roster is
    /// mirrored, and the other instances do the same.
    async fn took_out(&self, interview_id: Uuid, reason: CallLeftReason, peers: Vec<Uuid>) {
        for peer_id in &peers {
            self.forget_mine(interview_id, *peer_id);
        }
        self.events.tell_left_here(interview_id, &peers, reason);
        let _ = self.refresh(interview_id).await;
        let listed: Vec<String> = peers.iter().map(Uuid::to_string).collect();
        let notice = match listed.is_empty() {
            true => format!("{} {interview_id}", self.instance),
            false => format!("{} {interview_id} {} {}", self.instance, reason_word(reason), listed.join(",")),
        };
        self.publish(notice).await;
    }

    /// A notice from another instance: its `call_left`s for this instance's sockets, then the
    /// roster read again (when this instance holds sockets of the interview).
    async fn noticed(&self, notice: Notice) {
        if self.events.online_here(notice.interview_id).is_empty() {
            return;
        }
        if let Some((reason, peers)) = notice.left {
            self.events.tell_left_here(notice.interview_id, &peers, reason);
        }
        let _ = self.refresh(notice.interview_id).await;
    }

    async fn publish(&self, notice: String) {
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(CHANNEL).arg(notice);
        let _: Result<i64, Unavailable> = self.link.query(&publish).await;
    }

    /// After a change: mirror the roster here and tell the other instances.
    async fn changed(&self, interview_id: Uuid) {
        let _ = self.refresh(interview_id).await;
        self.publish(format!("{} {interview_id}", self.instance)).await;
    }

    /// Renews this instance's peers of the interview, reads the roster and mirrors it.
    pub async fn refresh(&self, interview_id: Uuid) -> Result<(), Unavailable> {
        let _in_order = self.refreshing.lock().await;
        let (peers, speakers) = self.read(interview_id).await?;
        self.events.mirror_call(interview_id, peers, speakers);
        Ok(())
    }

    async fn read(&self, interview_id: Uuid) -> Result<(Vec<CallPeer>, HashSet<Uuid>), Unavailable> {
        let mine: Vec<String> = {
            let mine = self.mine.lock().expect("call peers");
            mine.get(&interview_id).map(|p| p.iter().map(Uuid::to_string).collect()).unwrap_or_default()
        };
        let mut read = script(RENEW_AND_READ, interview_id);
        read.arg(LIFETIME.as_millis() as u64).arg(mine);
        let mut lines: Vec<String> = self.link.query(&read).await?;
        let speakers = lines.pop().unwrap_or_default().split(' ').filter_map(|id| id.parse().ok()).collect();
        let mut peers: Vec<CallPeer> = lines
            .iter()
            .take(MAX_PEERS * 2)
            .filter_map(|line| {
                let parsed =
                    (line.len() <= MAX_PEER_BYTES).then(|| serde_json::from_str::<Stored>(line).ok()).flatten();
                if parsed.is_none() {
                    dropped(PART);
                }
                parsed.map(|stored| stored.peer)
            })
            .collect();
        // Peer ids are UUIDv7: in joining order.
        peers.sort_by_key(|p| p.peer_id);
        Ok((peers, speakers))
    }

    fn note_mine(&self, interview_id: Uuid, peer_id: Uuid, replacing: Option<Uuid>) {
        let mut mine = self.mine.lock().expect("call peers");
        let peers = mine.entry(interview_id).or_default();
        if let Some(old) = replacing {
            peers.remove(&old);
        }
        peers.insert(peer_id);
    }

    fn forget_mine(&self, interview_id: Uuid, peer_id: Uuid) {
        let mut mine = self.mine.lock().expect("call peers");
        if let Some(peers) = mine.get_mut(&interview_id) {
            peers.remove(&peer_id);
            if peers.is_empty() {
                mine.remove(&interview_id);
            }
        }
    }

    /// Renews this instance's peers and reads the calls it mirrors (so peers of a dead
    /// instance lapse from them); with `all`, also every interview it holds sockets of (a
    /// call started elsewhere whose notice was lost, say during a Redis blip). Forgets the
    /// mirrors of interviews it holds no socket of any more.
    async fn refresh_all(&self, all: bool) {
        let here: HashSet<Uuid> = self.events.interviews_here().into_iter().collect();
        let mirrored: HashSet<Uuid> = self.events.calls_mirrored().into_iter().collect();
        let mut interviews: HashSet<Uuid> = self.interviews_with_peers().into_iter().collect();
        interviews.extend(if all { &here } else { &mirrored }.iter().filter(|id| here.contains(id)));
        for interview_id in interviews {
            // Redis out of reach: the rest of this round would wait for it too; next round.
            if self.refresh(interview_id).await.is_err() {
                break;
            }
        }
        for interview_id in mirrored.difference(&here) {
            self.events.forget_call(*interview_id);
        }
    }

    /// Interviews this instance has peers in.
    fn interviews_with_peers(&self) -> Vec<Uuid> {
        self.mine.lock().expect("call peers").keys().copied().collect()
    }
}

/// A change another instance made.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Notice {
    interview_id: Uuid,
    /// The peers it took out, and why.
    left: Option<(CallLeftReason, Vec<Uuid>)>,
}

fn reason_word(reason: CallLeftReason) -> &'static str {
    match reason {
        CallLeftReason::PermissionChanged => "permission_changed",
        CallLeftReason::InterviewEnded => "interview_ended",
    }
}

/// A notice of another instance; `None` for this instance's own and for anything malformed
/// (dropped and counted).
fn parse_notice(payload: &[u8], own: InstanceId) -> Option<Notice> {
    let text = (payload.len() <= MAX_NOTICE_BYTES).then(|| std::str::from_utf8(payload).ok()).flatten();
    let parsed = text.and_then(|text| {
        let mut words = text.split(' ');
        let instance: Uuid = words.next()?.parse().ok()?;
        let interview_id: Uuid = words.next()?.parse().ok()?;
        let left = match (words.next(), words.next(), words.next()) {
            (None, _, _) => None,
            (Some(reason), Some(peers), None) => {
                let reason = [CallLeftReason::PermissionChanged, CallLeftReason::InterviewEnded]
                    .into_iter()
                    .find(|r| reason_word(*r) == reason)?;
                let peers: Vec<Uuid> = peers.split(',').map(str::parse).collect::<Result<_, _>>().ok()?;
                if peers.len() > MAX_PEERS * 2 {
                    return None;
                }
                Some((reason, peers))
            }
            _ => return None,
        };
        Some((instance, Notice { interview_id, left }))
    });
    match parsed {
        Some((instance, notice)) => (instance != own.0).then_some(notice),
        None => {
            dropped(PART);
            None
        }
    }
}

/// Subscribes to the call's notices (failing when Redis does not answer now) and spawns the
/// task that renews this instance's peers and mirrors the rosters of its interviews.
pub async fn start(cluster: &Cluster, shared: Arc<SharedCall>) -> anyhow::Result<()> {
    use anyhow::Context;
    let Some(client) = cluster.redis() else { return Ok(()) };
    let own = cluster.instance();
    let (notify, mut notices) = mpsc::channel::<Notice>(NOTICES_QUEUED);
    crate::cluster::subscriber::subscribe(
        client.clone(),
        vec![CHANNEL.to_owned()],
        move |message| {
            if let Some(notice) = parse_notice(message.get_payload_bytes(), own) {
                // A full queue: the roster is read again at the next refresh anyway.
                let _ = notify.try_send(notice);
            }
        },
        || {},
    )
    .await
    .context("subscribing to the video calls in Redis")?;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(REFRESH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u32 = 0;
        loop {
            tokio::select! {
                Some(notice) = notices.recv() => shared.noticed(notice).await,
                _ = tick.tick() => {
                    ticks = ticks.wrapping_add(1);
                    shared.refresh_all(ticks.is_multiple_of(READ_ALL_EVERY_TICKS)).await;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_parsed_and_hostile_ones_dropped() {
        let (own, other, interview, peer) = (InstanceId::new(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let plain = format!("{other} {interview}");
        assert_eq!(parse_notice(plain.as_bytes(), own), Some(Notice { interview_id: interview, left: None }));
        let ended = format!("{other} {interview} interview_ended {peer},{peer}");
        let left = Some((CallLeftReason::InterviewEnded, vec![peer, peer]));
        assert_eq!(parse_notice(ended.as_bytes(), own), Some(Notice { interview_id: interview, left }));
        assert_eq!(parse_notice(format!("{own} {interview}").as_bytes(), own), None, "its own");
        let many = vec![peer.to_string(); MAX_PEERS * 2 + 1].join(",");
        for bad in [
            String::new(),
            format!("{other}"),
            format!("{other} {interview} left {peer}"),
            format!("{other} {interview} interview_ended"),
            format!("{other} {interview} interview_ended {peer} more"),
            format!("{other} {interview} interview_ended x,{peer}"),
            format!("{other} {interview} interview_ended {many}"),
        ] {
            assert_eq!(parse_notice(bad.as_bytes(), own), None, "{bad}");
        }
    }
}
