//! Payment cards as My Page may know them: never a number, only the brand the leading
//! digits (IIN) name and the last 4. Used by the gateways' adapters to name a card, and
//! by the texts a customer writes to keep a card's number out of them.

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

/// The Luhn check digit test of `number` (digits only).
pub fn luhn(number: &str) -> bool {
    let digits: Option<Vec<u32>> = number.chars().map(|c| c.to_digit(10)).collect();
    let Some(digits) = digits else {
        return false;
    };
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Whether `text` holds what looks like a whole card number: 14 to 16 digits (of either
/// width, alone or in groups joined by single spaces, hyphens or dots) in a range a
/// card network gives out ([`brand`]) and passing Luhn. Groups that follow on (an
/// expiry, a security code, a phone number) are tried apart, so a number followed by
/// more digits is still found. The portal never takes a card's number (SPEC §2), so a
/// text that would carry one to the staff and the receipt mail is refused; the last 4
/// digits are welcome.
pub fn number_in(text: &str) -> bool {
    let text = super::normalize::fold_width(text);
    let chars: Vec<char> = text.chars().collect();
    // Runs of digit groups: a group is consecutive digits; one separator between two
    // groups joins them into the same run.
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    let mut group = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            group.push(c);
            continue;
        }
        let joins = matches!(c, ' ' | '-' | '.' | 'ー' | '‐' | '−' | '–' | '—')
            && !group.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !group.is_empty() {
            runs.last_mut().expect("a run").push(std::mem::take(&mut group));
        }
        if !joins {
            runs.push(Vec::new());
        }
    }
    if !group.is_empty() {
        runs.last_mut().expect("a run").push(group);
    }
    let card = |digits: &str| brand(digits, digits.len()).is_some() && luhn(digits);
    runs.iter().any(|groups| {
        (0..groups.len()).any(|from| {
            let mut digits = String::new();
            groups[from..].iter().any(|g| {
                digits.push_str(g);
                (14..=16).contains(&digits.len()) && card(&digits)
            })
        })
    })
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
    fn a_card_number_is_found_in_a_text_in_any_of_its_usual_spellings_and_nothing_else() {
        for text in [
            "カード番号は4111111111111111です",
            "4111 1111 1111 1111",
            "４１１１－１１１１－１１１１－１１１１ の請求",
            "4111.1111.1111.1111",
            "アメックス 3782-822463-10005",
            "Diners 30569309025904",
            "JCB 3530111333300000 で払いました",
            "Mastercard 2223 0031 2200 3222",
            // Followed by its expiry or security code.
            "4111 1111 1111 1111 12/28",
            "4111-1111-1111-1111 123",
            "4111111111111111 12/28",
        ] {
            assert!(number_in(text), "{text}");
        }
        for text in [
            // One digit off: Luhn fails.
            "4111 1111 1111 1112",
            // The last 4, a phone number, a customer number, a date, a reference number.
            "下4桁は1111です",
            "090-1234-5678",
            "090-1234-5678 4111",
            "お客さま番号 100000002",
            "2026-12-05",
            "受付番号 Q261205-123456",
            // An IMEI (15 digits, Luhn, but no card's range), an address and a phone,
            // speed figures.
            "IMEI 356938035643809",
            "玉川3-1-15 090-1234-5678",
            "速度 440 420 510 380 395",
            // 13 and 17 digits alone.
            "4222222222222",
            "41111111111111113",
            // Two numbers apart, not one.
            "4111 1111, 1111 1111",
        ] {
            assert!(!number_in(text), "{text}");
        }
    }

    #[test]
    fn gateway_brand_words_are_named() {
        assert_eq!(brand_name("VISA"), Some("Visa"));
        assert_eq!(brand_name("master"), Some("Mastercard"));
        assert_eq!(brand_name("DINERS"), Some("Diners Club"));
        assert_eq!(brand_name("UNIONPAY"), None);
    }
}
