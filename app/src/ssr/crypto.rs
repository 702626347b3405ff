//! Tokens, digests and sealing: the server's cryptography, depending on nothing else
//! of the app (so every layer may use it).

use sha2::{Digest, Sha256};

/// SHA-256, hex: how tokens, device cookies and throttle keys are stored.
pub fn sha256_hex(input: &str) -> String {
    Sha256::digest(input.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA-256 of `message` under the server's key (`SEAL_KEY`, hex) for `purpose`
/// (each purpose its own key, derived from the one), hex: a digest of a secret too
/// short to resist guessing (a recovery code's 50 bits), which a copy of the database
/// alone then cannot test guesses against.
pub fn keyed_hex(key_hex: &str, purpose: &str, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let derived = Sha256::digest(format!("{purpose}\u{0}{key_hex}").as_bytes());
    let mut mac = Hmac::<Sha256>::new_from_slice(&derived).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two strings are equal, in time that depends only on their lengths (for
/// comparing a signature or hash someone sent with the one expected).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random token of 256 bits from the OS CSPRNG, hex.
pub fn random_token() -> String {
    let token = random_hex();
    debug_assert!(is_token(&token));
    token
}

/// Whether `s` has the form of a [`random_token`] (64 hex digits): what a cookie, a
/// link or a reference from outside must have before it reaches a query (a NUL, say,
/// is an error in PostgreSQL, not a miss).
pub fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn random_hex() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seal `secret` with a fresh random key: returns (key for the browser, sealed text
/// for the database). The key is used once, so a fixed nonce is safe.
pub fn seal(secret: &str) -> (String, String) {
    use chacha20poly1305::aead::{Aead, KeyInit};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    let key_hex = random_token();
    let key = hex_bytes(&key_hex).expect("64 hex digits");
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let sealed = cipher.encrypt(Nonce::from_slice(&[0u8; 12]), secret.as_bytes()).expect("sealing");
    (key_hex, sealed.iter().map(|b| format!("{b:02x}")).collect())
}

/// Open what [`seal`] sealed; `None` for a wrong key or damaged text.
pub fn open(key_hex: &str, sealed_hex: &str) -> Option<String> {
    use chacha20poly1305::aead::{Aead, KeyInit};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    let key = hex_bytes(key_hex).filter(|k| k.len() == 32)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let plain = cipher.decrypt(Nonce::from_slice(&[0u8; 12]), hex_bytes(sealed_hex)?.as_slice()).ok()?;
    String::from_utf8(plain).ok()
}

/// Seal `secret` with the server's key (`SEAL_KEY`) and a fresh random nonce: the
/// nonce and the sealed text, hex. For secrets the server reads again.
pub fn seal_with(key_hex: &str, secret: &str) -> String {
    use chacha20poly1305::aead::{Aead, KeyInit};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    use rand::RngCore;
    let key = hex_bytes(key_hex).filter(|k| k.len() == 32).expect("SEAL_KEY is 64 hex digits");
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), secret.as_bytes()).expect("sealing");
    nonce.iter().chain(sealed.iter()).map(|b| format!("{b:02x}")).collect()
}

/// Open what [`seal_with`] sealed; `None` for another key or damaged text.
pub fn open_with(key_hex: &str, sealed_hex: &str) -> Option<String> {
    use chacha20poly1305::aead::{Aead, KeyInit};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    let key = hex_bytes(key_hex).filter(|k| k.len() == 32)?;
    let bytes = hex_bytes(sealed_hex).filter(|b| b.len() > 12)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let plain = cipher.decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..]).ok()?;
    String::from_utf8(plain).ok()
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyed_digest_depends_on_the_key_and_the_purpose_and_is_hmac_sha256() {
        let (k1, k2) = (sha256_hex("k1"), sha256_hex("k2"));
        let a = keyed_hex(&k1, "recovery-code", "acct:ABCDEFGHJK");
        assert_eq!(a, keyed_hex(&k1, "recovery-code", "acct:ABCDEFGHJK"), "the same each time");
        assert_eq!(a.len(), 64);
        assert_ne!(a, keyed_hex(&k2, "recovery-code", "acct:ABCDEFGHJK"), "another key");
        assert_ne!(a, keyed_hex(&k1, "other", "acct:ABCDEFGHJK"), "another purpose");
        assert_ne!(a, sha256_hex("acct:ABCDEFGHJK"));
        // RFC 4231 test case 2 through the same HMAC, with the derived key replaced.
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn secrets_sealed_with_the_server_key_open_only_with_it_and_never_seal_alike() {
        let key = sha256_hex("k1");
        let a = seal_with(&key, "JBSWY3DPEHPK3PXP");
        let b = seal_with(&key, "JBSWY3DPEHPK3PXP");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("JBSWY3DP"));
        assert_eq!(open_with(&key, &a).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(open_with(&sha256_hex("k2"), &a), None);
        let mut damaged = a.clone();
        damaged.replace_range(30..32, if &a[30..32] == "00" { "11" } else { "00" });
        assert_eq!(open_with(&key, &damaged), None);
        assert_eq!(open_with(&key, "00"), None);
    }

    #[test]
    fn sealed_secrets_open_only_with_their_key() {
        let (key, sealed) = seal("Secret-123");
        assert!(!sealed.contains("Secret"));
        assert_eq!(open(&key, &sealed).as_deref(), Some("Secret-123"));
        let (other, _) = seal("x");
        assert_eq!(open(&other, &sealed), None);
        assert_eq!(open(&key, &sealed[2..]), None);
        assert_eq!(open("zz", &sealed), None);
    }

    #[test]
    fn tokens_are_256_bits_of_hex_and_never_repeat() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, random_token());
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
