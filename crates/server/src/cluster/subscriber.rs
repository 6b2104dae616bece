//! One Redis pub/sub subscription that survives Redis restarts: messages go to a handler; when
//! the subscription drops it is re-made every second until Redis answers, and then the
//! `resubscribed` callback runs (messages published meanwhile are lost: the part must resync).

use std::time::Duration;

use futures_util::StreamExt;

/// How long to wait between attempts to subscribe again.
pub const RESUBSCRIBE_EVERY: Duration = Duration::from_secs(1);

/// Subscribes to `channels` (failing fast if Redis does not answer now) and spawns the task
/// delivering their messages to `on_message`, in order.
pub async fn subscribe(
    client: redis::Client,
    channels: Vec<String>,
    on_message: impl Fn(redis::Msg) + Send + 'static,
    resubscribed: impl Fn() + Send + 'static,
) -> redis::RedisResult<tokio::task::JoinHandle<()>> {
    let pubsub = open(&client, &channels).await?;
    Ok(tokio::spawn(deliver(client, channels, pubsub, on_message, resubscribed)))
}

async fn open(client: &redis::Client, channels: &[String]) -> redis::RedisResult<redis::aio::PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    for channel in channels {
        pubsub.subscribe(channel).await?;
    }
    Ok(pubsub)
}

async fn deliver(
    client: redis::Client,
    channels: Vec<String>,
    mut pubsub: redis::aio::PubSub,
    on_message: impl Fn(redis::Msg) + Send + 'static,
    resubscribed: impl Fn() + Send + 'static,
) {
    loop {
        {
            let mut messages = pubsub.on_message();
            while let Some(message) = messages.next().await {
                on_message(message);
            }
        }
        metrics::counter!("codeview_redis_errors_total", "part" => "subscription").increment(1);
        tracing::warn!(?channels, "a Redis subscription dropped; subscribing again");
        pubsub = loop {
            tokio::time::sleep(RESUBSCRIBE_EVERY).await;
            match open(&client, &channels).await {
                Ok(pubsub) => break pubsub,
                Err(err) => tracing::warn!(error = %err, "subscribing to Redis again failed"),
            }
        };
        resubscribed();
    }
}
