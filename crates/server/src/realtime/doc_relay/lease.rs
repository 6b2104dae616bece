//! Who owns each live document, in Redis: the key `codeview:doc-owner:{interview}:{doc}`
//! holds the owning instance's id with an expiry (`LEASE`), and `codeview:instance:{id}`
//! says an instance is alive. The owner renews its leases and its liveness key each tick, in
//! one pipeline of short scripts; a lease found empty (expired, or wiped by a Redis restart)
//! is taken back by the instance still running the document; one held by another instance is
//! lost. These keys only choose an owner: the store's fence (`DocumentStore::take_doc_lease`)
//! is what makes two writers of one document impossible.

use std::time::Duration;

use uuid::Uuid;

use crate::cluster::InstanceId;
use crate::realtime::types::DocKey;

/// How long a lease and an instance's liveness key live unless renewed.
pub const LEASE: Duration = Duration::from_secs(5);
/// How often leases and liveness are renewed (and peers' checked).
pub const RENEW_EVERY: Duration = Duration::from_secs(1);
/// Leases renewed per script: a script holds Redis to itself while it runs (~4 µs a lease
/// here), and one over all of an instance's leases held every relayed frame back for
/// milliseconds once a second.
const LEASES_PER_SCRIPT: usize = 100;

pub fn owner_key(key: DocKey) -> String {
    format!("codeview:doc-owner:{}:{}", key.interview_id, key.doc_name())
}

pub fn instance_key(instance: InstanceId) -> String {
    format!("codeview:instance:{instance}")
}

pub fn channel(instance: InstanceId) -> String {
    format!("codeview:docs:{instance}")
}

// The scripts go by EVAL (not EVALSHA): they are small, and a restarted Redis has no script
// cache.

/// Takes the lease if nobody holds it; returns the holder (maybe us).
const CLAIM: &str = r"
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder";

/// Renews this instance's liveness (ARGV[3]) and each lease of KEYS it holds, takes back
/// those nobody holds; returns 1 per key kept, 0 per key another instance holds.
const RENEW: &str = r"
redis.call('SET', ARGV[3], '1', 'PX', ARGV[2])
local kept = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    kept[i] = 1
  elseif not holder then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    kept[i] = 1
  else
    kept[i] = 0
  end
end
return kept";

/// Deletes the lease if this instance still holds it.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

fn lease_millis() -> u64 {
    LEASE.as_millis() as u64
}

/// The owner of `key`, taking the lease for `me` when nobody holds it.
pub async fn claim(
    redis: &mut redis::aio::MultiplexedConnection,
    key: DocKey,
    me: InstanceId,
) -> redis::RedisResult<InstanceId> {
    let holder: String = redis::cmd("EVAL")
        .arg(CLAIM)
        .arg(1)
        .arg(owner_key(key))
        .arg(me.to_string())
        .arg(lease_millis())
        .query_async(redis)
        .await?;
    parse_instance(&holder)
}

/// The owner of `key`, if any (without taking it).
pub async fn holder(
    redis: &mut redis::aio::MultiplexedConnection,
    key: DocKey,
) -> redis::RedisResult<Option<InstanceId>> {
    let holder: Option<String> = redis::cmd("GET").arg(owner_key(key)).query_async(redis).await?;
    holder.as_deref().map(parse_instance).transpose()
}

/// What one tick learned: which of our leases we lost, who holds the documents we relay to,
/// and which instances are alive.
pub struct TickReport {
    /// Per lease renewed (same order): false when another instance holds it now.
    pub kept: Vec<bool>,
    /// Per relayed document (same order): its lease holder now.
    pub holders: Vec<Option<InstanceId>>,
    /// Per instance asked about (same order): whether its liveness key exists.
    pub alive: Vec<bool>,
}

/// One round trip (a pipeline): renews our liveness and `leases`, reads the holders of
/// `relayed`, and whether each of `peers` is alive.
pub async fn tick(
    redis: &mut redis::aio::MultiplexedConnection,
    me: InstanceId,
    leases: &[DocKey],
    relayed: &[DocKey],
    peers: &[InstanceId],
) -> redis::RedisResult<TickReport> {
    let mut pipe = redis::pipe();
    // One script per `LEASES_PER_SCRIPT` leases (one, renewing liveness only, when there are none).
    let scripts: Vec<&[DocKey]> =
        if leases.is_empty() { vec![&[]] } else { leases.chunks(LEASES_PER_SCRIPT).collect() };
    for chunk in &scripts {
        pipe.cmd("EVAL").arg(RENEW).arg(chunk.len());
        for key in *chunk {
            pipe.arg(owner_key(*key));
        }
        pipe.arg(me.to_string()).arg(lease_millis()).arg(instance_key(me));
    }
    for key in relayed {
        pipe.cmd("GET").arg(owner_key(*key));
    }
    for peer in peers {
        pipe.cmd("EXISTS").arg(instance_key(*peer));
    }
    let values: Vec<redis::Value> = pipe.query_async(redis).await?;
    let mut values = values.into_iter();
    let mut kept: Vec<i64> = Vec::with_capacity(leases.len());
    for value in values.by_ref().take(scripts.len()) {
        kept.extend(redis::from_redis_value::<Vec<i64>>(value)?);
    }
    let mut holders = Vec::with_capacity(relayed.len());
    for value in values.by_ref().take(relayed.len()) {
        let holder: Option<String> = redis::from_redis_value(value)?;
        holders.push(holder.as_deref().map(parse_instance).transpose()?);
    }
    let mut alive = Vec::with_capacity(peers.len());
    for value in values.take(peers.len()) {
        let exists: i64 = redis::from_redis_value(value)?;
        alive.push(exists > 0);
    }
    Ok(TickReport { kept: kept.into_iter().map(|kept| kept == 1).collect(), holders, alive })
}

/// Gives up `key`'s lease if `me` still holds it (the document unloaded).
pub async fn release(
    redis: &mut redis::aio::MultiplexedConnection,
    key: DocKey,
    me: InstanceId,
) -> redis::RedisResult<()> {
    let _: i64 =
        redis::cmd("EVAL").arg(RELEASE).arg(1).arg(owner_key(key)).arg(me.to_string()).query_async(redis).await?;
    Ok(())
}

fn parse_instance(text: &str) -> redis::RedisResult<InstanceId> {
    Uuid::parse_str(text)
        .map(InstanceId)
        .map_err(|_| redis::RedisError::from((redis::ErrorKind::UnexpectedReturnType, "a lease holds no instance id")))
}

/// The scripts against the real Redis of the tests (`redis_client::test_redis`).
#[cfg(test)]
mod tests {
    use codeview_collab::DocKind;

    use super::*;

    fn key() -> DocKey {
        DocKey { interview_id: Uuid::new_v4(), kind: DocKind::Code }
    }

    #[tokio::test]
    async fn a_tick_over_several_scripts_reports_each_lease_in_order() {
        let Some(client) = crate::cluster::redis_client::test_redis("lease renewal").await else { return };
        let mut redis = client.get_multiplexed_async_connection().await.unwrap();
        let (me, other) = (InstanceId(Uuid::new_v4()), InstanceId(Uuid::new_v4()));
        // More leases than one script renews, one of them (in the second script) taken by
        // another instance, one (in the third) expired.
        let leases: Vec<DocKey> = (0..2 * LEASES_PER_SCRIPT + 17).map(|_| key()).collect();
        for lease in &leases {
            assert_eq!(claim(&mut redis, *lease, me).await.unwrap(), me);
        }
        let (taken, expired) = (LEASES_PER_SCRIPT + 3, 2 * LEASES_PER_SCRIPT + 5);
        let _: () = redis::cmd("SET")
            .arg(owner_key(leases[taken]))
            .arg(other.to_string())
            .query_async(&mut redis)
            .await
            .unwrap();
        let _: () = redis::cmd("DEL").arg(owner_key(leases[expired])).query_async(&mut redis).await.unwrap();

        let relayed = [leases[taken], key()];
        let report = tick(&mut redis, me, &leases, &relayed, &[me, other]).await.unwrap();
        let lost: Vec<usize> = report.kept.iter().enumerate().filter(|(_, kept)| !**kept).map(|(i, _)| i).collect();
        assert_eq!((report.kept.len(), lost), (leases.len(), vec![taken]));
        assert_eq!(holder(&mut redis, leases[expired]).await.unwrap(), Some(me), "an empty lease is taken back");
        assert_eq!(report.holders, [Some(other), None]);
        assert_eq!(report.alive, [true, false], "only the ticking instance has a liveness key");

        // With no lease at all, the tick still renews liveness.
        let lone = InstanceId(Uuid::new_v4());
        let report = tick(&mut redis, lone, &[], &[], &[lone]).await.unwrap();
        assert_eq!((report.kept.len(), report.alive), (0, vec![true]));
        for lease in &leases {
            release(&mut redis, *lease, me).await.unwrap();
        }
    }
}
