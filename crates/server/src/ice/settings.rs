//! The video-call connectivity settings, checked once at start from `--stun-url`,
//! `--turn-url`, `--turn-secret`, `--turn-ttl-seconds` and the embedded relay's flags. Every
//! mistake is a start-up error that names the flag.

use std::net::SocketAddr;

use anyhow::bail;

use super::relay::RelayConfig;
use super::urls::{IceUrlKind, check_ice_url};
use crate::auth::secret::new_secret;
use crate::config::IceArgs;

/// What `GET /api/interviews/{id}/ice` hands out, and the relay to start (if any).
#[derive(Clone, Default)]
pub struct IceSettings {
    pub stun_urls: Vec<String>,
    /// TURN servers; never empty when `turn_secret` is set and a relay runs (its URL is added).
    pub turn_urls: Vec<String>,
    /// Set whenever there is a TURN server to mint credentials for.
    pub turn_secret: Option<String>,
    pub ttl_seconds: u32,
    /// The embedded relay, when `--turn-listen` is given.
    pub relay: Option<RelayConfig>,
}

impl IceSettings {
    /// Checks the flags; with the embedded relay and no `--turn-secret`, makes a random secret.
    pub fn from_args(args: &IceArgs) -> anyhow::Result<IceSettings> {
        for url in &args.stun_urls {
            if let Err(why) = check_ice_url(url, IceUrlKind::Stun) {
                bail!("--stun-url {why}");
            }
        }
        for url in &args.turn_urls {
            if let Err(why) = check_ice_url(url, IceUrlKind::Turn) {
                bail!("--turn-url {why}");
            }
        }
        if args.turn_secret.as_deref().is_some_and(str::is_empty) {
            bail!("--turn-secret is empty");
        }
        let relay = match args.turn_listen {
            Some(listen) => Some(RelayConfig::from_args(listen, args)?),
            None => None,
        };
        if !args.turn_urls.is_empty() && args.turn_secret.is_none() && relay.is_none() {
            bail!(
                "--turn-url needs --turn-secret (the TURN server's shared secret, coturn's static-auth-secret): \
                 without it no TURN credentials can be made"
            );
        }
        let turn_secret = match (&args.turn_secret, &relay) {
            (Some(secret), _) => Some(secret.clone()),
            (None, Some(_)) => Some(new_secret("")),
            (None, None) => None,
        };
        Ok(IceSettings {
            stun_urls: args.stun_urls.clone(),
            turn_urls: args.turn_urls.clone(),
            turn_secret,
            ttl_seconds: args.turn_ttl_seconds,
            relay,
        })
    }

    /// Once the embedded relay listens at `advertised` (its public address and bound port):
    /// with no `--turn-url`, browsers are sent to it.
    pub fn relay_started_at(mut self, advertised: SocketAddr) -> IceSettings {
        if self.turn_urls.is_empty() {
            self.turn_urls.push(relay_url(advertised));
        }
        self
    }
}

/// The TURN URL of the embedded relay (UDP only: it has no TCP or TLS listener).
fn relay_url(advertised: SocketAddr) -> String {
    format!("turn:{advertised}?transport=udp")
}

impl std::fmt::Debug for IceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceSettings")
            .field("stun_urls", &self.stun_urls)
            .field("turn_urls", &self.turn_urls)
            .field("turn_secret", &self.turn_secret.as_ref().map(|_| "***"))
            .field("ttl_seconds", &self.ttl_seconds)
            .field("relay", &self.relay)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(adjust: impl FnOnce(&mut IceArgs)) -> anyhow::Result<IceSettings> {
        let mut args = IceArgs::default();
        adjust(&mut args);
        IceSettings::from_args(&args)
    }

    fn error(adjust: impl FnOnce(&mut IceArgs)) -> String {
        format!("{:#}", settings(adjust).expect_err("refused"))
    }

    #[test]
    fn nothing_configured_is_nothing_handed_out() {
        let ice = settings(|_| {}).unwrap();
        assert!(ice.stun_urls.is_empty() && ice.turn_urls.is_empty() && ice.turn_secret.is_none());
        assert!(ice.relay.is_none());
        assert_eq!(ice.ttl_seconds, 14_400);
    }

    #[test]
    fn a_turn_url_needs_a_secret_unless_the_relay_runs() {
        let without = error(|args| args.turn_urls = vec!["turn:turn.example.com:3478".into()]);
        assert!(without.contains("--turn-url needs --turn-secret"), "{without}");
        let with_relay = settings(|args| {
            args.turn_urls = vec!["turn:turn.example.com:3478".into()];
            args.turn_listen = Some("127.0.0.1:3478".parse().unwrap());
        })
        .unwrap();
        assert_eq!(with_relay.turn_secret.as_ref().map(String::len), Some(43), "a random secret");
        assert!(error(|args| args.turn_secret = Some(String::new())).contains("--turn-secret is empty"));
    }

    #[test]
    fn bad_urls_name_their_flag() {
        assert!(error(|args| args.stun_urls = vec!["turn:x".into()]).starts_with("--stun-url \"turn:x\""));
        assert!(error(|args| args.turn_urls = vec!["turn://x".into()]).starts_with("--turn-url \"turn://x\""));
    }

    #[test]
    fn the_relay_url_is_derived_only_when_none_is_given() {
        let derived = settings(|args| args.turn_listen = Some("127.0.0.1:0".parse().unwrap()))
            .unwrap()
            .relay_started_at("127.0.0.1:40001".parse().unwrap());
        assert_eq!(derived.turn_urls, ["turn:127.0.0.1:40001?transport=udp"]);
        let given = settings(|args| {
            args.turn_listen = Some("127.0.0.1:0".parse().unwrap());
            args.turn_urls = vec!["turn:turn.example.com:3478".into()];
        })
        .unwrap()
        .relay_started_at("127.0.0.1:40001".parse().unwrap());
        assert_eq!(given.turn_urls, ["turn:turn.example.com:3478"]);
        let v6 = settings(|args| args.turn_listen = Some("[::1]:0".parse().unwrap()))
            .unwrap()
            .relay_started_at("[::1]:3478".parse().unwrap());
        assert_eq!(v6.turn_urls, ["turn:[::1]:3478?transport=udp"]);
    }
}
