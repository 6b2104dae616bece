//! The live-document quotas across instances (issue 21), in Redis. Every second each instance
//! writes, for each account with documents live here, how many and how large they are:
//! `codeview:live-usage:{account}` is a hash with one field per instance, `"DOCS BYTES
//! EXPIRES_MS"`, where the expiry is Redis's own clock plus `FIGURES_LIVE` (no clock of ours
//! is compared with another machine's). A document is then admitted against the account's sum
//! over the other instances' unexpired fields plus this instance's exact figures, unless it is
//! live somewhere already (its lease key exists: joining it costs nothing more).
//!
//! Failure analysis: an instance that dies leaves its fields until they expire (3 s), so the
//! account's quota frees itself. Between two writes an instance's figures can be a second old,
//! and two instances admitting at once can each let one document past the quota (as two
//! loads at once on one instance can). When Redis does not answer, `admit` falls back to this
//! instance's own figures (`live_usage`); failures are counted in
//! `codeview_redis_errors_total{part="live_usage"}`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use super::doc_relay::lease;
use super::types::DocKey;
use crate::cluster::command_link::{CommandLink, Unavailable};
use crate::cluster::{Cluster, InstanceId};

/// How often this instance writes its figures.
const PUBLISH_EVERY: Duration = Duration::from_secs(1);
/// How long written figures count (three writes missed: the instance is gone).
const FIGURES_LIVE: Duration = Duration::from_secs(3);
/// Accounts written per script (a script holds Redis to itself while it runs).
const ACCOUNTS_PER_SCRIPT: usize = 100;

/// `{-1, 0}` when the document is live somewhere; else the account's documents and bytes on
/// the other instances (unexpired fields; expired ones are removed).
const ADMISSION: &str = r"
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local docs, bytes = 0, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    local d, b, expires = string.match(fields[i + 1], '^(%d+) (%d+) (%d+)$')
    if d and tonumber(expires) > now then
      docs = docs + tonumber(d)
      bytes = bytes + tonumber(b)
    else
      redis.call('HDEL', KEYS[1], fields[i])
    end
  end
end
return {docs, bytes}";

/// Writes this instance's field (ARGV[1]) of each account's key: ARGV[2] is how long figures
/// live (ms), then DOCS and BYTES per key; DOCS 0 removes the field.
const PUBLISH: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lives = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local docs, bytes = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
  if docs == '0' then
    redis.call('HDEL', key, ARGV[1])
  else
    redis.call('HSET', key, ARGV[1], docs .. ' ' .. bytes .. ' ' .. string.format('%d', now + lives))
    redis.call('PEXPIRE', key, lives)
  end
end
return #KEYS";

/// An account's live documents and their bytes (on one instance, or summed over them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub docs: u64,
    pub bytes: u64,
}

/// What Redis says about admitting a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// It is live on some instance: joining it is always allowed.
    LiveElsewhere,
    /// It is live nowhere: the account's figures over every instance, this one's included.
    New(Figures),
}

/// This instance's link to the figures in Redis.
pub struct SharedUsage {
    me: InstanceId,
    link: CommandLink,
}

fn usage_key(owner: Uuid) -> String {
    format!("codeview:live-usage:{owner}")
}

impl SharedUsage {
    /// `None` without Redis.
    pub fn new(cluster: &Cluster) -> Option<SharedUsage> {
        let client = cluster.redis()?.clone();
        Some(SharedUsage { me: cluster.instance(), link: CommandLink::new(client, "live_usage") })
    }

    /// Whether `key` is live somewhere, else `owner`'s figures over every instance, given
    /// this instance's own (`here`, which Redis may not have yet).
    pub async fn admission(&self, owner: Uuid, key: DocKey, here: Figures) -> Result<Admission, Unavailable> {
        let mut script = redis::cmd("EVAL");
        script.arg(ADMISSION).arg(2).arg(usage_key(owner)).arg(lease::owner_key(key)).arg(self.me.to_string());
        let (docs, bytes): (i64, i64) = self.link.query(&script).await?;
        if docs < 0 {
            return Ok(Admission::LiveElsewhere);
        }
        let elsewhere = Figures { docs: docs as u64, bytes: bytes.max(0) as u64 };
        Ok(Admission::New(Figures { docs: here.docs + elsewhere.docs, bytes: here.bytes + elsewhere.bytes }))
    }

    /// Writes `figures` (this instance's, per account); the accounts of `previous` missing
    /// from them are written as none.
    async fn publish(&self, figures: &HashMap<Uuid, Figures>, previous: &HashSet<Uuid>) -> Result<(), Unavailable> {
        let gone =
            previous.iter().filter(|owner| !figures.contains_key(owner)).map(|owner| (*owner, Figures::default()));
        let all: Vec<(Uuid, Figures)> = figures.iter().map(|(owner, f)| (*owner, *f)).chain(gone).collect();
        for batch in all.chunks(ACCOUNTS_PER_SCRIPT) {
            let mut script = redis::cmd("EVAL");
            script.arg(PUBLISH).arg(batch.len());
            for (owner, _) in batch {
                script.arg(usage_key(*owner));
            }
            script.arg(self.me.to_string()).arg(FIGURES_LIVE.as_millis() as u64);
            for (_, figures) in batch {
                script.arg(figures.docs).arg(figures.bytes);
            }
            self.link.query::<i64>(&script).await?;
        }
        Ok(())
    }
}

/// Writes this instance's figures (per account, from `read`) every `PUBLISH_EVERY` until
/// `read` gives none (the live documents are gone).
pub async fn publish_regularly(shared: Arc<SharedUsage>, read: impl Fn() -> Option<HashMap<Uuid, Figures>>) {
    let mut due = tokio::time::interval(PUBLISH_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut previous = HashSet::new();
    loop {
        due.tick().await;
        let Some(figures) = read() else { return };
        // A failure is counted by the link; the next tick writes everything again.
        if shared.publish(&figures, &previous).await.is_ok() {
            previous = figures.into_keys().collect();
        }
    }
}
