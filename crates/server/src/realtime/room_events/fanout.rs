//! LiveDoc events across processes through Redis pub/sub: a `codeview worker` (or another server
//! instance) publishes, and every server delivers to the sockets it holds. One channel carries
//! all interviews; each message is `interview_id|audience|event-json`, the audience `e`, `i`,
//! `o` or `p<peer uuid>` (call events are delivered locally, but the format covers every audience).
//!
//! Order: one publisher task per process with one connection, so the events of a run (all
//! published by the worker executing it) arrive in order. When Redis fails, events published
//! here are delivered locally rather than dropped, and after the subscription comes back
//! every local socket is told to resync (it reloads the run history over HTTP).

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::published::{Audience, Published};

/// Where events received from Redis go: this process's sockets (the event hub).
pub trait LocalDelivery: Clone + Send + Sync + 'static {
    /// Hands an event to this process's sockets of the interview.
    fn deliver(&self, interview_id: Uuid, published: Published);
    /// Tells every socket of this process that events may have been missed.
    fn deliver_resync_to_all(&self);
}

const CHANNEL: &str = "codeview:room-events";
/// This part's label in `codeview_redis_errors_total` and `codeview_redis_messages_dropped_total`.
const PART: &str = "room_events";
/// Events waiting to be published; beyond this they are delivered locally only.
const QUEUE_CAPACITY: usize = 4096;
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct Fanout {
    outgoing: mpsc::Sender<(Uuid, Published)>,
    /// A connection of its own for health checks (multiplexed: cheap to clone).
    health: redis::aio::MultiplexedConnection,
}

impl Fanout {
    /// Connects (failing fast on a wrong URL or an unreachable Redis), starts the publisher,
    /// and, with `local`, the subscriber delivering to this process's sockets.
    pub async fn connect<L: LocalDelivery>(client: redis::Client, local: Option<L>) -> anyhow::Result<Fanout> {
        use anyhow::Context;
        let publisher = client.get_multiplexed_async_connection().await.context("connecting to Redis")?;
        let health = publisher.clone();
        let (outgoing, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(publish_all(client.clone(), publisher, queue, local.clone()));
        if let Some(local) = local {
            let pubsub = subscribe(&client).await.context("subscribing to room events in Redis")?;
            tokio::spawn(deliver_all(client, pubsub, local));
        }
        Ok(Fanout { outgoing, health })
    }

    /// Whether Redis answers a PING within a second.
    pub async fn ping(&self) -> bool {
        let mut connection = self.health.clone();
        let command = redis::cmd("PING");
        let ping = command.query_async::<String>(&mut connection);
        matches!(tokio::time::timeout(Duration::from_secs(1), ping).await, Ok(Ok(_)))
    }

    /// Queues an event for Redis; gives it back when the queue is full.
    pub fn send(&self, interview_id: Uuid, published: Published) -> Result<(), Published> {
        self.outgoing.try_send((interview_id, published)).map_err(|err| err.into_inner().1)
    }
}

fn encode(interview_id: Uuid, published: &Published) -> String {
    let audience = match published.audience {
        Audience::Everyone => "e".to_owned(),
        Audience::Interviewers => "i".to_owned(),
        Audience::NotInterviewers => "o".to_owned(),
        Audience::Peer(peer_id) => format!("p{peer_id}"),
    };
    format!("{interview_id}|{audience}|{}", published.json)
}

/// The inverse of `encode`; `None` for anything malformed (it is dropped).
fn decode(payload: &str) -> Option<(Uuid, Published)> {
    let mut parts = payload.splitn(3, '|');
    let interview_id = parts.next()?.parse().ok()?;
    let audience = match parts.next()? {
        "e" => Audience::Everyone,
        "i" => Audience::Interviewers,
        "o" => Audience::NotInterviewers,
        peer => Audience::Peer(peer.strip_prefix('p')?.parse().ok()?),
    };
    Some((interview_id, Published { audience, json: parts.next()?.into() }))
}

async fn publish_all<L: LocalDelivery>(
    client: redis::Client,
    mut connection: redis::aio::MultiplexedConnection,
    mut queue: mpsc::Receiver<(Uuid, Published)>,
    local: Option<L>,
) {
    while let Some((interview_id, published)) = queue.recv().await {
        let payload = encode(interview_id, &published);
        let sent: redis::RedisResult<()> =
            redis::cmd("PUBLISH").arg(CHANNEL).arg(&payload).query_async(&mut connection).await;
        if let Err(err) = sent {
            count_error();
            tracing::warn!(error = %err, "publishing a room event to Redis failed; delivering it locally");
            if let Some(local) = &local {
                local.deliver(interview_id, published);
            }
            if let Ok(fresh) = client.get_multiplexed_async_connection().await {
                connection = fresh;
            }
        }
    }
}

async fn subscribe(client: &redis::Client) -> redis::RedisResult<redis::aio::PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(CHANNEL).await?;
    Ok(pubsub)
}

async fn deliver_all<L: LocalDelivery>(client: redis::Client, mut pubsub: redis::aio::PubSub, local: L) {
    loop {
        {
            let mut messages = pubsub.on_message();
            while let Some(message) = messages.next().await {
                let Ok(payload) = message.get_payload::<String>() else { continue };
                match decode(&payload) {
                    Some((interview_id, published)) => local.deliver(interview_id, published),
                    None => {
                        metrics::counter!("codeview_redis_messages_dropped_total", "part" => PART).increment(1);
                        tracing::warn!("ignored a malformed room event from Redis");
                    }
                }
            }
        }
        count_error();
        tracing::warn!("the Redis room-event subscription dropped; reconnecting");
        pubsub = loop {
            tokio::time::sleep(RECONNECT_AFTER).await;
            match subscribe(&client).await {
                Ok(pubsub) => break pubsub,
                Err(err) => {
                    count_error();
                    tracing::warn!(error = %err, "resubscribing to Redis failed");
                }
            }
        };
        local.deliver_resync_to_all();
    }
}

/// Counts a failed Redis command or a lost subscription of this part.
fn count_error() {
    metrics::counter!("codeview_redis_errors_total", "part" => PART).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_the_wire_format_including_pipes_in_the_json() {
        let id = Uuid::now_v7();
        for audience in
            [Audience::Everyone, Audience::Interviewers, Audience::NotInterviewers, Audience::Peer(Uuid::now_v7())]
        {
            let published = Published { audience, json: r#"{"text":"a|b"}"#.into() };
            let (back_id, back) = decode(&encode(id, &published)).unwrap();
            assert_eq!(back_id, id);
            assert_eq!(back.audience, audience);
            assert_eq!(&*back.json, r#"{"text":"a|b"}"#);
        }
    }

    #[test]
    fn malformed_payloads_are_dropped() {
        let nil = Uuid::nil();
        for bad in ["", "not-a-uuid|e|{}", &format!("{nil}|x|{{}}"), &format!("{nil}|e"), &format!("{nil}|pnope|{{}}")]
        {
            assert!(decode(bad).is_none(), "{bad}");
        }
    }
}
