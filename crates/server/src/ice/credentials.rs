//! Short-lived TURN credentials in coturn's "TURN REST API" scheme (`use-auth-secret`): the
//! username is `<unix expiry>:<participant id>` and the password is
//! `base64(HMAC-SHA1(secret, username))`. Any TURN server that knows the secret (coturn, or our
//! embedded relay) checks them without asking us; browsers never see the secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use uuid::Uuid;

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// A TURN username and password, valid until the expiry in the username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnCredential {
    pub username: String,
    pub credential: String,
}

/// Why a TURN username and password are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("the username does not start with a unix expiry time")]
    Malformed,
    #[error("the credential has expired")]
    Expired,
    #[error("the credential does not match the username")]
    Mismatch,
}

/// The credential for `participant`, valid until `expires_at` (unix seconds).
pub fn mint(secret: &str, participant: Uuid, expires_at: u64) -> TurnCredential {
    let username = format!("{expires_at}:{participant}");
    TurnCredential { credential: password_for(secret, &username), username }
}

/// The password a TURN server derives from `username`: base64(HMAC-SHA1(secret, username)).
pub fn password_for(secret: &str, username: &str) -> String {
    let mut mac = HmacSha1::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The expiry (unix seconds) a username carries: the digits before the first `:`, or the
/// whole username when it has none (coturn accepts both).
pub fn expiry_of(username: &str) -> Result<u64, CredentialError> {
    let expiry = username.split_once(':').map_or(username, |(expiry, _)| expiry);
    match expiry.bytes().all(|byte| byte.is_ascii_digit()) {
        true => expiry.parse().map_err(|_| CredentialError::Malformed),
        false => Err(CredentialError::Malformed),
    }
}

/// Checks `username` / `credential` against `secret` at `now` (unix seconds), in constant time.
pub fn verify(secret: &str, username: &str, credential: &str, now: u64) -> Result<(), CredentialError> {
    if expiry_of(username)? < now {
        return Err(CredentialError::Expired);
    }
    let given = STANDARD.decode(credential).map_err(|_| CredentialError::Mismatch)?;
    let mut mac = HmacSha1::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    mac.verify_slice(&given).map_err(|_| CredentialError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "north-wind-secret";
    const PARTICIPANT: &str = "0190c2a4-7b3e-7c1d-9a2b-3c4d5e6f7a8b";

    /// Computed apart from this code, with Python's standard library:
    /// `base64.b64encode(hmac.new(b"north-wind-secret", b"1767225600:0190c2a4-…", hashlib.sha1).digest())`.
    const KNOWN_PASSWORD: &str = "I4szrALU7rsn/pd7poTb0+qNgr0=";

    #[test]
    fn minted_credentials_match_an_independently_computed_vector() {
        let minted = mint(SECRET, PARTICIPANT.parse().unwrap(), 1_767_225_600);
        assert_eq!(minted.username, format!("1767225600:{PARTICIPANT}"));
        assert_eq!(minted.credential, KNOWN_PASSWORD);
        // A bare expiry (coturn's other form), also from Python.
        assert_eq!(password_for(SECRET, "1767225600"), "76iJ1/XzNnhGpRKSAM0VRdtG5sw=");
    }

    #[test]
    fn verify_accepts_until_the_expiry_and_refuses_everything_else() {
        let minted = mint(SECRET, PARTICIPANT.parse().unwrap(), 1_000);
        assert_eq!(verify(SECRET, &minted.username, &minted.credential, 999), Ok(()));
        assert_eq!(verify(SECRET, &minted.username, &minted.credential, 1_000), Ok(()));
        assert_eq!(verify(SECRET, &minted.username, &minted.credential, 1_001), Err(CredentialError::Expired));
        assert_eq!(verify("other", &minted.username, &minted.credential, 999), Err(CredentialError::Mismatch));
        let stretched = minted.username.replacen("1000", "9999", 1);
        assert_eq!(verify(SECRET, &stretched, &minted.credential, 999), Err(CredentialError::Mismatch));
        assert_eq!(verify(SECRET, &minted.username, "not base64!", 999), Err(CredentialError::Mismatch));
        assert_eq!(verify(SECRET, "soon:someone", &minted.credential, 999), Err(CredentialError::Malformed));
        assert_eq!(verify(SECRET, "+5:someone", &minted.credential, 0), Err(CredentialError::Malformed));
    }

    #[test]
    fn the_expiry_is_read_with_or_without_a_participant() {
        assert_eq!(expiry_of("1767225600:abc"), Ok(1_767_225_600));
        assert_eq!(expiry_of("1767225600"), Ok(1_767_225_600));
        assert_eq!(expiry_of(":abc"), Err(CredentialError::Malformed));
        assert_eq!(expiry_of("99999999999999999999999:abc"), Err(CredentialError::Malformed));
    }
}
