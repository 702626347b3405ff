//! お客さま番号: the 9-digit customer number.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const LEN: usize = 9;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomerNumber(String);

impl CustomerNumber {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        normalize::fixed_digits(raw, LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CustomerNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_digits_parse_and_full_width_is_folded() {
        assert_eq!(CustomerNumber::parse("１０００００００１").unwrap().as_str(), "100000001");
        assert_eq!(CustomerNumber::parse(" 100000002 ").unwrap().as_str(), "100000002");
    }

    #[test]
    fn eight_or_ten_digits_and_letters_are_refused() {
        assert_eq!(CustomerNumber::parse("10000000"), Err(FieldError::InvalidFormat));
        assert_eq!(CustomerNumber::parse("1000000001"), Err(FieldError::InvalidFormat));
        assert_eq!(CustomerNumber::parse("10000000A"), Err(FieldError::InvalidCharacters));
        assert_eq!(CustomerNumber::parse(""), Err(FieldError::Required));
    }
}
