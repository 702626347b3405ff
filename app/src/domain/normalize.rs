//! Input normalisation as SPEC §1.3 describes it: full-width digits and letters to
//! half-width, hiragana to katakana, half-width katakana to full-width, spaces of
//! either width dropped.

use unicode_normalization::UnicodeNormalization;

/// NFKC folds full-width ASCII to half-width and half-width katakana (with its
/// separate voiced marks) to composed full-width katakana in one pass.
pub fn fold_width(input: &str) -> String {
    input.nfkc().collect()
}

/// Hiragana (ぁ–ゖ, ゝ, ゞ) to the katakana at the same position (+0x60).
pub fn hiragana_to_katakana(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Spaces of any width (after NFKC the ideographic space is already U+0020).
pub fn remove_spaces(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A number typed in digits of either width, spaces ignored: exactly `len` digits.
pub fn fixed_digits(raw: &str, len: usize) -> Result<String, super::FieldError> {
    use super::FieldError;
    let s = remove_spaces(&fold_width(raw));
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::InvalidCharacters);
    }
    if s.chars().count() != len {
        return Err(FieldError::InvalidFormat);
    }
    Ok(s)
}

/// The matching key for names and free-form identifiers: width folded, hiragana as
/// katakana, no spaces.
pub fn match_key(input: &str) -> String {
    // Removing a space can bring a combining mark next to a letter, which NFKC then
    // composes; and NFKC can turn a spacing mark (¯) into space + combining mark. So
    // repeat until stable (two rounds in practice).
    let mut key = input.to_string();
    for _ in 0..4 {
        let next = remove_spaces(&hiragana_to_katakana(&fold_width(&key)));
        if next == key {
            break;
        }
        key = next;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_and_letters_become_half_width() {
        assert_eq!(match_key("ＳＴＢ００００００１"), "STB0000001");
        assert_eq!(match_key("１２３４"), "1234");
    }

    #[test]
    fn hiragana_becomes_katakana() {
        assert_eq!(match_key("やまだ たろう"), "ヤマダタロウ");
        assert_eq!(match_key("ゔぁ"), "ヴァ");
    }

    #[test]
    fn half_width_katakana_becomes_full_width_with_voiced_marks_composed() {
        assert_eq!(match_key("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダタロウ");
        assert_eq!(match_key("ﾊﾟﾝ"), "パン");
        assert_eq!(match_key("ｻﾄｰ"), "サトー");
    }

    #[test]
    fn a_spacing_mark_next_to_a_letter_gives_a_stable_key() {
        // Found by the property test below: NFKC("u¯") is "u ̄"; without the space it
        // composes to "ū".
        assert_eq!(match_key("u¯"), "ū");
        assert_eq!(match_key(&match_key("u¯")), "ū");
    }

    #[test]
    fn spaces_of_either_width_are_ignored() {
        assert_eq!(match_key("ヤマダ\u{3000}タロウ "), "ヤマダタロウ");
        assert_eq!(match_key(" ヤ マ ダ "), "ヤマダ");
    }

    proptest! {
        #[test]
        fn match_key_is_idempotent(s in "\\PC{0,30}") {
            let once = match_key(&s);
            prop_assert_eq!(match_key(&once), once);
        }

        #[test]
        fn hiragana_and_katakana_spellings_share_a_key(s in "[ぁ-ゖ]{1,20}") {
            let kata = hiragana_to_katakana(&s);
            prop_assert_eq!(match_key(&s), match_key(&kata));
        }

        #[test]
        fn full_width_ascii_and_half_width_share_a_key(s in "[A-Za-z0-9]{1,20}") {
            let wide: String = s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            prop_assert_eq!(match_key(&wide), s);
        }

        #[test]
        fn the_key_never_contains_whitespace(s in "[ア-ン　 a-z]{0,30}") {
            prop_assert!(!match_key(&s).chars().any(char::is_whitespace));
        }
    }
}
