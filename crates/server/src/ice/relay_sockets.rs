//! The embedded relay's allocation sockets, guarded so the relay is no open proxy into the
//! server's own networks: a relay socket sends to and receives from public addresses only.
//! Loopback, private (RFC 1918, unique-local), link-local, shared (CGNAT), multicast and
//! unspecified peers are refused, and so is every port of the relay's own addresses, except
//! the other relay sockets it holds (two browsers both behind the relay talk through both).
//! Sockets are bound in `--turn-relay-ports` when given, and at most `MAX_RELAY_SOCKETS` live.

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::net::UdpSocket;
use turn::relay::RelayAddressGenerator;
use webrtc_util::Conn;

use crate::config::PortRange;

/// Relay sockets held at once (each is a UDP port and a task).
const MAX_RELAY_SOCKETS: usize = 4096;
/// Random ports tried in `--turn-relay-ports` before an allocation fails.
const PORT_TRIES: usize = 32;

/// The relay's own addresses, and the ports of the relay sockets it holds now.
pub struct OwnRelayAddresses {
    /// Where the TURN listener is bound (its IP may be unspecified).
    listen: SocketAddr,
    /// The address handed out for relays.
    public_ip: IpAddr,
    live_ports: Mutex<HashSet<u16>>,
}

impl OwnRelayAddresses {
    pub fn new(listen: SocketAddr, public_ip: IpAddr) -> OwnRelayAddresses {
        OwnRelayAddresses { listen, public_ip, live_ports: Mutex::new(HashSet::new()) }
    }

    /// Whether a relay socket may exchange datagrams with `peer`.
    pub fn may_reach(&self, peer: SocketAddr) -> bool {
        let ip = canonical(peer.ip());
        let ours = ip == canonical(self.public_ip)
            || ip == canonical(self.listen.ip())
            || (ip.is_loopback() && (self.listen.ip().is_unspecified() || self.listen.ip().is_loopback()));
        if ours {
            return peer.port() != self.listen.port() && self.live_ports().contains(&peer.port());
        }
        !is_internal(ip)
    }

    fn live_ports(&self) -> std::sync::MutexGuard<'_, HashSet<u16>> {
        self.live_ports.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// IPv4-mapped IPv6 addresses as the IPv4 address they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Addresses of the server's own networks, or of nobody in particular.
pub fn is_internal(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    const NAT64: [u16; 6] = [0x64, 0xff9b, 0, 0, 0, 0];
    let segments = ip.segments();
    if segments[..6] == NAT64 {
        let [.., high, low] = segments;
        return is_internal_v4(Ipv4Addr::from((u32::from(high) << 16) | u32::from(low)));
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || (segments[0] & 0xffc0) == 0xfec0
}

/// Makes the relay sockets of allocations.
pub struct GuardedRelaySockets {
    own: Arc<OwnRelayAddresses>,
    ports: Option<PortRange>,
}

impl GuardedRelaySockets {
    pub fn new(own: Arc<OwnRelayAddresses>, ports: Option<PortRange>) -> GuardedRelaySockets {
        GuardedRelaySockets { own, ports }
    }

    async fn bind(&self, requested_port: u16) -> io::Result<UdpSocket> {
        let ip = self.own.listen.ip();
        let Some(range) = self.ports else {
            return UdpSocket::bind(SocketAddr::new(ip, requested_port)).await;
        };
        if requested_port != 0 {
            if !(range.min..=range.max).contains(&requested_port) {
                return Err(io::Error::new(io::ErrorKind::AddrNotAvailable, "the port is outside --turn-relay-ports"));
            }
            return UdpSocket::bind(SocketAddr::new(ip, requested_port)).await;
        }
        for _ in 0..PORT_TRIES {
            let port = rand::random_range(range.min..=range.max);
            if let Ok(socket) = UdpSocket::bind(SocketAddr::new(ip, port)).await {
                return Ok(socket);
            }
        }
        Err(io::Error::new(io::ErrorKind::AddrInUse, "no free port in --turn-relay-ports"))
    }
}

#[async_trait]
impl RelayAddressGenerator for GuardedRelaySockets {
    fn validate(&self) -> Result<(), turn::Error> {
        Ok(())
    }

    async fn allocate_conn(
        &self,
        use_ipv4: bool,
        requested_port: u16,
    ) -> Result<(Arc<dyn Conn + Send + Sync>, SocketAddr), turn::Error> {
        if use_ipv4 != self.own.listen.is_ipv4() {
            return Err(turn::Error::Other("the relay serves one IP version only".into()));
        }
        if self.own.live_ports().len() >= MAX_RELAY_SOCKETS {
            return Err(turn::Error::Other("the relay holds as many allocations as it may".into()));
        }
        let socket = self.bind(requested_port).await?;
        let local = socket.local_addr()?;
        self.own.live_ports().insert(local.port());
        let relayed = SocketAddr::new(self.own.public_ip, local.port());
        let guarded = GuardedRelaySocket { socket, local, own: self.own.clone() };
        Ok((Arc::new(guarded), relayed))
    }
}

/// One allocation's relay socket: datagrams to or from internal peers never pass.
struct GuardedRelaySocket {
    socket: UdpSocket,
    local: SocketAddr,
    own: Arc<OwnRelayAddresses>,
}

impl GuardedRelaySocket {
    fn forget(&self) {
        self.own.live_ports().remove(&self.local.port());
    }
}

impl Drop for GuardedRelaySocket {
    fn drop(&mut self) {
        self.forget();
    }
}

fn refused(what: &str) -> webrtc_util::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, what.to_owned()).into()
}

#[async_trait]
impl Conn for GuardedRelaySocket {
    async fn connect(&self, _addr: SocketAddr) -> webrtc_util::Result<()> {
        Err(refused("a relay socket does not connect"))
    }

    async fn recv(&self, _buf: &mut [u8]) -> webrtc_util::Result<usize> {
        Err(refused("a relay socket receives with recv_from"))
    }

    async fn recv_from(&self, buf: &mut [u8]) -> webrtc_util::Result<(usize, SocketAddr)> {
        loop {
            let (length, from) = self.socket.recv_from(buf).await?;
            if self.own.may_reach(from) {
                return Ok((length, from));
            }
        }
    }

    async fn send(&self, _buf: &[u8]) -> webrtc_util::Result<usize> {
        Err(refused("a relay socket sends with send_to"))
    }

    async fn send_to(&self, buf: &[u8], target: SocketAddr) -> webrtc_util::Result<usize> {
        if !self.own.may_reach(target) {
            return Err(refused("the relay does not send to internal addresses"));
        }
        Ok(self.socket.send_to(buf, target).await?)
    }

    fn local_addr(&self) -> webrtc_util::Result<SocketAddr> {
        Ok(self.local)
    }

    fn remote_addr(&self) -> Option<SocketAddr> {
        None
    }

    async fn close(&self) -> webrtc_util::Result<()> {
        self.forget();
        Ok(())
    }

    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync) {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn internal_networks_are_refused_and_the_internet_is_not() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "ff02::1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["203.0.113.7", "8.8.8.8", "100.128.0.1", "2001:db8::1", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn of_its_own_addresses_the_relay_reaches_only_its_relay_sockets() {
        let own = OwnRelayAddresses::new(addr("0.0.0.0:3478"), "203.0.113.7".parse().unwrap());
        own.live_ports().insert(50_000);
        assert!(own.may_reach(addr("203.0.113.7:50000")));
        assert!(own.may_reach(addr("127.0.0.1:50000")));
        assert!(!own.may_reach(addr("203.0.113.7:22")), "another service of this host");
        assert!(!own.may_reach(addr("203.0.113.7:3478")), "the TURN port itself");
        assert!(!own.may_reach(addr("127.0.0.1:8080")));
        assert!(!own.may_reach(addr("10.0.0.5:50000")), "another host's port");
        assert!(own.may_reach(addr("198.51.100.1:50000")), "someone on the internet");
    }

    #[tokio::test]
    async fn relay_sockets_take_ports_in_the_range_and_give_them_back() {
        let own = Arc::new(OwnRelayAddresses::new(addr("127.0.0.1:3478"), "127.0.0.1".parse().unwrap()));
        // A range of free ports: one the OS picked, and the next few (any of them may be taken).
        let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let min = probe.local_addr().unwrap().port().min(65_000);
        drop(probe);
        let range = PortRange { min, max: min + 7 };
        let sockets = GuardedRelaySockets::new(own.clone(), Some(range));
        let (conn, relayed) = sockets.allocate_conn(true, 0).await.unwrap();
        assert!((range.min..=range.max).contains(&relayed.port()), "{relayed}");
        assert!(own.may_reach(relayed), "another relay may send to it");
        assert!(sockets.allocate_conn(false, 0).await.is_err(), "an IPv4 relay makes no IPv6 sockets");
        assert!(sockets.allocate_conn(true, range.max + 1).await.is_err(), "outside the range");
        drop(conn);
        assert!(!own.may_reach(relayed), "a closed relay socket is no longer ours to reach");
    }
}
