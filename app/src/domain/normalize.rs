//! Input normalisation as SPEC §1.3 describes it: full-width digits and letters to
//! half-width, hiragana to katakana, half-width katakana to full-width, spaces of
//! either width dropped.
//!
//! Written out rather than taken from Unicode's NFKC: the browser runs these rules
//! too, and NFKC's tables would cost every page ≈40 KB of WASM, for characters (①,
//! ligatures) no form here accepts anyway.

/// Half-width katakana U+FF66..=U+FF9D as their full-width letters (ｦｧｨ… ﾝ).
const HALF_KANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// Full-width ASCII (U+FF01..=U+FF5E) and the ideographic space to ASCII; half-width
/// katakana and punctuation to full-width, a following half-width voiced or
/// semi-voiced mark (ﾞ ﾟ) composed into the letter (ｶﾞ → ガ, ﾊﾟ → パ, ｳﾞ → ヴ).
pub fn fold_width(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        let u = c as u32;
        let folded = match u {
            0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            0xFF61 => '。',
            0xFF62 => '「',
            0xFF63 => '」',
            0xFF64 => '、',
            0xFF65 => '・',
            0xFF66..=0xFF9D => HALF_KANA.chars().nth((u - 0xFF66) as usize).unwrap_or(c),
            0xFF9E | 0xFF9F => {
                let semi = u == 0xFF9F;
                if let Some(composed) = out.chars().last().and_then(|prev| compose(prev, semi)) {
                    out.pop();
                    out.push(composed);
                    continue;
                }
                if semi {
                    '゜'
                } else {
                    '゛'
                }
            }
            _ => c,
        };
        out.push(folded);
    }
    out
}

/// A katakana letter with the voiced (゛) or semi-voiced (゜) mark, where one exists.
fn compose(letter: char, semi: bool) -> Option<char> {
    let u = letter as u32;
    let voiced = |base: u32| char::from_u32(base + 1);
    match (letter, semi) {
        ('ウ', false) => Some('ヴ'),
        ('ワ', false) => Some('ヷ'),
        ('ヲ', false) => Some('ヺ'),
        // カ…ド: every other code point takes the voiced mark (ッ is not one of them).
        (_, false) if (0x30AB..=0x30C2).contains(&u) && (u - 0x30AB).is_multiple_of(2) => voiced(u),
        (_, false) if matches!(letter, 'ツ' | 'テ' | 'ト') => voiced(u),
        // ハ ヒ フ ヘ ホ: +1 voiced, +2 semi-voiced.
        (_, _) if (0x30CF..=0x30DB).contains(&u) && (u - 0x30CF).is_multiple_of(3) => {
            char::from_u32(u + if semi { 2 } else { 1 })
        }
        _ => None,
    }
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

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): invisible characters that show a run of text in another order than
/// it is stored ("Trojan Source"), so a name or a message could read one way on a
/// screen and another in the data. Japanese and English text never needs them.
pub fn is_bidi_reordering(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character nobody sees and no short text needs: the bidirectional
/// [reordering](is_bidi_reordering) controls and marks (U+061C, U+200E, U+200F), the
/// zero-width space, the word joiner, the invisible operators (U+2061–U+2064), the
/// byte-order mark, and the blank "letters" used to make a name look empty (the Hangul
/// fillers U+115F, U+1160, U+3164, U+FFA0, and U+180E). Kept out on purpose, as
/// emoji are made of them: the zero-width joiner and non-joiner (👨‍👩‍👧), the variation
/// selectors (❤️) and the tag characters (subdivision flags).
pub fn is_invisible(c: char) -> bool {
    is_bidi_reordering(c)
        || matches!(
            c,
            '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}'
                ..='\u{2064}' | '\u{FEFF}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{180E}'
        )
}

/// A short text on one line (a passkey's name, a secret answer), already trimmed:
/// required, no control character, line or paragraph separator (U+2028, U+2029) or
/// [invisible](is_invisible) character, at most `max` characters.
/// The `maxlength` of a text field whose rule allows `chars` characters: a browser
/// counts UTF-16 units, two for a character outside the BMP (𠮷, an emoji), so `chars`
/// such characters and one more fit, and the one more reaches the rule's message
/// instead of being cut unseen.
pub const fn browser_maxlength(chars: usize) -> usize {
    2 * (chars + 1)
}

pub fn one_line(s: &str, max: usize) -> Result<&str, super::FieldError> {
    use super::FieldError;
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if s.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_invisible(c)) {
        return Err(FieldError::InvalidCharacters);
    }
    if s.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(s)
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
    fn every_half_width_voiced_and_semi_voiced_letter_composes() {
        assert_eq!(
            fold_width("ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟｳﾞﾜﾞｦﾞ"),
            "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴヷヺ"
        );
        assert_eq!(fold_width("ｱｲｳｴｵﾝｰｯｬ"), "アイウエオンーッャ");
        assert_eq!(fold_width("｡｢｣､･"), "。「」、・");
    }

    #[test]
    fn a_mark_that_composes_with_nothing_stays_a_full_width_mark() {
        assert_eq!(fold_width("ｱﾞ"), "ア゛");
        assert_eq!(fold_width("ｶﾟ"), "カ゜");
        assert_eq!(fold_width("ﾞ"), "゛");
        assert_eq!(fold_width("aﾟ"), "a゜");
    }

    #[test]
    fn full_width_punctuation_and_the_ideographic_space_become_ascii() {
        assert_eq!(fold_width("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "hanako@example.com");
        assert_eq!(fold_width("０３－１２３４\u{3000}５６７８"), "03-1234 5678");
        assert_eq!(fold_width("①ﬁ"), "①ﬁ", "other compatibility characters are left as typed");
    }

    #[test]
    fn a_one_line_text_refuses_invisible_characters_but_not_an_emoji_sequence() {
        use crate::domain::FieldError;
        // Each range's ends are refused; the characters just outside them are not.
        let refused = [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{061C}', '\u{200B}', '\u{200E}', '\u{200F}',
            '\u{2060}', '\u{2064}', '\u{FEFF}', '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{180E}',
            '\u{2028}', '\u{2029}', '\u{7}',
        ];
        for hidden in refused {
            assert_eq!(
                one_line(&format!("iPad{hidden}dapi"), 40),
                Err(FieldError::InvalidCharacters),
                "{hidden:?}"
            );
        }
        for kept in ['\u{200C}', '\u{200D}', '\u{202F}', '\u{2065}', '\u{206A}', '\u{FE0F}', '\u{3000}'] {
            assert!(one_line(&format!("iPad{kept}2"), 40).is_ok(), "{kept:?}");
        }
        assert_eq!(
            one_line("家族の👨\u{200D}👩\u{200D}👧 iPad", 40),
            Ok("家族の👨\u{200D}👩\u{200D}👧 iPad")
        );
        let flag = "❤\u{FE0F}と🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
        assert!(one_line(flag, 40).is_ok(), "a variation selector and a flag's tags");
        assert_eq!(one_line("山田のiPhone", 40), Ok("山田のiPhone"));
        assert_eq!(one_line(&"あ".repeat(40), 40).map(str::len), Ok(120));
        assert_eq!(one_line(&"あ".repeat(41), 40), Err(FieldError::TooLong { max: 40 }));
        assert_eq!(one_line("", 40), Err(FieldError::Required));
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
