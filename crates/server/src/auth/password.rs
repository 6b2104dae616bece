//! argon2id password hashing behind a gate. Each hash costs about 19 MiB and tens of
//! milliseconds of a core, so hashes run on the blocking pool (never on the async workers),
//! at most `concurrency` at once; a bounded number of callers may wait for a turn and the rest
//! are answered 503 `server_busy` at once. Without the gate, a flood of logins started a
//! hash per request: real logins took seconds and memory grew by hundreds of MiB.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::PasswordHashingArgs;
use crate::domain::Password;
use crate::error::{AppError, AppResult};

/// What a refused caller is told to wait: a queue's worth of hashes takes about a second.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// The gate every password hash goes through. Cheap to clone.
#[derive(Clone)]
pub struct PasswordHashing {
    /// One permit per hash allowed to run at once.
    turns: Arc<Semaphore>,
    /// Callers waiting for a permit right now.
    waiting: Arc<AtomicUsize>,
    /// Callers beyond this many waiting are refused with 503.
    max_waiting: usize,
}

impl PasswordHashing {
    pub fn new(config: &PasswordHashingArgs) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let concurrency = config.password_hash_concurrency.map_or(cores, |n| n as usize);
        PasswordHashing {
            turns: Arc::new(Semaphore::new(concurrency)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: config.password_hash_queue as usize,
        }
    }

    /// Hashes a new password into a PHC string (`$argon2id$v=19$…`) with a random salt.
    pub async fn hash(&self, password: Password) -> AppResult<String> {
        let turn = self.wait_for_turn().await?;
        let hashed = tokio::task::spawn_blocking(move || {
            // Held until the work is done, even if the request that asked is gone.
            let _turn = turn;
            Argon2::default()
                .hash_password(password.expose().as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await
        .context("password hashing task")??;
        Ok(hashed)
    }

    /// Checks `password` against a stored PHC hash. With no stored hash (unknown email) it
    /// still does the same work against a dummy hash, so response times do not reveal which
    /// emails have accounts.
    pub async fn verify(&self, password: Password, stored: Option<String>) -> AppResult<bool> {
        let turn = self.wait_for_turn().await?;
        let verified = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash is not PHC: {e}"))?;
            let matches = Argon2::default().verify_password(password.expose().as_bytes(), &parsed).is_ok();
            anyhow::Ok(known && matches)
        })
        .await
        .context("password verification task")??;
        Ok(verified)
    }

    async fn wait_for_turn(&self) -> AppResult<OwnedSemaphorePermit> {
        if let Ok(turn) = self.turns.clone().try_acquire_owned() {
            return Ok(turn);
        }
        let place = QueuePlace::take(&self.waiting, self.max_waiting)
            .ok_or(AppError::ServerBusy { retry_after_secs: BUSY_RETRY_AFTER_SECS })?;
        let turn = self.turns.clone().acquire_owned().await.expect("the semaphore is never closed");
        drop(place);
        Ok(turn)
    }
}

/// A place in the wait queue, given back on drop (also when the waiting request is dropped).
struct QueuePlace<'a>(&'a AtomicUsize);

impl<'a> QueuePlace<'a> {
    fn take(waiting: &'a AtomicUsize, max_waiting: usize) -> Option<Self> {
        waiting.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max_waiting).then_some(n + 1)).ok()?;
        Some(QueuePlace(waiting))
    }
}

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default().hash_password(b"codeview-dummy-password").expect("hashing a constant").to_string()
});

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(concurrency: u32, queue: u32) -> PasswordHashing {
        PasswordHashing::new(&PasswordHashingArgs {
            password_hash_concurrency: Some(concurrency),
            password_hash_queue: queue,
        })
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let passwords = gate(1, 0);
        let hash = passwords.hash(Password::parse_new("correct horse").unwrap()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let right = Password::parse_attempt("correct horse").unwrap();
        let wrong = Password::parse_attempt("correct horsf").unwrap();
        assert!(passwords.verify(right, Some(hash.clone())).await.unwrap());
        assert!(!passwords.verify(wrong, Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let any = Password::parse_attempt("codeview-dummy-password").unwrap();
        assert!(!gate(1, 0).verify(any, None).await.unwrap());
    }

    #[tokio::test]
    async fn callers_beyond_the_queue_are_told_to_come_back() {
        let passwords = gate(1, 1);
        let running = passwords.wait_for_turn().await.unwrap();
        let queued = tokio::spawn({
            let passwords = passwords.clone();
            async move { passwords.wait_for_turn().await.map(drop) }
        });
        while passwords.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        let refused = passwords.wait_for_turn().await;
        assert!(matches!(refused, Err(AppError::ServerBusy { retry_after_secs: 1 })), "{refused:?}");
        drop(running);
        queued.await.unwrap().expect("the queued caller gets its turn");
        assert_eq!(passwords.waiting.load(Ordering::Acquire), 0);
    }
}
