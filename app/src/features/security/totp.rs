//! The authenticator app's codes (RFC 6238 defaults: HMAC-SHA-1, 6 digits, 30-second
//! steps, one step of skew either way) through `totp-rs`, and the recovery codes. A code
//! names its time step so a step once used is refused again (no replay).

use crate::domain::two_step::{RECOVERY_ALPHABET, RECOVERY_CODES, RECOVERY_LEN, TOTP_DIGITS};
use totp_rs::{Algorithm, TOTP};

/// Seconds a code stands for.
pub const STEP_SECS: u64 = 30;
/// Bytes of a new secret: 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;

/// A new random secret, base32 (no padding).
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    totp_rs::Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The generator of `secret_b32` for the account `itscom_id` of `issuer`.
pub fn generator(secret_b32: &str, issuer: &str, itscom_id: &str) -> Option<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    // The otpauth label may not hold ':' (the issuer's separator).
    let account = itscom_id.replace(':', "");
    TOTP::new(Algorithm::SHA1, TOTP_DIGITS, 1, STEP_SECS, bytes, Some(issuer.replace(':', "")), account).ok()
}

/// The time step `code` matches at `now` (the current one or one either side).
pub fn matched_step(totp: &TOTP, code: &str, now: i64) -> Option<i64> {
    let now = u64::try_from(now).ok()?;
    let current = now / STEP_SECS;
    let mut found = None;
    // Every candidate is compared (constant work whichever matches).
    for step in [current.saturating_sub(1), current, current + 1] {
        if crate::ssr::crypto::constant_time_eq(&totp.generate(step * STEP_SECS), code) {
            found = Some(step as i64);
        }
    }
    found
}

/// The key as the setup page prints it: base32 in groups of four.
pub fn grouped(secret_b32: &str) -> String {
    secret_b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A new set of recovery codes (stored form), from the OS's random generator.
pub fn new_recovery_codes() -> Vec<String> {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect()
        })
        .collect()
}

/// How a recovery code was stored until December 2026: SHA-256 of the account and the
/// code (a code is good for its own account only). Still accepted for codes made then;
/// a copy of the database could test guesses against it (31^10, about 2^50, each).
pub fn recovery_hash(account_id: &str, code: &str) -> String {
    crate::ssr::crypto::sha256_hex(&format!("recovery:{account_id}:{code}"))
}

/// How a recovery code is stored: keyed by the server's `SEAL_KEY` (which two-step
/// verification needs anyway), so that a copy of the database alone tests no guess.
pub fn recovery_mac(seal_key: &str, account_id: &str, code: &str) -> String {
    crate::ssr::crypto::keyed_hex(seal_key, "recovery-code", &format!("{account_id}:{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_sha1_vectors_hold_and_a_code_names_its_step() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", 8 digits there;
        // the 6 low digits are ours.
        let secret = totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        let totp = generator(&secret, "iTSCOM", "a@example.com").unwrap();
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(totp.generate(1_111_111_109), "081804");
        assert_eq!(totp.generate(1_234_567_890), "005924");
        assert_eq!(matched_step(&totp, "081804", 1_111_111_109), Some(1_111_111_109 / 30));
        assert_eq!(
            matched_step(&totp, "081804", 1_111_111_109 + 30),
            Some(1_111_111_109 / 30),
            "a step late"
        );
        assert_eq!(matched_step(&totp, "081804", 1_111_111_109 + 90), None, "three steps late");
        assert_eq!(matched_step(&totp, "000000", 1_111_111_109), None);
    }

    /// One 30 s step of skew either way (SPEC §1.6, RFC 6238's recommendation), and not
    /// two: the window's edges both ways.
    #[test]
    fn a_code_is_taken_one_step_early_or_late_and_not_two() {
        let secret = totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        let totp = generator(&secret, "iTSCOM", "a@example.com").unwrap();
        let at = 1_111_111_109; // the code's step starts at 1_111_111_080
        let step = at / 30;
        for (now, want) in [(at - 30, Some(step)), (at + 30, Some(step)), (at - 60, None), (at + 60, None)] {
            assert_eq!(matched_step(&totp, "081804", now), want, "at {now}");
        }
    }

    #[test]
    fn secrets_are_160_bits_and_recovery_codes_ten_distinct_of_the_alphabet() {
        let s = new_secret();
        assert_eq!(totp_rs::Secret::Encoded(s.clone()).to_bytes().unwrap().len(), SECRET_BYTES);
        assert_ne!(s, new_secret());
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(
                crate::domain::two_step::SecondFactor::parse(c),
                Ok(crate::domain::two_step::SecondFactor::Recovery(c.clone()))
            );
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert_ne!(recovery_hash("a1", &codes[0]), recovery_hash("a2", &codes[0]));
        let url = generator(&s, "iTSCOM", "hanako@example.com").unwrap().get_url();
        assert!(url.starts_with("otpauth://totp/iTSCOM:hanako%40example.com?secret="), "{url}");
    }
}
