//! The embedded TURN relay (`--turn-listen`), for self-hosters without coturn: the webrtc-rs
//! `turn` server on one UDP socket, accepting exactly the credentials `credentials` mints (same
//! secret, expiry checked) in our realm. Each allocation gets a relay socket from
//! `relay_sockets`, which refuses peers in the server's private networks.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use tokio::net::UdpSocket;
use turn::auth::{AuthHandler, generate_auth_key};
use turn::server::Server;
use turn::server::config::{ConnConfig, ServerConfig};

use super::credentials::{expiry_of, password_for};
use super::relay_sockets::{GuardedRelaySockets, OwnRelayAddresses};
use crate::config::{IceArgs, PortRange};

/// Where and how the embedded relay runs.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// The UDP address TURN clients reach (`--turn-listen`).
    pub listen: SocketAddr,
    /// The address handed out for relays: `--turn-public-ip`, else the listen IP.
    pub public_ip: IpAddr,
    pub realm: String,
    /// Where relay sockets are bound; any free port when `None`.
    pub relay_ports: Option<PortRange>,
}

impl RelayConfig {
    pub fn from_args(listen: SocketAddr, args: &IceArgs) -> anyhow::Result<RelayConfig> {
        let public_ip = match args.turn_public_ip {
            Some(ip) if ip.is_unspecified() => bail!("--turn-public-ip {ip} is not an address browsers can reach"),
            Some(ip) => ip,
            None if listen.ip().is_unspecified() => bail!(
                "--turn-listen {listen} listens on every interface: say which address browsers reach the relay at \
                 with --turn-public-ip (the server's public IP)"
            ),
            None => listen.ip(),
        };
        if public_ip.is_ipv4() != listen.is_ipv4() {
            bail!("--turn-public-ip {public_ip} and --turn-listen {listen} are of different IP versions");
        }
        if args.turn_realm.is_empty() {
            bail!("--turn-realm is empty");
        }
        Ok(RelayConfig { listen, public_ip, realm: args.turn_realm.clone(), relay_ports: args.turn_relay_ports })
    }
}

/// The running relay; `stop` ends it.
pub struct TurnRelay {
    server: Server,
    advertised: SocketAddr,
}

impl TurnRelay {
    /// Binds `config.listen` and starts serving TURN with credentials made from `secret`.
    pub async fn start(config: &RelayConfig, secret: &str) -> anyhow::Result<TurnRelay> {
        let socket = UdpSocket::bind(config.listen)
            .await
            .with_context(|| format!("binding the TURN relay to UDP {} (--turn-listen)", config.listen))?;
        let bound = socket.local_addr()?;
        let advertised = SocketAddr::new(config.public_ip, bound.port());
        let own = Arc::new(OwnRelayAddresses::new(bound, config.public_ip));
        let server = Server::new(ServerConfig {
            conn_configs: vec![ConnConfig {
                conn: Arc::new(socket),
                relay_addr_generator: Box::new(GuardedRelaySockets::new(own, config.relay_ports)),
            }],
            realm: config.realm.clone(),
            auth_handler: Arc::new(MintedCredentials { secret: secret.to_owned() }),
            channel_bind_timeout: Duration::ZERO,
            alloc_close_notify: None,
        })
        .await
        .context("starting the TURN relay")?;
        tracing::info!(listen = %bound, relay_address = %config.public_ip, "TURN relay listening on {bound}, relay address {}", config.public_ip);
        Ok(TurnRelay { server, advertised })
    }

    /// The relay's address as browsers reach it: the public IP and the bound port.
    pub fn advertised(&self) -> SocketAddr {
        self.advertised
    }

    /// Closes every allocation and stops serving.
    pub async fn stop(self) {
        if let Err(err) = self.server.close().await {
            tracing::warn!(error = %err, "stopping the TURN relay");
        }
    }
}

/// Accepts the credentials `credentials::mint` makes: a username starting with an expiry not
/// yet passed, its password derived from the shared secret. The `turn` crate's own
/// `LongTermAuthHandler` computes the same password but wants the username to be the bare expiry.
struct MintedCredentials {
    secret: String,
}

impl AuthHandler for MintedCredentials {
    fn auth_handle(&self, username: &str, realm: &str, _src_addr: SocketAddr) -> Result<Vec<u8>, turn::Error> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        match expiry_of(username) {
            Ok(expiry) if expiry >= now => {
                Ok(generate_auth_key(username, realm, &password_for(&self.secret, username)))
            }
            Ok(_) => Err(turn::Error::Other("the TURN credential has expired".into())),
            Err(err) => Err(turn::Error::Other(err.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use turn::auth::{LongTermAuthHandler, generate_long_term_credentials};

    use super::*;

    const FROM: SocketAddr = SocketAddr::new(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 5000);

    #[test]
    fn our_keys_are_the_turn_crates_long_term_keys() {
        let secret = "north-wind-secret";
        let ours = MintedCredentials { secret: secret.into() };
        let theirs = LongTermAuthHandler::new(secret.into());
        let (username, password) = generate_long_term_credentials(secret, Duration::from_secs(600)).unwrap();
        assert_eq!(password, password_for(secret, &username), "the crate's password is our password");
        assert_eq!(
            ours.auth_handle(&username, "codeview", FROM).unwrap(),
            theirs.auth_handle(&username, "codeview", FROM).unwrap()
        );
    }

    #[test]
    fn expired_and_malformed_usernames_get_no_key() {
        let ours = MintedCredentials { secret: "s".into() };
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert!(ours.auth_handle(&format!("{}:p", now + 60), "codeview", FROM).is_ok());
        assert!(ours.auth_handle(&format!("{}:p", now - 60), "codeview", FROM).is_err());
        assert!(ours.auth_handle("someone", "codeview", FROM).is_err());
    }

    fn args() -> IceArgs {
        IceArgs::default()
    }

    #[test]
    fn an_unspecified_listen_address_needs_a_public_ip() {
        let refused = RelayConfig::from_args("0.0.0.0:3478".parse().unwrap(), &args()).unwrap_err();
        assert!(format!("{refused:#}").contains("--turn-public-ip"), "{refused:#}");
        let with_ip = IceArgs { turn_public_ip: Some("203.0.113.7".parse().unwrap()), ..args() };
        let config = RelayConfig::from_args("0.0.0.0:3478".parse().unwrap(), &with_ip).unwrap();
        assert_eq!(config.public_ip, "203.0.113.7".parse::<IpAddr>().unwrap());
        let local = RelayConfig::from_args("127.0.0.1:3478".parse().unwrap(), &args()).unwrap();
        assert_eq!(local.public_ip, "127.0.0.1".parse::<IpAddr>().unwrap());
        let mixed = IceArgs { turn_public_ip: Some("2001:db8::1".parse().unwrap()), ..args() };
        assert!(RelayConfig::from_args("0.0.0.0:3478".parse().unwrap(), &mixed).is_err());
    }
}
