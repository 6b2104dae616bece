//! Revocations across server instances (with `--redis-url`): every notice made here is
//! published on the Redis channel [`CHANNEL`] and every instance applies the notices of the
//! others to its own sockets, exactly as a local one, so a right taken away on one instance
//! closes its sockets on all of them within milliseconds.
//!
//! Failure: the local hub always acts first and at once, whatever Redis does. A notice that
//! cannot be published (Redis down, queue full) is counted and dropped: the other instances'
//! periodic re-validation against the store closes those sockets within `REVALIDATE_EVERY`.
//! Notices published while this instance's subscription was down are lost to it, so after every
//! resubscription it re-validates its sockets at once.

use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::Hub;
use super::notice::{self, Notice};
use crate::cluster::command_link::CommandLink;
use crate::cluster::{Cluster, InstanceId, subscriber};

/// The one channel every instance publishes its revocations on and listens to.
pub const CHANNEL: &str = "codeview:revocations";
/// The part's name in metrics and logs.
const PART: &str = "revocations";
/// Notices waiting to be published; beyond this they are dropped (and counted).
const QUEUE_CAPACITY: usize = 4096;

/// At most one log line about a full queue per this period.
const LOG_FULL_EVERY: Duration = Duration::from_secs(30);

/// Hands this instance's notices to Redis. Cheap to clone.
#[derive(Clone)]
pub struct Publisher {
    outgoing: mpsc::Sender<Notice>,
    last_complaint: Arc<Mutex<Option<Instant>>>,
}

impl Publisher {
    /// Queues `notice` for the other instances (never waits).
    pub fn publish(&self, notice: Notice) {
        if self.outgoing.try_send(notice).is_ok() {
            return;
        }
        metrics::counter!("codeview_redis_errors_total", "part" => PART).increment(1);
        let now = Instant::now();
        let mut last = self.last_complaint.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_none_or(|at| now.duration_since(at) >= LOG_FULL_EVERY) {
            *last = Some(now);
            tracing::warn!("too many revocations waiting for Redis; the other instances re-validate instead");
        }
    }
}

/// Starts publishing this instance's notices and applying the others' to `hub`; `None`
/// without Redis. Subscribing is retried in the background until Redis answers.
pub(super) fn start(cluster: &Cluster, hub: Weak<Hub>) -> Option<Publisher> {
    let client = cluster.redis()?.clone();
    let instance = cluster.instance();
    let (outgoing, queue) = mpsc::channel(QUEUE_CAPACITY);
    tokio::spawn(publish_all(CommandLink::new(client.clone(), PART), instance, queue));
    tokio::spawn(listen(client, instance, hub));
    Some(Publisher { outgoing, last_complaint: Arc::default() })
}

async fn publish_all(link: CommandLink, instance: InstanceId, mut queue: mpsc::Receiver<Notice>) {
    while let Some(notice) = queue.recv().await {
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(CHANNEL).arg(notice::encode(instance, &notice));
        // A failure is counted and logged by the link; the re-validation covers it.
        let _ = link.query::<i64>(&publish).await;
    }
}

/// Subscribes (again every second until Redis answers; the subscriber then keeps the
/// subscription alive by itself).
async fn listen(client: redis::Client, instance: InstanceId, hub: Weak<Hub>) {
    loop {
        let on_message = {
            let hub = hub.clone();
            move |message: redis::Msg| receive(&hub, instance, message.get_payload_bytes())
        };
        let resubscribed = {
            let hub = hub.clone();
            move || revalidate_soon(&hub)
        };
        match subscriber::subscribe(client.clone(), vec![CHANNEL.to_owned()], on_message, resubscribed).await {
            Ok(_delivering) => {
                // Sockets may have opened while nothing was heard.
                revalidate_soon(&hub);
                return;
            }
            Err(err) => {
                metrics::counter!("codeview_redis_errors_total", "part" => PART).increment(1);
                tracing::warn!(error = %err, "subscribing to revocations in Redis failed; trying again");
                tokio::time::sleep(subscriber::RESUBSCRIBE_EVERY).await;
            }
        }
        if hub.strong_count() == 0 {
            return;
        }
    }
}

fn receive(hub: &Weak<Hub>, instance: InstanceId, payload: &[u8]) {
    match notice::decode(payload) {
        // This instance applied its own notices before publishing them.
        Ok(received) if received.from == instance => {}
        Ok(received) => {
            if let Some(hub) = hub.upgrade() {
                metrics::counter!("codeview_revocations_received_total", "kind" => received.notice.kind()).increment(1);
                hub.apply_heard(received.notice);
            }
        }
        Err(refused) => {
            metrics::counter!("codeview_redis_messages_dropped_total", "part" => PART, "reason" => refused.label())
                .increment(1);
            tracing::warn!(reason = refused.label(), "dropped a revocation message from Redis");
        }
    }
}

fn revalidate_soon(hub: &Weak<Hub>) {
    if let Some(hub) = hub.upgrade() {
        hub.revalidate_now.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::domain::Role;
    use crate::extract::Credential;
    use crate::realtime::revocations::{Revocations, SocketGrant};

    fn candidate_socket(revocations: &Revocations, interview_id: Uuid) -> crate::realtime::revocations::SocketRights {
        revocations.register(SocketGrant {
            interview_id,
            participant_id: Uuid::now_v7(),
            user_id: None,
            role: Role::Candidate,
            credential: Credential::Token { id: Uuid::now_v7() },
        })
    }

    #[tokio::test]
    async fn another_instances_notice_closes_local_sockets_and_is_passed_on_but_ones_own_and_garbage_are_not() {
        let revocations = Revocations { inner: Arc::new(Hub::new()), others: None };
        let hub = Arc::downgrade(&revocations.inner);
        let (me, other) = (InstanceId::new(), InstanceId::new());
        let (mine, theirs) = (Uuid::now_v7(), Uuid::now_v7());
        let my_socket = candidate_socket(&revocations, mine);
        let their_socket = candidate_socket(&revocations, theirs);
        let mut heard = revocations.heard_from_others();

        receive(&hub, me, notice::encode(me, &Notice::InterviewEnded { interview_id: mine }).as_bytes());
        receive(&hub, me, b"{\"v\":1,\"from\":\"nope\"}");
        receive(&hub, me, &[b'x'; 5000]);
        assert_eq!(my_socket.revoked_now(), None, "its own notice was applied before publishing");
        assert!(heard.try_recv().is_err(), "nothing passed on");

        receive(&hub, me, notice::encode(other, &Notice::InterviewEnded { interview_id: theirs }).as_bytes());
        assert_eq!(their_socket.revoked_now().map(|r| r.code), Some(4403));
        assert_eq!(my_socket.revoked_now(), None, "another interview's socket stays");
        assert_eq!(heard.try_recv().ok(), Some(Notice::InterviewEnded { interview_id: theirs }));
    }
}
