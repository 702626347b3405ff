//! Password: 6–32 characters of half-width `A-Z a-z 0-9 % + / : = @ ^ _ -` (SPEC §1.1).
//! The value never appears in `Debug` output or logs.

use super::FieldError;
use serde::{Deserialize, Serialize};

pub const MIN_LEN: usize = 6;
pub const MAX_LEN: usize = 32;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

pub fn is_allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '+' | '/' | ':' | '=' | '@' | '^' | '_' | '-')
}

impl Password {
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

#[cfg(test)]
mod tests {
    use super::*;

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
