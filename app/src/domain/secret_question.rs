//! 合言葉 (SPEC §1.4 path A): a `秘密の質問` from a fixed list and its `答え`.
//!
//! The question is chosen at the start of each recovery and asked again on the page
//! the mailed link opens; the answer is compared in its normalised form (NFKC,
//! case-folded, spaces at the ends trimmed) and stored only as an argon2id hash.

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

/// The fixed list, in the order the select shows it. The code is what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretQuestion {
    MothersMaidenName,
    FirstPet,
    ElementarySchool,
    ChildhoodNickname,
    FavouriteFood,
    BirthTown,
}

impl SecretQuestion {
    pub const ALL: [SecretQuestion; 6] = [
        SecretQuestion::MothersMaidenName,
        SecretQuestion::FirstPet,
        SecretQuestion::ElementarySchool,
        SecretQuestion::ChildhoodNickname,
        SecretQuestion::FavouriteFood,
        SecretQuestion::BirthTown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SecretQuestion::MothersMaidenName => "mother_maiden_name",
            SecretQuestion::FirstPet => "first_pet",
            SecretQuestion::ElementarySchool => "elementary_school",
            SecretQuestion::ChildhoodNickname => "childhood_nickname",
            SecretQuestion::FavouriteFood => "favourite_food",
            SecretQuestion::BirthTown => "birth_town",
        }
    }

    /// The question a form sent: one of the list, else a field error.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        Self::ALL.into_iter().find(|q| q.code() == raw).ok_or(FieldError::InvalidFormat)
    }
}

/// The most characters an answer may have (after normalisation).
pub const ANSWER_MAX: usize = 50;

/// An answer in its compared form. Never printed in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretAnswer(String);

crate::domain::redacted_debug!(SecretAnswer);

impl SecretAnswer {
    /// Compared as SPEC §1.4 says: NFKC, case-folded, spaces trimmed (half-width kana
    /// with its marks composed first, as every typed text is).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        use unicode_normalization::UnicodeNormalization;
        let folded: String = normalize::fold_width(raw).nfkc().collect::<String>().to_lowercase();
        Ok(Self(normalize::one_line(folded.trim(), ANSWER_MAX)?.to_string()))
    }

    /// The string that is hashed and compared: the question code and the normalised
    /// answer, so an answer only matches under the question it was given for.
    pub fn secret_for(&self, question: SecretQuestion) -> String {
        format!("{}\u{0}{}", question.code(), self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC §1.4's NFKC: a kana typed with a combining mark, a circled digit and a
    /// ligature compare as their plain forms (they did not, with width folding alone).
    #[test]
    fn answers_compare_after_nfkc() {
        let same = |a: &str, b: &str| SecretAnswer::parse(a).unwrap() == SecretAnswer::parse(b).unwrap();
        assert!(same("カ\u{3099}ラス", "ガラス"));
        assert!(same("①②", "12"));
        assert!(same("ﬁsh", "FISH"));
        assert!(same("ｶﾞﾗｽ", "ガラス"));
        assert!(!same("ガラス", "カラス"), "a different word stays different");
    }

    #[test]
    fn every_question_round_trips_through_its_code() {
        for q in SecretQuestion::ALL {
            assert_eq!(SecretQuestion::parse(q.code()), Ok(q));
        }
        assert_eq!(SecretQuestion::parse(""), Err(FieldError::Required));
        assert_eq!(SecretQuestion::parse("favourite_colour"), Err(FieldError::InvalidFormat));
    }

    #[test]
    fn answers_compare_after_width_and_case_folding_and_trimming() {
        let a = SecretAnswer::parse("Pochi").unwrap();
        assert_eq!(SecretAnswer::parse("  ＰＯＣＨＩ\u{3000}").unwrap(), a);
        assert_eq!(SecretAnswer::parse("pochi").unwrap(), a);
        assert_ne!(SecretAnswer::parse("po chi").unwrap(), a, "inner spaces are kept");
        assert_eq!(SecretAnswer::parse("ﾎﾟﾁ").unwrap(), SecretAnswer::parse("ポチ").unwrap());
        assert_ne!(SecretAnswer::parse("ぽち").unwrap(), SecretAnswer::parse("ポチ").unwrap());
    }

    #[test]
    fn answers_are_required_and_at_most_50_characters() {
        assert_eq!(SecretAnswer::parse(" \u{3000} "), Err(FieldError::Required));
        assert!(SecretAnswer::parse(&"あ".repeat(ANSWER_MAX)).is_ok());
        assert_eq!(SecretAnswer::parse(&"あ".repeat(ANSWER_MAX + 1)), Err(FieldError::TooLong { max: 50 }));
        assert_eq!(SecretAnswer::parse("a\u{7}b"), Err(FieldError::InvalidCharacters));
        // An invisible character would make an answer nobody can type again.
        assert_eq!(SecretAnswer::parse("ポチ\u{200B}"), Err(FieldError::InvalidCharacters));
        assert_eq!(SecretAnswer::parse("\u{202E}ポチ"), Err(FieldError::InvalidCharacters));
        assert!(SecretAnswer::parse("ポチ🐕\u{200D}🦺").is_ok());
    }

    #[test]
    fn the_same_answer_under_another_question_is_another_secret() {
        let a = SecretAnswer::parse("tokyo").unwrap();
        assert_ne!(a.secret_for(SecretQuestion::BirthTown), a.secret_for(SecretQuestion::ElementarySchool));
        assert!(!format!("{a:?}").contains("tokyo"));
    }
}
