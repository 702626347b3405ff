//! お問い合わせ (SPEC §5): what an inquiry is made of. The category is one of a fixed
//! list; the message is 1–2,000 characters once trimmed (counted as characters, so a
//! Japanese message gets the same 2,000 as an English one), with line breaks kept.

use super::{normalize, FieldError};

/// The longest message, in characters.
pub const MESSAGE_MAX: usize = 2_000;

/// What an inquiry is about (the form's choice, in its stored form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InquiryCategory {
    Internet,
    Tv,
    Phone,
    Billing,
    MyPage,
    Other,
}

impl InquiryCategory {
    pub const ALL: [InquiryCategory; 6] = [
        InquiryCategory::Internet,
        InquiryCategory::Tv,
        InquiryCategory::Phone,
        InquiryCategory::Billing,
        InquiryCategory::MyPage,
        InquiryCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InquiryCategory::Internet => "internet",
            InquiryCategory::Tv => "tv",
            InquiryCategory::Phone => "phone",
            InquiryCategory::Billing => "billing",
            InquiryCategory::MyPage => "mypage",
            InquiryCategory::Other => "other",
        }
    }

    /// The form's value: one of the list, or `Required` (nothing chosen, or a value the
    /// form never offers).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw.trim()).ok_or(FieldError::Required)
    }
}

/// An inquiry's text: trimmed, line breaks as `\n`, 1–2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryMessage(String);

impl InquiryMessage {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        // The bidirectional overrides and isolates would show the staff the words in
        // another order than the customer's; they are invisible, so they are taken
        // out rather than refused: a refused post would cost the customer the message
        // for a character they cannot see.
        let text: String = raw
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|&c| !normalize::is_bidi_reordering(c))
            .collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.chars().count() > MESSAGE_MAX {
            return Err(FieldError::TooLong { max: MESSAGE_MAX });
        }
        // Control characters other than line breaks and tabs have no place in a message
        // (they would reach the support staff's tools and the receipt mail). The
        // invisible marks that come with pasted text (a zero-width space, a
        // left-to-right mark in a copied date) are harmless and kept.
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(FieldError::InvalidCharacters);
        }
        // A card's whole number would reach the support staff and the receipt mail;
        // the portal never takes one (the last 4 digits are enough to name a card).
        if super::card::number_in(text) {
            return Err(FieldError::CardNumber);
        }
        Ok(Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `s` is an inquiry's reference number as [`reference_number`] makes them:
/// `Q`, the date `YYMMDD`, `-`, 6 digits.
pub fn is_reference_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 14
        && b[0] == b'Q'
        && b[1..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..].iter().all(u8::is_ascii_digit)
}

/// The reference number of an inquiry made on `date` (`YYYY-MM-DD`) with the random
/// `n` (taken modulo 1,000,000).
pub fn reference_number(date: &str, n: u32) -> String {
    let digits: String = date.chars().filter(char::is_ascii_digit).skip(2).take(6).collect();
    format!("Q{digits}-{:06}", n % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_1_to_2000_characters_once_trimmed() {
        assert_eq!(InquiryMessage::parse("   \n "), Err(FieldError::Required));
        assert_eq!(InquiryMessage::parse(""), Err(FieldError::Required));
        let full = "あ".repeat(MESSAGE_MAX);
        assert_eq!(InquiryMessage::parse(&full).unwrap().as_str(), full);
        assert_eq!(
            InquiryMessage::parse(&format!("{full}い")),
            Err(FieldError::TooLong { max: MESSAGE_MAX })
        );
        // Surrounding spaces do not count against the limit.
        assert!(InquiryMessage::parse(&format!("  {full}\n")).is_ok());
        assert_eq!(InquiryMessage::parse("回線が\r\n遅い").unwrap().as_str(), "回線が\n遅い");
        assert_eq!(InquiryMessage::parse("a\u{0}b"), Err(FieldError::InvalidCharacters));
    }

    #[test]
    fn a_message_loses_its_bidirectional_overrides_but_keeps_pasted_invisible_marks() {
        for bidi in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            assert_eq!(
                InquiryMessage::parse(&format!("料金{bidi}が違う")).unwrap().as_str(),
                "料金が違う",
                "{bidi:?}"
            );
        }
        assert_eq!(InquiryMessage::parse("\u{202E} \u{2066}"), Err(FieldError::Required), "nothing but them");
        for kept in
            ['\u{2029}', '\u{202F}', '\u{2065}', '\u{206A}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{061C}']
        {
            let text = format!("料金{kept}が違う\n\t明細");
            assert_eq!(InquiryMessage::parse(&text).unwrap().as_str(), text, "{kept:?}");
        }
    }

    #[test]
    fn a_message_with_a_cards_whole_number_is_refused_and_its_last_4_are_welcome() {
        assert_eq!(
            InquiryMessage::parse("4111 1111 1111 1111 のカードの請求について"),
            Err(FieldError::CardNumber)
        );
        assert!(InquiryMessage::parse("下4桁1111のカードの請求について").is_ok());
        assert!(InquiryMessage::parse("4111 1111 1111 1112 のカード").is_ok(), "not a card's number (Luhn)");
    }

    #[test]
    fn a_category_is_one_of_the_list() {
        for c in InquiryCategory::ALL {
            assert_eq!(InquiryCategory::parse(c.as_str()), Ok(c));
        }
        assert_eq!(InquiryCategory::parse(""), Err(FieldError::Required));
        assert_eq!(InquiryCategory::parse("admin"), Err(FieldError::Required));
    }

    #[test]
    fn reference_numbers_are_recognised_as_made() {
        let r = reference_number("2026-11-26", 42);
        assert_eq!(r, "Q261126-000042");
        assert!(is_reference_number(&r));
        assert!(is_reference_number(&reference_number("2026-01-05", 1_999_999)));
        for bad in
            ["", "Q261126-00004", "Q261126000042", "R261126-000042", "Q2611a6-000042", "Q261126-0000421"]
        {
            assert!(!is_reference_number(bad), "{bad}");
        }
    }
}
