//! Unguessable secrets (session ids, API tokens, invite secrets) and the hashes under which
//! they are stored. A secret is 256 random bits from the OS generator, base64url encoded.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore;
use sha2::{Digest, Sha256};

/// Longest secret the server looks up: ours are 47 characters at most, so anything far
/// longer is refused before it is hashed.
pub const MAX_SECRET_CHARS: usize = 128;

/// A fresh 256-bit secret, optionally prefixed (e.g. `cvt_` for API tokens).
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).expect("the OS random generator works");
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a secret, hex encoded: what the store keeps instead of the secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_and_distinct() {
        let (a, b) = (new_secret(""), new_secret(""));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url without padding");
        assert!(new_secret("cvt_").starts_with("cvt_"));
    }

    #[test]
    fn hashes_are_stable_and_hide_the_secret() {
        assert_eq!(hash_secret("abc"), hash_secret("abc"));
        assert_ne!(hash_secret("abc"), "abc");
        assert_eq!(hash_secret("abc").len(), 64);
    }
}
