//! How many connections the server holds at once, in total and per client network, and the
//! slot each admitted connection holds until it closes.
//!
//! The total cap stays well below the open-file limit, so `accept` itself never fails for
//! lack of files and the database, the update log and the sandbox keep theirs. Its last tenth
//! is kept for clients holding only a few connections: a flood from many addresses that each
//! hold many stops short of it, so a newcomer or a health check still gets in.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::config::ConnectionArgs;
use crate::rate_limit::client_network;

/// Files kept for everything but client connections, as a share of the limit (1/4) and at
/// least this many.
const MIN_RESERVED_FILES: u64 = 256;
/// The share of the total cap (1/10) kept for clients holding fewer than
/// [`SMALL_CLIENT_CONNECTIONS`].
const CROWDED_RESERVE_DIVISOR: u32 = 10;
const SMALL_CLIENT_CONNECTIONS: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapLimits {
    pub total: u32,
    pub per_network: u32,
}

impl CapLimits {
    /// The configured caps, with the total sized from `open_files` unless given.
    pub fn from_config(config: &ConnectionArgs, open_files: u64) -> Self {
        let usable = open_files.saturating_sub((open_files / 4).max(MIN_RESERVED_FILES)).max(16);
        let sized = u32::try_from(usable).unwrap_or(u32::MAX);
        let total = config.max_connections.unwrap_or(sized);
        if u64::from(total) > usable {
            tracing::warn!(
                max_connections = total,
                open_files,
                "the connection cap is close to the open-file limit: accept and the database may fail for lack of files"
            );
        }
        CapLimits { total, per_network: config.max_connections_per_ip }
    }
}

/// Why a connection was closed without being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its client network holds `per_network` connections already.
    NetworkFull,
    /// The server is near its total cap and this client holds several connections already.
    Crowded,
    /// The server holds `total` connections.
    Full,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NetworkFull => "address_cap",
            Refusal::Crowded => "crowded",
            Refusal::Full => "total_cap",
        }
    }
}

/// The connection counts. Cheap to clone.
#[derive(Clone)]
pub struct ConnectionCaps {
    inner: Arc<Inner>,
}

struct Inner {
    limits: CapLimits,
    /// Why a std `Mutex`: it is held for a counter update, never across an await.
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    total: u32,
    per_network: HashMap<IpAddr, u32>,
}

/// An admitted connection's place; given back when dropped.
pub struct ConnectionSlot {
    caps: Arc<Inner>,
    network: IpAddr,
}

impl ConnectionCaps {
    pub fn new(limits: CapLimits) -> Self {
        ConnectionCaps { inner: Arc::new(Inner { limits, held: Mutex::default() }) }
    }

    pub fn limits(&self) -> CapLimits {
        self.inner.limits
    }

    pub fn admit(&self, peer: IpAddr) -> Result<ConnectionSlot, Refusal> {
        let network = client_network(peer);
        let limits = self.inner.limits;
        let mut held = self.inner.held.lock().expect("connection counts poisoned");
        let by_network = held.per_network.get(&network).copied().unwrap_or(0);
        let crowded_from = limits.total - limits.total / CROWDED_RESERVE_DIVISOR;
        if held.total >= limits.total {
            return Err(Refusal::Full);
        }
        if by_network >= limits.per_network {
            return Err(Refusal::NetworkFull);
        }
        if held.total >= crowded_from && by_network >= SMALL_CLIENT_CONNECTIONS {
            return Err(Refusal::Crowded);
        }
        held.total += 1;
        *held.per_network.entry(network).or_default() += 1;
        Ok(ConnectionSlot { caps: self.inner.clone(), network })
    }

    /// Connections held right now.
    pub fn held(&self) -> u32 {
        self.inner.held.lock().expect("connection counts poisoned").total
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut held = self.caps.held.lock().expect("connection counts poisoned");
        held.total -= 1;
        if let Some(count) = held.per_network.get_mut(&self.network) {
            *count -= 1;
            if *count == 0 {
                held.per_network.remove(&self.network);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_network_over_its_cap_is_refused_and_others_are_not() {
        let caps = ConnectionCaps::new(CapLimits { total: 100, per_network: 2 });
        let _held = [caps.admit(ip("10.0.0.1")).unwrap(), caps.admit(ip("10.0.0.1")).unwrap()];
        assert_eq!(caps.admit(ip("10.0.0.1")).err(), Some(Refusal::NetworkFull));
        assert!(caps.admit(ip("10.0.0.2")).is_ok());
    }

    #[test]
    fn ipv6_addresses_of_one_slash_64_share_a_cap() {
        let caps = ConnectionCaps::new(CapLimits { total: 100, per_network: 1 });
        let _held = caps.admit(ip("2001:db8::1")).unwrap();
        assert_eq!(caps.admit(ip("2001:db8::2")).err(), Some(Refusal::NetworkFull));
    }

    #[test]
    fn slots_are_given_back_when_connections_close() {
        let caps = ConnectionCaps::new(CapLimits { total: 1, per_network: 1 });
        let slot = caps.admit(ip("10.0.0.1")).unwrap();
        assert_eq!(caps.admit(ip("10.0.0.2")).err(), Some(Refusal::Full));
        drop(slot);
        assert_eq!(caps.held(), 0);
        assert!(caps.admit(ip("10.0.0.2")).is_ok());
    }

    #[test]
    fn the_last_tenth_is_kept_for_small_clients() {
        let caps = ConnectionCaps::new(CapLimits { total: 100, per_network: 100 });
        let flood: Vec<_> = (0..90).map(|_| caps.admit(ip("10.0.0.1")).unwrap()).collect();
        assert_eq!(caps.admit(ip("10.0.0.1")).err(), Some(Refusal::Crowded));
        let newcomers: Vec<_> = (0..10).map(|n| caps.admit(ip(&format!("10.0.1.{n}"))).unwrap()).collect();
        assert_eq!(caps.admit(ip("10.0.0.3")).err(), Some(Refusal::Full));
        assert_eq!(flood.len() + newcomers.len(), 100);
    }

    #[test]
    fn the_total_cap_is_sized_from_the_open_file_limit() {
        let config = ConnectionArgs::default();
        assert_eq!(CapLimits::from_config(&config, 20_000).total, 15_000);
        assert_eq!(CapLimits::from_config(&config, 1024).total, 768);
        let explicit = ConnectionArgs { max_connections: Some(500), ..ConnectionArgs::default() };
        assert_eq!(CapLimits::from_config(&explicit, 20_000).total, 500);
    }
}
