//! Caps on open document sockets per participant (per document) and per client address,
//! checked before the upgrade: past either, the upgrade is refused with 429
//! `too_many_sockets`. A participant needs a few (tabs, a reconnect racing its old socket);
//! hundreds from one participant or one address are an attack on memory. IPv6 addresses
//! count per /64, the block one host usually has. Behind a reverse proxy every client has
//! the proxy's address: raise the per-address cap there.

use crate::config::DocSocketArgs;
use crate::rate_limit::client_network;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::types::DocKey;
use crate::error::AppError;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ParticipantKey {
    doc: DocKey,
    participant: Uuid,
}

#[derive(Default)]
struct Counts {
    participants: HashMap<ParticipantKey, u32>,
    addresses: HashMap<IpAddr, u32>,
}

/// Open sockets per participant and per address. Cheap to clone.
#[derive(Clone)]
pub struct SocketCaps {
    limits: DocSocketArgs,
    /// A std mutex: held for two map updates, never across an await.
    counts: Arc<Mutex<Counts>>,
}

/// One open socket, counted until dropped.
pub struct SocketSlot {
    caps: SocketCaps,
    participant: ParticipantKey,
    address: IpAddr,
}

impl SocketCaps {
    pub fn new(limits: DocSocketArgs) -> SocketCaps {
        SocketCaps { limits, counts: Arc::default() }
    }

    /// Counts a socket of `participant` on `doc` from `address`, or refuses it.
    pub fn open(&self, doc: DocKey, participant: Uuid, address: IpAddr) -> Result<SocketSlot, AppError> {
        let participant = ParticipantKey { doc, participant };
        let address = client_network(address);
        let mut counts = self.counts.lock().expect("socket counts");
        let by_participant = counts.participants.get(&participant).copied().unwrap_or(0);
        let by_address = counts.addresses.get(&address).copied().unwrap_or(0);
        if by_participant >= self.limits.per_participant {
            return Err(too_many("You have too many connections to this document open; close some tabs."));
        }
        if by_address >= self.limits.per_address {
            return Err(too_many("Too many document connections from your network; try again later."));
        }
        *counts.participants.entry(participant).or_default() += 1;
        *counts.addresses.entry(address).or_default() += 1;
        Ok(SocketSlot { caps: self.clone(), participant, address })
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut counts = self.caps.counts.lock().expect("socket counts");
        release(&mut counts.participants, self.participant);
        release(&mut counts.addresses, self.address);
    }
}

fn release<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, u32>, key: K) {
    if let Some(count) = counts.get_mut(&key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(&key);
        }
    }
}

fn too_many(message: &str) -> AppError {
    AppError::TooMany { code: "too_many_sockets", message: message.into(), retry_after_secs: None }
}

#[cfg(test)]
mod tests {
    use codeview_collab::DocKind;

    use super::*;

    fn doc() -> DocKey {
        DocKey { interview_id: Uuid::nil(), kind: DocKind::Code }
    }

    #[test]
    fn sockets_past_the_participant_cap_are_refused_until_one_closes() {
        let caps = SocketCaps::new(DocSocketArgs { per_participant: 2, per_address: 100 });
        let (who, from) = (Uuid::new_v4(), "10.0.0.1".parse().unwrap());
        let first = caps.open(doc(), who, from).unwrap();
        let _second = caps.open(doc(), who, from).unwrap();
        assert!(caps.open(doc(), who, from).is_err());
        assert!(caps.open(doc(), Uuid::new_v4(), from).is_ok(), "another participant");
        drop(first);
        assert!(caps.open(doc(), who, from).is_ok());
    }

    #[test]
    fn an_ipv6_host_counts_as_one_address_per_64() {
        let caps = SocketCaps::new(DocSocketArgs { per_participant: 100, per_address: 1 });
        let _slot = caps.open(doc(), Uuid::new_v4(), "2001:db8::1".parse().unwrap()).unwrap();
        assert!(caps.open(doc(), Uuid::new_v4(), "2001:db8::ffff:2".parse().unwrap()).is_err());
        assert!(caps.open(doc(), Uuid::new_v4(), "2001:db8:0:1::1".parse().unwrap()).is_ok());
        let _v4 = caps.open(doc(), Uuid::new_v4(), "192.0.2.1".parse().unwrap()).unwrap();
        assert!(caps.open(doc(), Uuid::new_v4(), "::ffff:192.0.2.1".parse().unwrap()).is_err(), "mapped IPv4");
    }
}
