//! 認証コード: the 6-digit one-time code mailed for password recovery.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const LEN: usize = 6;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCode(String);

crate::domain::redacted_debug!(AuthCode);

impl AuthCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        normalize::fixed_digits(raw, LEN).map(Self)
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
