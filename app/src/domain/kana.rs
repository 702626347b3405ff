//! ご契約者氏名(カナ): the contract holder's name in katakana.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const MAX_LEN: usize = 40;

/// A name in full-width katakana, stored as typed (normalised, spaces kept as one
/// half-width space) with a matching key without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KatakanaName(String);

impl KatakanaName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let folded = normalize::hiragana_to_katakana(&normalize::fold_width(raw));
        let display = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        if display.is_empty() {
            return Err(FieldError::Required);
        }
        if display.chars().count() > MAX_LEN {
            return Err(FieldError::TooLong { max: MAX_LEN });
        }
        if !display.chars().all(|c| c == ' ' || is_katakana(c)) {
            return Err(FieldError::InvalidCharacters);
        }
        Ok(Self(display))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the database indexes: no spaces.
    pub fn match_key(&self) -> String {
        normalize::remove_spaces(&self.0)
    }
}

/// Katakana letters, the prolonged sound mark and the middle dot.
fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{30FB}' | '\u{30FD}' | '\u{30FE}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hiragana_and_half_width_input_parse_to_the_same_name() {
        let a = KatakanaName::parse("やまだ　たろう").unwrap();
        let b = KatakanaName::parse("ﾔﾏﾀﾞ ﾀﾛｳ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "ヤマダ タロウ");
        assert_eq!(a.match_key(), "ヤマダタロウ");
    }

    #[test]
    fn empty_or_blank_is_required() {
        assert_eq!(KatakanaName::parse(""), Err(FieldError::Required));
        assert_eq!(KatakanaName::parse(" \u{3000} "), Err(FieldError::Required));
    }

    #[test]
    fn kanji_and_latin_letters_are_refused() {
        assert_eq!(KatakanaName::parse("山田 太郎"), Err(FieldError::InvalidCharacters));
        assert_eq!(KatakanaName::parse("Yamada"), Err(FieldError::InvalidCharacters));
    }

    #[test]
    fn length_limit_holds_at_the_edge() {
        assert!(KatakanaName::parse(&"ア".repeat(MAX_LEN)).is_ok());
        assert_eq!(KatakanaName::parse(&"ア".repeat(MAX_LEN + 1)), Err(FieldError::TooLong { max: MAX_LEN }));
    }
}
