//! Payment cards as My Page may know them: never a number, only the brand the leading
//! digits (IIN) name and the last 4. Used by the gateways' adapters to name a card.

/// The brand of a card from its leading digits (the full number, or a masked one such
/// as `424242******4242`: the first 6 are enough), with its length when known. None
/// for a range the portal does not take.
pub fn brand(leading: &str, len: usize) -> Option<&'static str> {
    let prefix = |n: usize| leading.get(..n).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    match len {
        16 if leading.starts_with('4') => Some("Visa"),
        16 if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) => Some("Mastercard"),
        16 if (3528..=3589).contains(&prefix(4)) => Some("JCB"),
        15 if matches!(prefix(2), 34 | 37) => Some("American Express"),
        14 if matches!(prefix(2), 36 | 38 | 39) || (300..=305).contains(&prefix(3)) => Some("Diners Club"),
        _ => None,
    }
}

/// A brand as a gateway spells it (`VISA`, `MASTER`, `JCB`, `AMEX`, `DINERS`…), in the
/// portal's words.
pub fn brand_name(gateway_word: &str) -> Option<&'static str> {
    match gateway_word.trim().to_ascii_uppercase().replace([' ', '_', '-'], "").as_str() {
        "VISA" => Some("Visa"),
        "MASTER" | "MASTERCARD" => Some("Mastercard"),
        "JCB" => Some("JCB"),
        "AMEX" | "AMERICANEXPRESS" => Some("American Express"),
        "DINERS" | "DINERSCLUB" => Some("Diners Club"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_come_from_the_leading_digits_even_when_masked() {
        assert_eq!(brand("4242424242424242", 16), Some("Visa"));
        assert_eq!(brand("424242******4242", 16), Some("Visa"));
        assert_eq!(brand("555555******4444", 16), Some("Mastercard"));
        assert_eq!(brand("222100******0000", 16), Some("Mastercard"));
        assert_eq!(brand("353011******0000", 16), Some("JCB"));
        assert_eq!(brand("378282*****0005", 15), Some("American Express"));
        assert_eq!(brand("305693****5904", 14), Some("Diners Club"));
        assert_eq!(brand("601111******1117", 16), None, "Discover is not taken");
        assert_eq!(brand("4242", 4), None);
    }

    #[test]
    fn gateway_brand_words_are_named() {
        assert_eq!(brand_name("VISA"), Some("Visa"));
        assert_eq!(brand_name("master"), Some("Mastercard"));
        assert_eq!(brand_name("DINERS"), Some("Diners Club"));
        assert_eq!(brand_name("UNIONPAY"), None);
    }
}
