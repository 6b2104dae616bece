//! One part's Redis connection for commands (not subscriptions: see `subscriber`). It is opened
//! on first use, every command is bounded in time, and after a failure the link stays down
//! for [`RETRY_AFTER`]: callers are answered "unavailable" at once (and act without Redis)
//! instead of each waiting for a dead server, and then the next command tries a new
//! connection, so the part uses Redis again by itself when it answers. Failures are counted
//! in `codeview_redis_errors_total{part}` and logged at most once per [`LOG_EVERY`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;

/// How long one command (or opening the connection) may take before it counts as a failure.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(500);
/// How long the link stays down after a failure before trying Redis again.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);
/// At most one log line about a failing link per this period.
const LOG_EVERY: Duration = Duration::from_secs(30);

/// Why a command has no answer.
#[derive(Debug)]
pub enum Unavailable {
    /// The link is down after a recent failure; Redis was not asked.
    Resting,
    /// Redis failed or did not answer in time.
    Failed(String),
}

struct Link {
    connection: Option<MultiplexedConnection>,
    /// Until then, commands are not tried.
    resting_until: Option<Instant>,
    last_complaint: Option<Instant>,
}

pub struct CommandLink {
    client: redis::Client,
    /// The metric label and log name of the part using the link.
    part: &'static str,
    /// A std mutex: held to clone or replace the connection, never across an await.
    link: Mutex<Link>,
}

impl CommandLink {
    pub fn new(client: redis::Client, part: &'static str) -> CommandLink {
        CommandLink {
            client,
            part,
            link: Mutex::new(Link { connection: None, resting_until: None, last_complaint: None }),
        }
    }

    /// Runs `command`; on failure the link rests and the failure is counted.
    pub async fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, Unavailable> {
        self.run(|mut connection| async move { command.query_async::<T>(&mut connection).await }).await
    }

    /// Runs `call` (a pipeline, a script, several commands) on the link's connection, bounded
    /// in time like one command; on failure the link rests and the failure is counted.
    pub async fn run<T, F, Fut>(&self, call: F) -> Result<T, Unavailable>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let connection = self.connection().await?;
        match tokio::time::timeout(COMMAND_TIMEOUT, call(connection)).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(err)) if !err.is_io_error() && !err.is_connection_dropped() && !err.is_timeout() => {
                // Redis answered with an error (a bug in a script, a wrong type): the
                // connection is fine, the command is not. Counted, not rested.
                self.count_failure(&err.to_string(), false);
                Err(Unavailable::Failed(err.to_string()))
            }
            Ok(Err(err)) => Err(self.failed(err.to_string())),
            Err(_) => Err(self.failed("no answer in time".into())),
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, Unavailable> {
        {
            let link = self.lock();
            if let Some(connection) = &link.connection {
                return Ok(connection.clone());
            }
            if link.resting_until.is_some_and(|until| Instant::now() < until) {
                return Err(Unavailable::Resting);
            }
        }
        let opened = tokio::time::timeout(COMMAND_TIMEOUT, self.client.get_multiplexed_async_connection()).await;
        match opened {
            Ok(Ok(connection)) => {
                let mut link = self.lock();
                if link.resting_until.take().is_some() {
                    tracing::info!(part = self.part, "Redis answers again");
                }
                Ok(link.connection.get_or_insert(connection).clone())
            }
            Ok(Err(err)) => Err(self.failed(err.to_string())),
            Err(_) => Err(self.failed("connecting timed out".into())),
        }
    }

    fn failed(&self, error: String) -> Unavailable {
        self.count_failure(&error, true);
        Unavailable::Failed(error)
    }

    fn count_failure(&self, error: &str, rest: bool) {
        metrics::counter!("codeview_redis_errors_total", "part" => self.part).increment(1);
        let now = Instant::now();
        let mut link = self.lock();
        if rest {
            link.connection = None;
            link.resting_until = Some(now + RETRY_AFTER);
        }
        if link.last_complaint.is_none_or(|at| now.duration_since(at) >= LOG_EVERY) {
            link.last_complaint = Some(now);
            tracing::warn!(part = self.part, error, "a Redis command failed; acting without Redis for now");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Link> {
        // Nothing panics while holding it; a poisoned lock still holds a usable link.
        self.link.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
