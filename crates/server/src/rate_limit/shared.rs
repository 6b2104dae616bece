//! The rate limits' counters in Redis, shared by every instance (with `--redis-url`): one Lua
//! script per check, so a check is one round trip and atomic whatever the number of instances.
//! Times are Redis's own clock (`TIME`), so instances with skewed clocks still agree. Every
//! key expires when it no longer restricts anyone, so Redis holds only the active ones.
//!
//! Keys: `codeview:rate:{budget}:{key}` (a budget per address or interview), and
//! `codeview:rate:failed-login:{digest}` (the SHA-256 of the email and the client network, so
//! no address or email is written to Redis).

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{CellRate, DelayRule};
use crate::cluster::command_link::{CommandLink, Unavailable};

/// GCRA (the algorithm `governor` uses in-process): the key holds the theoretical arrival
/// time (TAT) in microseconds of Redis time. A request is allowed when
/// `now >= TAT + interval - burst * interval`; it then moves TAT one interval on, and the key
/// expires when TAT is reached (the budget is full again). Answers 0 when allowed, else how many
/// microseconds to wait. A refused request changes nothing.
const CELL_RATE_SCRIPT: &str = r"
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local allowed_at = tat + interval - burst * interval
if now < allowed_at then return allowed_at - now end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return 0
";

/// The delay of the `failures`-th failure, in milliseconds (none within the free ones):
/// `first * 2^(failures - free - 1)`, at most `max`. Shared by both failed-login scripts.
const DELAY_FUNCTION: &str = r"
local free = tonumber(ARGV[1])
local first = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local memory = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function count_failure()
  local failures = redis.call('HINCRBY', KEYS[1], 'n', 1)
  local delayed_until = tonumber(redis.call('HGET', KEYS[1], 'until')) or now
  if failures > free then
    local doublings = math.min(failures - free - 1, 20)
    delayed_until = now + math.min(first * 2 ^ doublings, max)
    redis.call('HSET', KEYS[1], 'until', string.format('%d', delayed_until))
  end
  redis.call('PEXPIRE', KEYS[1], math.max(delayed_until - now, memory))
  return delayed_until
end
";

/// Refuses an attempt while the pair is delayed, counting the refusal as a failure: answers 0
/// when the attempt may go on, else the milliseconds to wait.
const CHECK_DELAY_SCRIPT: &str = r"
local delayed_until = tonumber(redis.call('HGET', KEYS[1], 'until'))
if not delayed_until or now >= delayed_until then return 0 end
return count_failure() - now
";

/// Counts a failed verification; answers the failures in a row.
const RECORD_FAILURE_SCRIPT: &str = r"
count_failure()
return tonumber(redis.call('HGET', KEYS[1], 'n'))
";

/// Limits answered by Redis.
pub struct SharedCounters {
    link: CommandLink,
}

impl SharedCounters {
    pub fn new(client: redis::Client) -> SharedCounters {
        SharedCounters { link: CommandLink::new(client, "rate_limits") }
    }

    /// Takes one request from `key`'s allowance in `budget`: `None` when allowed, else how
    /// long to wait.
    pub async fn take(&self, budget: &str, key: &str, rate: CellRate) -> Result<Option<Duration>, Unavailable> {
        let interval = u64::try_from(rate.interval.as_micros()).unwrap_or(u64::MAX).max(1);
        let mut script = eval(CELL_RATE_SCRIPT.to_owned(), format!("codeview:rate:{budget}:{key}"));
        script.arg(interval).arg(rate.burst);
        let wait: u64 = self.link.query(&script).await?;
        Ok((wait > 0).then(|| Duration::from_micros(wait)))
    }

    /// `None` when `email` may try again from `network`, else how long to wait (and the
    /// refused attempt counts as a failure).
    pub async fn login_delay(
        &self,
        email: &str,
        network: &str,
        rule: &DelayRule,
    ) -> Result<Option<Duration>, Unavailable> {
        let script = delay_script(CHECK_DELAY_SCRIPT, email, network, rule);
        let wait: u64 = self.link.query(&script).await?;
        Ok((wait > 0).then(|| Duration::from_millis(wait)))
    }

    /// Counts a failed login of `email` from `network`; answers the failures in a row.
    pub async fn login_failed(&self, email: &str, network: &str, rule: &DelayRule) -> Result<u32, Unavailable> {
        let script = delay_script(RECORD_FAILURE_SCRIPT, email, network, rule);
        self.link.query(&script).await
    }

    /// Forgets the failures of `email` from `network` (it signed in).
    pub async fn login_succeeded(&self, email: &str, network: &str) -> Result<(), Unavailable> {
        let mut delete = redis::cmd("DEL");
        delete.arg(failed_login_key(email, network));
        self.link.query::<i64>(&delete).await.map(drop)
    }
}

fn eval(script: String, key: String) -> redis::Cmd {
    let mut command = redis::cmd("EVAL");
    command.arg(script).arg(1).arg(key);
    command
}

fn delay_script(body: &str, email: &str, network: &str, rule: &DelayRule) -> redis::Cmd {
    let mut script = eval(format!("{DELAY_FUNCTION}{body}"), failed_login_key(email, network));
    script
        .arg(rule.free_failures)
        .arg(millis(rule.first_delay))
        .arg(millis(rule.max_delay))
        .arg(millis(rule.memory).max(1));
    script
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn failed_login_key(email: &str, network: &str) -> String {
    let digest = Sha256::new().chain_update(email.as_bytes()).chain_update(b"\n").chain_update(network.as_bytes());
    format!("codeview:rate:failed-login:{}", hex::encode(digest.finalize()))
}

/// The scripts against the real Redis of the tests (`CODEVIEW_TEST_REDIS`, default
/// 127.0.0.1:6379; skipped with a visible line when it is absent, failing when
/// `CODEVIEW_REQUIRE_REDIS=1`). Each test uses keys of its own, which expire by themselves.
#[cfg(test)]
mod tests {
    use super::*;

    async fn counters() -> Option<(SharedCounters, redis::Client)> {
        let client = crate::cluster::redis_client::test_redis("Redis rate-limit scripts").await?;
        Some((SharedCounters::new(client.clone()), client))
    }

    fn unique(what: &str) -> String {
        format!("{what}-{}", uuid::Uuid::new_v4().simple())
    }

    #[tokio::test]
    async fn a_budget_allows_its_burst_then_refuses_with_the_wait_of_one_interval() {
        let Some((counters, _)) = counters().await else { return };
        let (budget, rate) = (unique("test"), CellRate { interval: Duration::from_secs(60), burst: 3 });
        for taken in 0..3 {
            assert_eq!(counters.take(&budget, "k", rate).await.unwrap(), None, "request {taken} of the burst");
        }
        let wait = counters.take(&budget, "k", rate).await.unwrap().expect("refused past the burst");
        assert!(wait > Duration::from_secs(59) && wait <= Duration::from_secs(60), "{wait:?}");
        let again = counters.take(&budget, "k", rate).await.unwrap().expect("still refused");
        assert!(again <= wait, "a refusal takes nothing: {again:?} after {wait:?}");
        assert_eq!(counters.take(&budget, "other", rate).await.unwrap(), None, "another key has its own");
    }

    #[tokio::test]
    async fn a_budget_refills_one_request_per_interval_and_its_key_expires_when_full() {
        let Some((counters, client)) = counters().await else { return };
        let (budget, rate) = (unique("test"), CellRate { interval: Duration::from_millis(300), burst: 2 });
        assert_eq!(counters.take(&budget, "k", rate).await.unwrap(), None);
        assert_eq!(counters.take(&budget, "k", rate).await.unwrap(), None);
        let mut connection = client.get_multiplexed_async_connection().await.unwrap();
        let ttl: i64 =
            redis::cmd("PTTL").arg(format!("codeview:rate:{budget}:k")).query_async(&mut connection).await.unwrap();
        assert!(ttl > 0 && ttl <= 600, "the key lives until the budget is full again: {ttl} ms");
        let wait = counters.take(&budget, "k", rate).await.unwrap().expect("refused");
        assert!(wait <= rate.interval, "{wait:?}");
        tokio::time::sleep(wait + Duration::from_millis(30)).await;
        assert_eq!(counters.take(&budget, "k", rate).await.unwrap(), None, "one request came back");
        assert!(counters.take(&budget, "k", rate).await.unwrap().is_some(), "only one");
        tokio::time::sleep(Duration::from_millis(700)).await;
        let exists: i64 =
            redis::cmd("EXISTS").arg(format!("codeview:rate:{budget}:k")).query_async(&mut connection).await.unwrap();
        assert_eq!(exists, 0, "a full budget holds no key");
    }

    #[tokio::test]
    async fn failed_logins_wait_after_the_free_ones_doubling_per_attempt_for_their_network_only() {
        let Some((counters, _)) = counters().await else { return };
        let rule = DelayRule::new(2);
        let email = unique("victim");
        for _ in 0..2 {
            assert_eq!(counters.login_delay(&email, "192.0.2.1", &rule).await.unwrap(), None);
            counters.login_failed(&email, "192.0.2.1", &rule).await.unwrap();
        }
        assert_eq!(counters.login_delay(&email, "192.0.2.1", &rule).await.unwrap(), None, "two were free");
        assert_eq!(counters.login_failed(&email, "192.0.2.1", &rule).await.unwrap(), 3);
        let mut waits = Vec::new();
        for _ in 0..4 {
            let wait = counters.login_delay(&email, "192.0.2.1", &rule).await.unwrap().expect("delayed");
            waits.push(wait.as_secs_f64().round() as u64);
        }
        // The third failure set a 1 s delay; each refused attempt counts and doubles it.
        assert_eq!(waits, [2, 4, 8, 16], "each refused attempt doubles the wait");
        assert_eq!(counters.login_delay(&email, "198.51.100.7", &rule).await.unwrap(), None, "the owner's network");
        counters.login_succeeded(&email, "192.0.2.1").await.unwrap();
        assert_eq!(counters.login_delay(&email, "192.0.2.1", &rule).await.unwrap(), None, "a success forgets");
    }

    #[tokio::test]
    async fn the_failed_login_delay_is_capped_and_remembered_while_it_runs() {
        let Some((counters, client)) = counters().await else { return };
        let rule = DelayRule::new(1);
        let email = unique("victim");
        for _ in 0..60 {
            counters.login_failed(&email, "192.0.2.1", &rule).await.unwrap();
        }
        let wait = counters.login_delay(&email, "192.0.2.1", &rule).await.unwrap().expect("delayed");
        assert!(wait <= rule.max_delay && wait > rule.max_delay - Duration::from_secs(2), "{wait:?}");
        let mut connection = client.get_multiplexed_async_connection().await.unwrap();
        let ttl: i64 =
            redis::cmd("PTTL").arg(failed_login_key(&email, "192.0.2.1")).query_async(&mut connection).await.unwrap();
        assert!(ttl as u128 >= rule.memory.as_millis() - 2_000, "kept at least the memory period: {ttl} ms");
    }

    #[tokio::test]
    async fn an_unreachable_redis_answers_unavailable_at_once() {
        // A port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let counters = SharedCounters::new(redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap());
        let rate = CellRate { interval: Duration::from_secs(1), burst: 1 };
        let started = std::time::Instant::now();
        assert!(counters.take("test", "k", rate).await.is_err());
        assert!(matches!(counters.take("test", "k", rate).await, Err(Unavailable::Resting)), "not asked again at once");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}
