//! Awareness (cursors, selections, names) with the server's rules on top of yrs' `Awareness`:
//! a connection may only speak for awareness client ids it owns, the `user` field of every
//! state is replaced by the connection's authenticated identity (no spoofed names or roles),
//! a connection that shares no cursor (an observer) has every other field dropped (no cursor
//! or selection of theirs ever reaches anyone, yet people see who is watching), a connection's clients are removed when it goes (no ghost cursors), and bursts faster than
//! `Limits::awareness_interval` are merged: the states are stored at once, and the broadcast
//! of the latest state waits for [`Presence::tick`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use serde_json::Value;
use yrs::ClientID;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::sync::{Awareness, AwarenessUpdate};

use crate::frames;
use crate::limits::Limits;
use crate::types::ConnId;

/// Who holds an awareness client id.
struct Owner {
    conn: ConnId,
    /// Lets a reconnecting participant's new socket take over its client id (with a newer
    /// clock) before the old socket's close has been noticed.
    participant: Arc<str>,
}

/// The sender of an awareness update, as the live document knows it.
pub(crate) struct Sender<'a> {
    pub conn: ConnId,
    pub participant: &'a Arc<str>,
    /// The `user` object (JSON text) every state from this connection carries.
    pub user: &'a str,
    /// False for observers: their states are reduced to `user`.
    pub shares_cursor: bool,
    /// When this connection may next cause an immediate broadcast.
    pub next_broadcast: &'a mut Option<Instant>,
}

#[derive(Default)]
pub(crate) struct Presence {
    /// Awareness client id → owning connection.
    owners: HashMap<ClientID, Owner>,
    /// Clients whose latest state is stored but not yet broadcast (merged floods).
    pending: Vec<ClientID>,
    /// When `pending` is due.
    flush_at: Option<Instant>,
}

/// The JSON `user` object shown for a participant, as text: a parsed `Value` map costs
/// ~600 bytes per connection, the text ~100, and awareness updates are rare enough to parse it.
pub(crate) fn user_json(identity: &crate::Identity) -> Box<str> {
    serde_json::json!({
        "id": identity.participant_id,
        "name": identity.name,
        "role": identity.role,
        "color": identity.color,
    })
    .to_string()
    .into_boxed_str()
}

/// Rewrites a client's JSON state so `user` is the server's; with `shares_cursor` false,
/// `user` is all that is left (y-monaco's `selection`, any `cursor` and whatever else the
/// client put there are dropped). `None` if it is not an object or too large.
fn bind_user(json: &str, user: &str, shares_cursor: bool, max: usize) -> Option<Arc<str>> {
    if json.len() > max {
        return None;
    }
    let mut state: Value = serde_json::from_str(json).ok()?;
    let user: Value = serde_json::from_str(user).ok()?;
    let fields = state.as_object_mut()?;
    if !shares_cursor {
        fields.clear();
    }
    fields.insert("user".to_owned(), user);
    serde_json::to_string(&state).ok().map(Arc::from)
}

impl Presence {
    /// Applies what `sender` may say of `update`; returns a frame to broadcast now, if any.
    pub fn receive(
        &mut self,
        awareness: &mut Awareness,
        update: AwarenessUpdate,
        sender: Sender<'_>,
        limits: &Limits,
        now: Instant,
    ) -> Option<Bytes> {
        let mut allowed = HashMap::with_capacity(update.clients.len());
        for (client, entry) in update.clients {
            let removal = entry.json.as_ref() == "null";
            match self.owners.get_mut(&client) {
                Some(owner) if owner.conn == sender.conn => {}
                // The same participant's other tab echoes this state back (y-websocket
                // re-broadcasts every remote state it applies) with the clock the live document already
                // holds; only a newer clock is the client itself, speaking from a new socket.
                Some(owner) if owner.participant == *sender.participant => {
                    if entry.clock <= awareness.meta(client).map_or(0, |(clock, _)| clock) {
                        continue;
                    }
                    owner.conn = sender.conn;
                }
                Some(_) => continue,
                None => {
                    let owned = self.owners.values().filter(|o| o.conn == sender.conn).count();
                    if removal || owned >= limits.max_awareness_clients_per_conn {
                        continue;
                    }
                    self.owners.insert(client, Owner { conn: sender.conn, participant: sender.participant.clone() });
                }
            }
            let json = if removal {
                entry.json
            } else {
                match bind_user(&entry.json, sender.user, sender.shares_cursor, limits.max_awareness_state_bytes) {
                    Some(json) => json,
                    None => continue,
                }
            };
            allowed.insert(client, AwarenessUpdateEntry { clock: entry.clock, json });
        }
        if allowed.is_empty() {
            return None;
        }
        let summary = awareness.apply_update_summary(AwarenessUpdate { clients: allowed }).ok()??;
        let changed = summary.all_changes();
        if changed.is_empty() {
            return None;
        }
        match *sender.next_broadcast {
            Some(at) if at > now => {
                for client in changed {
                    if !self.pending.contains(&client) {
                        self.pending.push(client);
                    }
                }
                self.flush_at = Some(self.flush_at.map_or(at, |f| f.min(at)));
                None
            }
            _ => {
                *sender.next_broadcast = Some(now + limits.awareness_interval);
                let update = awareness.update_with_clients(changed).ok()?;
                Some(frames::awareness(&update))
            }
        }
    }

    /// Removes every state `conn` owns; returns the removal frame for the others.
    pub fn disconnect(&mut self, awareness: &mut Awareness, conn: ConnId) -> Option<Bytes> {
        let mut gone = Vec::new();
        self.owners.retain(|client, owner| {
            if owner.conn == conn {
                gone.push(*client);
                false
            } else {
                true
            }
        });
        gone.retain(|client| {
            let live = awareness.meta(*client).is_some() && awareness.state::<Value>(*client).is_some();
            if live {
                awareness.remove_state(*client);
            }
            live
        });
        if gone.is_empty() {
            return None;
        }
        let update = awareness.update_with_clients(gone).ok()?;
        Some(frames::awareness(&update))
    }

    /// The merged states that are due by `now`.
    pub fn tick(&mut self, awareness: &Awareness, now: Instant) -> Option<Bytes> {
        match self.flush_at {
            Some(at) if at <= now => {}
            _ => return None,
        }
        self.flush_at = None;
        let clients = std::mem::take(&mut self.pending);
        let update = awareness.update_with_clients(clients).ok()?;
        Some(frames::awareness(&update))
    }

    /// When [`Presence::tick`] has something to send.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.flush_at
    }

    /// Every live state, for a joiner or a query-awareness message.
    pub fn all(awareness: &Awareness) -> Option<Bytes> {
        let update = awareness.update().ok()?;
        (!update.clients.is_empty()).then(|| frames::awareness(&update))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_field_is_replaced_and_other_fields_kept() {
        let user = r#"{"name":"Ada"}"#;
        let out = bind_user(r#"{"user":{"name":"Mallory","role":"host"},"cursor":1}"#, user, true, 1000).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["user"]["name"], "Ada");
        assert!(v["user"].get("role").is_none());
        assert_eq!(v["cursor"], 1);
    }

    #[test]
    fn non_object_or_oversized_states_are_refused() {
        let user = "{}";
        assert!(bind_user("42", user, true, 1000).is_none());
        assert!(bind_user("{not json", user, true, 1000).is_none());
        assert!(bind_user(r#"{"a":"xxxxxxxx"}"#, user, true, 4).is_none());
        assert!(bind_user("42", user, false, 1000).is_none());
    }

    #[test]
    fn a_state_that_shares_no_cursor_keeps_only_user() {
        let user = r#"{"name":"Olga","role":"observer"}"#;
        let state = r#"{"user":{"name":"x"},"selection":{"anchor":{},"head":{}},"cursor":{"anchor":1}}"#;
        let out = bind_user(state, user, false, 1000).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v, serde_json::json!({"user": {"name": "Olga", "role": "observer"}}));
    }
}
