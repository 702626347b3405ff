//! 認証コード: the 6-digit one-time code mailed for password recovery.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const LEN: usize = 6;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCode(String);

impl std::fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthCode(…)")
    }
}

impl AuthCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = normalize::remove_spaces(&normalize::fold_width(raw));
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::InvalidCharacters);
        }
        if s.len() != LEN {
            return Err(FieldError::InvalidFormat);
        }
        Ok(Self(s))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_of_either_width_parse_five_and_seven_do_not() {
        assert_eq!(AuthCode::parse("０１２３４５").unwrap().expose(), "012345");
        assert_eq!(AuthCode::parse("012 345").unwrap().expose(), "012345");
        assert_eq!(AuthCode::parse("12345"), Err(FieldError::InvalidFormat));
        assert_eq!(AuthCode::parse("1234567"), Err(FieldError::InvalidFormat));
        assert_eq!(AuthCode::parse("12345a"), Err(FieldError::InvalidCharacters));
        assert!(!format!("{:?}", AuthCode::parse("123456").unwrap()).contains("123456"));
    }
}
