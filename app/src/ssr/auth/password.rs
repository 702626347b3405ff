//! Password hashing: argon2id, m=19456 KiB, t=2, p=1 (OWASP's baseline), PHC strings.
//!
//! Hashing is slow on purpose, so it runs on blocking threads behind a semaphore sized
//! to the cores: a flood of logins queues there instead of stalling page rendering.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a secret into a PHC string. CPU-heavy: call from a blocking thread.
pub fn hash(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid parameters")
        .to_string()
}

/// Check a secret against a PHC string. CPU-heavy: call from a blocking thread.
pub fn verify(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| hasher().verify_password(secret.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// The hashing limit: one hash at a time per core, the others waiting their turn (the
/// tests hold it to see what waits meanwhile).
pub static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)));

/// A real hash of a random secret: verifying against it costs what a real check costs.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash(&super::random_token()));

/// Verify off the async threads, within the hashing limit. `None` (no such account)
/// still costs one verification against a dummy hash and returns false, so timing
/// does not tell whether an ID exists.
pub async fn verify_async(secret: String, phc: Option<String>) -> bool {
    let _permit = HASHING.acquire().await.expect("semaphore never closed");
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&secret, &phc),
        None => {
            let _ = verify(&secret, &DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Hash off the async threads, within the hashing limit.
pub async fn hash_async(secret: String) -> String {
    let _permit = HASHING.acquire().await.expect("semaphore never closed");
    tokio::task::spawn_blocking(move || hash(&secret)).await.expect("hashing task")
}

/// Build the dummy hash now (at start-up) rather than on the first unknown ID.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let h = hash("Hanako_2024");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("Hanako_2024", &h));
        assert!(!verify("hanako_2024", &h));
        assert!(!verify("Hanako_2024", "not a phc string"));
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify_async("anything".into(), None).await);
        let h = hash_async("right_one".into()).await;
        assert!(verify_async("right_one".into(), Some(h)).await);
    }
}
