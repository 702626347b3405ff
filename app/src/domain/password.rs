//! Password: 6–32 characters of half-width `A-Z a-z 0-9 % + / : = @ ^ _ -` (SPEC §1.1).
//! The value never appears in `Debug` output or logs.

use super::FieldError;
use serde::{Deserialize, Serialize};

pub const MIN_LEN: usize = 6;
pub const MAX_LEN: usize = 32;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password(String);

crate::domain::redacted_debug!(Password);

pub fn is_allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '+' | '/' | ':' | '=' | '@' | '^' | '_' | '-')
}

impl Password {
    /// Every error of a new password's first entry ([`parse_new`]): the messages an
    /// island checking the field as typed is given (tested below).
    pub const NEW_ERRORS: &'static [FieldError] = &[
        FieldError::Required,
        FieldError::InvalidCharacters,
        FieldError::TooShort { min: MIN_LEN },
        FieldError::TooLong { max: MAX_LEN },
        FieldError::Common,
        FieldError::SameAsId,
    ];

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        if !raw.chars().all(is_allowed_char) {
            return Err(FieldError::InvalidCharacters);
        }
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(FieldError::TooShort { min: MIN_LEN });
        }
        if len > MAX_LEN {
            return Err(FieldError::TooLong { max: MAX_LEN });
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Why a new password was refused, and which field says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewPasswordError {
    /// On the first entry (`password`).
    Password(FieldError),
    /// On the second entry (`password_again`): it differs.
    Mismatch,
}

/// A password a customer sets (registration, reset): the rules of [`Password`], not on
/// the common-password list, not the ID itself, typed the same twice.
///
/// The browser checks the short list of [`super::common_passwords`] as the customer
/// types; the server also checks the 30,000 most common leaked passwords of the
/// `zxcvbn` crate's dictionary, which stays out of the WASM.
pub fn parse_new(raw: &str, again: &str, itscom_id: Option<&str>) -> Result<Password, NewPasswordError> {
    let password = Password::parse(raw).map_err(NewPasswordError::Password)?;
    if super::common_passwords::is_common(raw) || is_leaked(raw) {
        return Err(NewPasswordError::Password(FieldError::Common));
    }
    if let Some(id) = itscom_id {
        let id = id.to_ascii_lowercase();
        let local = id.split('@').next().unwrap_or_default();
        let lower = raw.to_ascii_lowercase();
        if lower == id || lower == local {
            return Err(NewPasswordError::Password(FieldError::SameAsId));
        }
    }
    if raw != again {
        return Err(NewPasswordError::Mismatch);
    }
    Ok(password)
}

/// Whether the whole password is one entry of zxcvbn's list of common leaked passwords
/// (case-insensitive; not a word with substitutions or reversed, which zxcvbn reports
/// apart).
#[cfg(feature = "ssr")]
pub fn is_leaked(raw: &str) -> bool {
    use zxcvbn::feedback::Warning;
    let entropy = zxcvbn::zxcvbn(raw, &[]);
    let warning = entropy.feedback().and_then(|f| f.warning());
    matches!(
        warning,
        Some(Warning::ThisIsATop10Password | Warning::ThisIsATop100Password | Warning::ThisIsACommonPassword)
    )
}

/// The browser has only the short list (see [`parse_new`]).
#[cfg(not(feature = "ssr"))]
pub fn is_leaked(_raw: &str) -> bool {
    false
}

/// The strength hint shown while typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    Weak,
    Fair,
    Strong,
}

/// Length and variety of character kinds (lower, upper, digit, symbol); a listed
/// password is always weak.
pub fn strength(raw: &str) -> Strength {
    if raw.chars().count() < MIN_LEN || super::common_passwords::is_common(raw) {
        return Strength::Weak;
    }
    let kinds = [
        raw.chars().any(|c| c.is_ascii_lowercase()),
        raw.chars().any(|c| c.is_ascii_uppercase()),
        raw.chars().any(|c| c.is_ascii_digit()),
        raw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    let len = raw.chars().count();
    match (len, kinds) {
        (l, k) if l >= 12 && k >= 3 => Strength::Strong,
        (l, k) if l >= 10 && k >= 2 => Strength::Fair,
        (l, k) if l >= 8 && k >= 3 => Strength::Fair,
        _ => Strength::Weak,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_list_names_every_error_of_a_new_password_and_only_those() {
        let given: Vec<_> = crate::domain::edge_inputs()
            .iter()
            .filter_map(|s| match parse_new(s, s, Some("hanako_1@example.com")) {
                Err(NewPasswordError::Password(e)) => Some(e),
                _ => None,
            })
            .collect();
        crate::domain::assert_lists_exactly(Password::NEW_ERRORS, &given);
    }

    #[test]
    fn a_new_password_must_be_uncommon_not_the_id_and_typed_twice_alike() {
        assert!(parse_new("Hanako_2024", "Hanako_2024", Some("hanako@example.com")).is_ok());
        assert_eq!(
            parse_new("password1", "password1", None),
            Err(NewPasswordError::Password(FieldError::Common))
        );
        assert_eq!(
            parse_new("Kx7wqz", "Kx7wqz", Some("kx7wqz@example.com")),
            Err(NewPasswordError::Password(FieldError::SameAsId))
        );
        assert_eq!(parse_new("Hanako_2024", "Hanako_2025", None), Err(NewPasswordError::Mismatch));
        assert_eq!(
            parse_new("abc", "abc", None),
            Err(NewPasswordError::Password(FieldError::TooShort { min: 6 }))
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_server_refuses_the_leaked_list_deep_down_and_case_insensitively() {
        // Ranks 5,000, 10,001, 20,000 and 29,990 of zxcvbn's 30,000 leaked passwords.
        for listed in ["12345qwer", "cathy1", "Tujhjdf", "FALCON01"] {
            assert_eq!(
                parse_new(listed, listed, None),
                Err(NewPasswordError::Password(FieldError::Common)),
                "{listed}"
            );
        }
        // Not on it: a word with digits around it, a passphrase, a random string.
        for fine in ["Hanako_2024", "Cable-portal-2026", "q8Zr-41mPx"] {
            assert!(parse_new(fine, fine, None).is_ok(), "{fine}");
        }
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength("abcdef"), Strength::Weak);
        assert_eq!(strength("password123"), Strength::Weak);
        assert_eq!(strength("abcdef1234"), Strength::Fair);
        assert_eq!(strength("Abcd_12345xy"), Strength::Strong);
    }

    #[test]
    fn six_and_thirty_two_characters_pass_five_and_thirty_three_do_not() {
        assert!(Password::parse("abc_12").is_ok());
        assert!(Password::parse(&"a".repeat(32)).is_ok());
        assert_eq!(Password::parse("abc12"), Err(FieldError::TooShort { min: 6 }));
        assert_eq!(Password::parse(&"a".repeat(33)), Err(FieldError::TooLong { max: 32 }));
    }

    #[test]
    fn every_allowed_symbol_passes_and_others_do_not() {
        assert!(Password::parse("Aa0%+/:=@^_-").is_ok());
        for bad in ["abc def1", "abcdef!", "パスワード12", "ａｂｃｄｅｆ", "abc#def"] {
            assert_eq!(Password::parse(bad), Err(FieldError::InvalidCharacters), "{bad}");
        }
    }

    #[test]
    fn debug_output_hides_the_password() {
        assert!(!format!("{:?}", Password::parse("Hanako_2024").unwrap()).contains("Hanako"));
    }
}
