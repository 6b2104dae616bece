//! Locks every instance respects, held in Redis: `SET key token NX PX ttl` takes one, a
//! compare-and-delete script gives it back (only its holder's token deletes it), and it lapses
//! after [`HOLD_AT_MOST`] whatever happens to its holder (a crash, a lost connection). Used
//! where a check and the write it guards must not interleave across instances (an account's
//! quota: count, then create). With Redis away, `acquire` answers `None` at once and the
//! caller relies on its own process's lock alone (the part says what that costs).

use std::sync::Arc;
use std::time::Duration;

use super::command_link::CommandLink;

/// A lock lapses this long after it was taken, if its holder never gave it back.
pub const HOLD_AT_MOST: Duration = Duration::from_secs(10);
/// The longest wait for a lock: past its lapse, so only a lock taken again and again by others
/// can keep a caller waiting that long (it then goes on with its process's lock, and says so).
const WAIT_AT_MOST: Duration = Duration::from_secs(12);
/// Pause between attempts while another instance holds the lock (plus up to as much again at
/// random, so waiters do not retry in step).
const RETRY_EVERY: Duration = Duration::from_millis(5);

/// Deletes the key only while it holds the caller's token.
const RELEASE: &str =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/// The locks of one part (`codeview:{part}-lock:{name}`). Cheap to clone.
#[derive(Clone)]
pub struct SharedLocks {
    link: Arc<CommandLink>,
    part: &'static str,
}

/// A lock taken; dropping it gives it back (on a task of its own).
pub struct SharedLockHeld {
    link: Arc<CommandLink>,
    key: String,
    token: String,
}

impl SharedLocks {
    pub fn new(client: redis::Client, part: &'static str) -> SharedLocks {
        SharedLocks { link: Arc::new(CommandLink::new(client, part)), part }
    }

    /// Takes the lock `name`, waiting while another instance holds it; `None` when Redis does
    /// not answer (or the wait passed `WAIT_AT_MOST`).
    pub async fn acquire(&self, name: &str) -> Option<SharedLockHeld> {
        let key = format!("codeview:{}-lock:{name}", self.part);
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut set = redis::cmd("SET");
        set.arg(&key).arg(&token).arg("NX").arg("PX").arg(HOLD_AT_MOST.as_millis() as u64);
        let deadline = tokio::time::Instant::now() + WAIT_AT_MOST;
        loop {
            match self.link.query::<Option<String>>(&set).await {
                Ok(Some(_)) => return Some(SharedLockHeld { link: self.link.clone(), key, token }),
                Ok(None) if tokio::time::Instant::now() < deadline => {
                    let jitter = rand::random_range(0..=RETRY_EVERY.as_micros() as u64);
                    tokio::time::sleep(RETRY_EVERY + Duration::from_micros(jitter)).await;
                }
                Ok(None) => {
                    tracing::warn!(part = self.part, name, "a shared lock stayed taken too long; going on without it");
                    return None;
                }
                Err(_) => return None,
            }
        }
    }
}

impl Drop for SharedLockHeld {
    fn drop(&mut self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let (link, key, token) = (self.link.clone(), std::mem::take(&mut self.key), std::mem::take(&mut self.token));
        runtime.spawn(async move {
            let mut release = redis::cmd("EVAL");
            release.arg(RELEASE).arg(1).arg(&key).arg(&token);
            // A failed release only delays the next holder until the lock lapses.
            let _ = link.query::<i64>(&release).await;
        });
    }
}

/// Against the real Redis of the tests (`CODEVIEW_TEST_REDIS`, default 127.0.0.1:6379; skipped
/// with a visible line when absent, failing when `CODEVIEW_REQUIRE_REDIS=1`).
#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    async fn redis() -> Option<redis::Client> {
        crate::cluster::redis_client::test_redis("Redis shared locks").await
    }

    #[tokio::test]
    async fn a_lock_held_by_one_instance_keeps_another_waiting_until_it_is_given_back() {
        let Some(client) = redis().await else { return };
        // Two instances: two sets of locks with their own connections, one Redis.
        let (a, b) = (SharedLocks::new(client.clone(), "test"), SharedLocks::new(client, "test"));
        let name = uuid::Uuid::new_v4().to_string();
        let held = a.acquire(&name).await.expect("the first instance takes the lock");
        let released = Arc::new(AtomicBool::new(false));
        let waiter = {
            let (released, name) = (released.clone(), name.clone());
            tokio::spawn(async move {
                let held = b.acquire(&name).await.expect("the second instance takes it once it is free");
                assert!(released.load(Ordering::SeqCst), "taken while the first instance still held it");
                held
            })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!waiter.is_finished(), "the second instance must wait");
        released.store(true, Ordering::SeqCst);
        drop(held);
        let again = tokio::time::timeout(Duration::from_secs(5), waiter).await.expect("given back").unwrap();
        drop(again);
    }

    #[tokio::test]
    async fn only_its_holder_gives_a_lock_back() {
        let Some(client) = redis().await else { return };
        let locks = SharedLocks::new(client.clone(), "test");
        let name = uuid::Uuid::new_v4().to_string();
        let held = locks.acquire(&name).await.expect("taken");
        // Someone else's release (a wrong token) leaves it in place.
        let mut connection = client.get_multiplexed_async_connection().await.unwrap();
        let deleted: i64 = redis::cmd("EVAL")
            .arg(RELEASE)
            .arg(1)
            .arg(&held.key)
            .arg("not-the-token")
            .query_async(&mut connection)
            .await
            .unwrap();
        assert_eq!(deleted, 0);
        let holder: Option<String> = redis::cmd("GET").arg(&held.key).query_async(&mut connection).await.unwrap();
        assert_eq!(holder.as_deref(), Some(held.token.as_str()));
    }

    #[tokio::test]
    async fn with_redis_unreachable_acquire_answers_at_once() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let locks = SharedLocks::new(redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap(), "test");
        let started = std::time::Instant::now();
        assert!(locks.acquire("anything").await.is_none());
        assert!(started.elapsed() < WAIT_AT_MOST, "it must not wait for a Redis that is not there");
    }
}
