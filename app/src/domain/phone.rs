//! 登録済みの電話番号: a Japanese phone number, matched as digits only.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber(String);

/// Separators people type in phone numbers: hyphens of every kind (including the
/// katakana prolonged sound mark, a frequent mistype), spaces and parentheses.
fn is_separator(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' | '(' | ')')
        || c.is_whitespace()
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let folded = normalize::fold_width(raw);
        let digits: String = folded.chars().filter(|c| !is_separator(*c)).collect();
        if digits.is_empty() {
            return Err(FieldError::Required);
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::InvalidCharacters);
        }
        // Domestic numbers: a leading 0 and 10 digits (fixed lines) or 11 (mobile, IP).
        if !digits.starts_with('0') || !(10..=11).contains(&digits.len()) {
            return Err(FieldError::InvalidFormat);
        }
        Ok(Self(digits))
    }

    /// Digits only, as stored and matched.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// As printed, hyphenated: mobiles and IP phones 3-4-4 (090-1111-2222), toll-free
    /// 0120-xxx-xxx, Tokyo and Osaka 2-4-4 (03-1234-5678), other fixed lines 3-3-4
    /// (045-987-6543). Areas with longer codes read 3-3-4 as well: a display, never
    /// matched on.
    pub fn display(digits: &str) -> String {
        let d = digits;
        if !d.bytes().all(|b| b.is_ascii_digit()) {
            return d.to_string();
        }
        let split = |a: usize, b: usize| format!("{}-{}-{}", &d[..a], &d[a..b], &d[b..]);
        match d.len() {
            11 => split(3, 7),
            10 if d.starts_with("0120") => split(4, 7),
            10 if d.starts_with("03") || d.starts_with("06") => split(2, 6),
            10 => split(3, 6),
            _ => d.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_hyphenated_by_kind() {
        assert_eq!(PhoneNumber::display("0312345678"), "03-1234-5678");
        assert_eq!(PhoneNumber::display("0459876543"), "045-987-6543");
        assert_eq!(PhoneNumber::display("09011112222"), "090-1111-2222");
        assert_eq!(PhoneNumber::display("0120109199"), "0120-109-199");
        assert_eq!(PhoneNumber::display("123"), "123");
        assert_eq!(
            PhoneNumber::display("０３１２３４５６７"),
            "０３１２３４５６７",
            "never sliced inside a character"
        );
    }

    #[test]
    fn hyphens_spaces_and_full_width_digits_are_ignored() {
        for raw in
            ["03-1234-5678", "０３－１２３４－５６７８", "03 1234 5678", "03(1234)5678", "03ー1234ー5678"]
        {
            assert_eq!(PhoneNumber::parse(raw).unwrap().digits(), "0312345678", "{raw}");
        }
    }

    #[test]
    fn ten_and_eleven_digits_are_accepted_nine_and_twelve_are_not() {
        assert!(PhoneNumber::parse("0312345678").is_ok());
        assert!(PhoneNumber::parse("09011112222").is_ok());
        assert_eq!(PhoneNumber::parse("031234567"), Err(FieldError::InvalidFormat));
        assert_eq!(PhoneNumber::parse("090111122223"), Err(FieldError::InvalidFormat));
    }

    #[test]
    fn numbers_must_start_with_zero_and_be_digits() {
        assert_eq!(PhoneNumber::parse("3312345678"), Err(FieldError::InvalidFormat));
        assert_eq!(PhoneNumber::parse("03-1234-567a"), Err(FieldError::InvalidCharacters));
        assert_eq!(PhoneNumber::parse(" - "), Err(FieldError::Required));
    }
}
