//! Password hashing: argon2id, m=19456 KiB, t=2, p=1 (OWASP's baseline), PHC strings.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

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
}
