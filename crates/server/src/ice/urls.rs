//! STUN and TURN URLs as browsers take them (RFC 7064 / 7065): `stun:HOST[:PORT]`,
//! `stuns:…`, `turn:HOST[:PORT][?transport=udp|tcp]`, `turns:…`. Checked at start so that a
//! typo is a clear start-up error, not a call that silently never connects.

/// The kind of server a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceUrlKind {
    Stun,
    Turn,
}

/// Checks `url` is a STUN (or TURN) URL a browser accepts; the error says what is wrong.
pub fn check_ice_url(url: &str, kind: IceUrlKind) -> Result<(), String> {
    let schemes: &[&str] = match kind {
        IceUrlKind::Stun => &["stun", "stuns"],
        IceUrlKind::Turn => &["turn", "turns"],
    };
    let expected = match kind {
        IceUrlKind::Stun => "stun:HOST[:PORT] or stuns:HOST[:PORT]",
        IceUrlKind::Turn => "turn:HOST[:PORT][?transport=udp|tcp] or turns:…",
    };
    let wrong = |why: &str| format!("{url:?} is not a usable URL ({why}); expected {expected}");
    let (scheme, rest) = url.split_once(':').ok_or_else(|| wrong("no scheme"))?;
    if !schemes.contains(&scheme) {
        return Err(wrong(&format!("the scheme is {scheme:?}")));
    }
    if rest.starts_with("//") {
        return Err(wrong("no `//` after the scheme"));
    }
    let (address, query) = match rest.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (rest, None),
    };
    match (kind, query) {
        (_, None) | (IceUrlKind::Turn, Some("transport=udp" | "transport=tcp")) => {}
        (IceUrlKind::Turn, Some(_)) => return Err(wrong("the only query is transport=udp or transport=tcp")),
        (IceUrlKind::Stun, Some(_)) => return Err(wrong("a STUN URL has no query")),
    }
    let (host, port) = split_host_port(address).ok_or_else(|| wrong("the host or port is malformed"))?;
    if let Some(port) = port
        && !matches!(port.parse::<u16>(), Ok(1..))
    {
        return Err(wrong("the port is not a number from 1 to 65535"));
    }
    if !is_host(host) {
        return Err(wrong("the host is not a name or an IP address"));
    }
    Ok(())
}

/// `host[:port]` or `[v6]:port`.
fn split_host_port(address: &str) -> Option<(&str, Option<&str>)> {
    if let Some(bracketed) = address.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        host.parse::<std::net::Ipv6Addr>().ok()?;
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?))),
        };
    }
    Some(match address.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (address, None),
    })
}

fn is_host(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
        || (!host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_shaped_urls_pass() {
        for url in
            ["stun:stun.example.com", "stun:stun.example.com:19302", "stuns:10.0.0.1:5349", "stun:[2001:db8::1]:3478"]
        {
            assert_eq!(check_ice_url(url, IceUrlKind::Stun), Ok(()), "{url}");
        }
        for url in [
            "turn:turn.example.com:3478?transport=udp",
            "turn:turn.example.com?transport=tcp",
            "turns:t.example.com:443",
            "turn:203.0.113.7:3478",
            "turn:[::1]",
        ] {
            assert_eq!(check_ice_url(url, IceUrlKind::Turn), Ok(()), "{url}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        let refused = |url: &str, kind| check_ice_url(url, kind).expect_err(url);
        assert!(refused("turn:turn.example.com", IceUrlKind::Stun).contains("the scheme is \"turn\""));
        assert!(refused("stun:stun.example.com", IceUrlKind::Turn).contains("expected turn:"));
        assert!(refused("turn://turn.example.com:3478", IceUrlKind::Turn).contains("no `//`"));
        assert!(refused("https://x", IceUrlKind::Turn).contains("scheme"));
        assert!(refused("turn:t.example.com:0", IceUrlKind::Turn).contains("port"));
        assert!(refused("turn:t.example.com:99999", IceUrlKind::Turn).contains("port"));
        assert!(refused("turn:t.example.com?transport=sctp", IceUrlKind::Turn).contains("transport"));
        assert!(refused("stun:s.example.com?transport=udp", IceUrlKind::Stun).contains("no query"));
        assert!(refused("stun:", IceUrlKind::Stun).contains("host"));
        assert!(refused("stun:bad host", IceUrlKind::Stun).contains("host"));
        assert!(refused("stun.example.com", IceUrlKind::Stun).contains("scheme"));
    }
}
