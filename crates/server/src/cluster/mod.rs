//! This process's place among the server instances that share one database and one Redis
//! (issue 21): its instance id, and the Redis client every cross-instance part opens its
//! connections from (the live documents' relay, revocations, rate limits, room state).
//! Without `--redis-url` the process is alone: `redis()` is `None` and every part behaves as
//! on a single machine.
//!
//! Redis names: every key and channel starts with `codeview:` and then the part's own name
//! (`codeview:room-events`, `codeview:doc-owner:…`), so parts never collide.

pub mod command_link;
pub mod redis_client;
pub mod shared_lock;
pub mod subscriber;

use std::fmt;

use uuid::Uuid;

/// Identifies one running server process among the instances (new at every start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstanceId(pub Uuid);

impl InstanceId {
    pub fn new() -> InstanceId {
        InstanceId(Uuid::now_v7())
    }
}

impl Default for InstanceId {
    fn default() -> Self {
        InstanceId::new()
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    instance: InstanceId,
    redis: Option<redis::Client>,
}

impl Cluster {
    /// A process on its own (no Redis).
    pub fn alone() -> Cluster {
        Cluster { instance: InstanceId::new(), redis: None }
    }

    /// A process sharing Redis through `client` (see [`redis_client::open`]; connections are
    /// opened by the parts).
    pub fn with_redis(client: redis::Client) -> Cluster {
        Cluster { instance: InstanceId::new(), redis: Some(client) }
    }

    /// From the optional Redis client of `--redis-url`.
    pub fn from_client(client: Option<redis::Client>) -> Cluster {
        client.map_or_else(Cluster::alone, Cluster::with_redis)
    }

    pub fn instance(&self) -> InstanceId {
        self.instance
    }

    /// The Redis client, when the process shares Redis with other instances.
    pub fn redis(&self) -> Option<&redis::Client> {
        self.redis.as_ref()
    }
}
