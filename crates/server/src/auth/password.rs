//! argon2id password hashing. Hashing is deliberately slow, so it runs on the blocking pool,
//! never on the async worker threads.

use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::domain::Password;

/// Hashes a new password into a PHC string (`$argon2id$v=19$…`) with a random salt.
pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Checks `password` against a stored PHC hash. With no stored hash (unknown email) it still
/// does the same work against a dummy hash, so response times do not reveal which emails
/// have accounts.
pub async fn verify_password(password: Password, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash is not PHC: {e}"))?;
        let matches = Argon2::default().verify_password(password.expose().as_bytes(), &parsed).is_ok();
        Ok(known && matches)
    })
    .await
    .context("password verification task")?
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default().hash_password(b"codeview-dummy-password").expect("hashing a constant").to_string()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hash = hash_password(Password::parse_new("correct horse").unwrap()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let right = Password::parse_attempt("correct horse").unwrap();
        let wrong = Password::parse_attempt("correct horsf").unwrap();
        assert!(verify_password(right, Some(hash.clone())).await.unwrap());
        assert!(!verify_password(wrong, Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let any = Password::parse_attempt("codeview-dummy-password").unwrap();
        assert!(!verify_password(any, None).await.unwrap());
    }
}
