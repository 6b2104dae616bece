//! The `ice_servers` list one participant gets for a call at a given time: the STUN servers as
//! they are, and the TURN servers with credentials minted for that participant, valid for the
//! configured time-to-live. Shaped like the browser's `RTCIceServer` so the web passes it on.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::credentials::mint;
use super::settings::IceSettings;

/// The servers a browser's `RTCPeerConnection` uses to connect a call.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IceServers {
    /// Empty when no STUN or TURN server is configured (calls then connect on direct paths only).
    pub ice_servers: Vec<IceServer>,
    /// How long the TURN credentials stay valid, in seconds: fetch the list again before.
    pub ttl_seconds: u32,
}

/// One `RTCIceServer`: STUN servers come without credentials, TURN servers with them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IceServer {
    /// `stun:…`, `stuns:…`, `turn:…` or `turns:…` URLs of one server (always an array).
    pub urls: Vec<String>,
    /// `<unix expiry>:<participant id>` (TURN only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// base64(HMAC-SHA1(shared secret, username)) (TURN only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

impl IceSettings {
    /// The list for `participant` at `now`: its TURN credential expires `ttl_seconds` later.
    pub fn servers_for(&self, participant: Uuid, now: SystemTime) -> IceServers {
        let mut ice_servers = Vec::new();
        if !self.stun_urls.is_empty() {
            ice_servers.push(IceServer { urls: self.stun_urls.clone(), username: None, credential: None });
        }
        if let Some(secret) = &self.turn_secret
            && !self.turn_urls.is_empty()
        {
            let now = now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
            let minted = mint(secret, participant, now + u64::from(self.ttl_seconds));
            ice_servers.push(IceServer {
                urls: self.turn_urls.clone(),
                username: Some(minted.username),
                credential: Some(minted.credential),
            });
        }
        IceServers { ice_servers, ttl_seconds: self.ttl_seconds }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::ice::credentials::verify;

    #[test]
    fn stun_comes_bare_and_turn_with_a_credential_that_expires_after_the_ttl() {
        let settings = IceSettings {
            stun_urls: vec!["stun:stun.example.com:3478".into()],
            turn_urls: vec![
                "turn:turn.example.com:3478?transport=udp".into(),
                "turn:turn.example.com:3478?transport=tcp".into(),
            ],
            turn_secret: Some("s3cret".into()),
            ttl_seconds: 600,
            relay: None,
        };
        let participant = Uuid::new_v4();
        let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        let servers = settings.servers_for(participant, now);
        let json = serde_json::to_value(&servers).unwrap();
        assert_eq!(json["ttl_seconds"], 600);
        assert_eq!(json["ice_servers"][0], serde_json::json!({"urls": ["stun:stun.example.com:3478"]}));
        let turn = &servers.ice_servers[1];
        assert_eq!(turn.urls.len(), 2);
        let username = turn.username.as_deref().unwrap();
        assert_eq!(username, format!("1767226200:{participant}"));
        let credential = turn.credential.as_deref().unwrap();
        assert_eq!(verify("s3cret", username, credential, 1_767_226_200), Ok(()));
        assert!(verify("s3cret", username, credential, 1_767_226_201).is_err());
    }

    #[test]
    fn nothing_configured_is_an_empty_list() {
        let servers =
            IceSettings { ttl_seconds: 60, ..IceSettings::default() }.servers_for(Uuid::new_v4(), SystemTime::now());
        assert!(servers.ice_servers.is_empty());
    }
}
