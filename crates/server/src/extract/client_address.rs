//! The client's address, for rate limits and socket caps: the connection's peer, or — when the
//! peer is a reverse proxy listed in `--trusted-proxy` — the address that proxy put in
//! `X-Forwarded-For`. The header is read from the right (each proxy appends the address it
//! heard from), skipping our own proxies; the first address that is not one of them is the
//! client. Anything a client wrote further left is ignored, so a client cannot choose its
//! address; a malformed hop ends the walk at the last proxy trusted so far.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::state::AppState;

/// The client's address (see the module's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(peer)| peer.ip());
        Ok(ClientAddress(client_address(peer, &parts.headers, &state.settings.trusted_proxies)))
    }
}

/// `peer` itself unless it is a trusted proxy; then the rightmost untrusted hop of
/// `X-Forwarded-For` (all of its lines, in order).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(&ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_address(ip("203.0.113.9"), &headers(&["198.51.100.1"]), &trusted), ip("203.0.113.9"));
        assert_eq!(client_address(ip("10.0.0.2"), &headers(&["198.51.100.1"]), &[]), ip("10.0.0.2"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = ["10.0.0.0/8".parse().unwrap(), "fd00::/8".parse().unwrap()];
        // The client wrote a fake first hop; the edge proxy appended the real one; an inner proxy the edge's.
        let forwarded = headers(&["1.2.3.4, 198.51.100.7", "10.0.0.5"]);
        assert_eq!(client_address(ip("10.0.0.9"), &forwarded, &trusted), ip("198.51.100.7"));
        assert_eq!(client_address(ip("fd00::1"), &headers(&["2001:db8::5"]), &trusted), ip("2001:db8::5"));
    }

    #[test]
    fn without_a_usable_header_the_last_trusted_hop_stands() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_address(ip("10.0.0.9"), &HeaderMap::new(), &trusted), ip("10.0.0.9"));
        assert_eq!(client_address(ip("10.0.0.9"), &headers(&["not-an-address"]), &trusted), ip("10.0.0.9"));
        assert_eq!(client_address(ip("10.0.0.9"), &headers(&["junk, 10.0.0.4"]), &trusted), ip("10.0.0.4"));
    }
}
