//! One Redis connection for the commands of a part of the room's cluster state: opened on first
//! use and again after any failure, every command bounded in time, every failure counted in
//! `codeview_redis_errors_total{part}` and logged at most once per [`LOG_EVERY`]. A caller
//! gets `Err(Unreachable)` and decides what that means (refuse with a reason, keep the last
//! known state); the next command tries Redis again, so recovery needs nothing else.

use std::sync::Mutex as StdMutex;
use std::time::{Duration, Instant};

use redis::FromRedisValue;
use redis::aio::MultiplexedConnection;

/// The longest a connection attempt or a command may take.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(1);
/// Failures are logged at most this often (they are all counted).
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Redis did not answer (or answered with an error); already counted and logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreachable;

pub struct RedisLink {
    client: redis::Client,
    part: &'static str,
    /// The connection in use; `None` after a failure. An async mutex: connecting awaits.
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    last_logged: StdMutex<Option<Instant>>,
}

impl RedisLink {
    /// `part` labels the errors counted (`room_presence`, `room_terminal`, …).
    pub fn new(client: redis::Client, part: &'static str) -> RedisLink {
        RedisLink { client, part, connection: tokio::sync::Mutex::new(None), last_logged: StdMutex::new(None) }
    }

    /// Runs one command (a script, a pipeline's worth is one `EVAL`).
    pub async fn query<T: FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, Unreachable> {
        let mut connection = self.connection().await?;
        match tokio::time::timeout(COMMAND_TIMEOUT, command.query_async::<T>(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(self.failed(&err.to_string()).await),
            Err(_) => Err(self.failed("timed out").await),
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, Unreachable> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let opened = tokio::time::timeout(COMMAND_TIMEOUT, self.client.get_multiplexed_async_connection()).await;
        match opened {
            Ok(Ok(connection)) => {
                *slot = Some(connection.clone());
                Ok(connection)
            }
            Ok(Err(err)) => {
                drop(slot);
                Err(self.failed(&err.to_string()).await)
            }
            Err(_) => {
                drop(slot);
                Err(self.failed("connecting timed out").await)
            }
        }
    }

    /// Counts and (now and then) logs a failure, and drops the connection so the next command
    /// opens a fresh one.
    async fn failed(&self, why: &str) -> Unreachable {
        *self.connection.lock().await = None;
        metrics::counter!("codeview_redis_errors_total", "part" => self.part).increment(1);
        let now = Instant::now();
        let mut last = self.last_logged.lock().expect("redis link log");
        if last.is_none_or(|at| now.duration_since(at) >= LOG_EVERY) {
            *last = Some(now);
            tracing::warn!(part = self.part, error = why, "a Redis command failed (logged once per 10 s)");
        }
        Unreachable
    }
}

/// Counts a message from Redis that was dropped because it did not parse or was too large.
pub fn dropped(part: &'static str) {
    metrics::counter!("codeview_redis_messages_dropped_total", "part" => part).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_redis_is_an_error_not_a_hang() {
        // Nothing listens on port 1.
        let link = RedisLink::new(redis::Client::open("redis://127.0.0.1:1").unwrap(), "test");
        let started = Instant::now();
        let answer: Result<String, Unreachable> = link.query(&redis::cmd("PING")).await;
        assert_eq!(answer, Err(Unreachable));
        assert!(started.elapsed() < COMMAND_TIMEOUT * 3);
    }
}
