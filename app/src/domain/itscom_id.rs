//! iTSCOM ID (ログインID): an email address, 4–100 characters of half-width
//! `A-Z a-z 0-9 @ _ - .`, unique case-insensitively (SPEC §1.1).

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const MIN_LEN: usize = 4;
pub const MAX_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItscomId(String);

impl ItscomId {
    /// Every error [`parse`](Self::parse) gives: the messages an island checking the
    /// field as typed is given (tested below).
    pub const ERRORS: &'static [FieldError] = &[
        FieldError::Required,
        FieldError::TooShort { min: MIN_LEN },
        FieldError::TooLong { max: MAX_LEN },
        FieldError::InvalidCharacters,
        FieldError::InvalidFormat,
    ];

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        // Full-width input is folded (customers type on Japanese IMEs); spaces at the
        // ends are dropped, spaces inside are an error like any other character.
        let s = normalize::fold_width(raw).trim().to_string();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let len = s.chars().count();
        if len < MIN_LEN {
            return Err(FieldError::TooShort { min: MIN_LEN });
        }
        if len > MAX_LEN {
            return Err(FieldError::TooLong { max: MAX_LEN });
        }
        if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '_' | '-' | '.')) {
            return Err(FieldError::InvalidCharacters);
        }
        if !is_email_form(&s) {
            return Err(FieldError::InvalidFormat);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive key the database keeps unique.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// The key of any typed text, valid or not: lets throttling and look-ups treat an
    /// invalid ID exactly like an unknown one. A control character (no ID has one) is
    /// kept as U+FFFD: the key of a NUL is still a text PostgreSQL takes (it refuses
    /// `\0` in a text), and still no one's.
    pub fn key_of_raw(raw: &str) -> String {
        normalize::fold_width(raw)
            .trim()
            .chars()
            .map(|c| if c.is_control() { char::REPLACEMENT_CHARACTER } else { c.to_ascii_lowercase() })
            .collect()
    }
}

/// `local@domain.tld`: one `@`, a non-empty local part without leading, trailing or
/// doubled dots, and a domain of at least two non-empty labels.
fn is_email_form(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if domain.contains('@') || local.is_empty() {
        return false;
    }
    let dots_ok = |part: &str| !part.starts_with('.') && !part.ends_with('.') && !part.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    dots_ok(local)
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && !l.contains('_'))
}

/// An address shown to someone who may not own it: `ha****@example.com` (the first
/// two characters of the local part, one when it is that short, and the domain).
pub fn mask_address(address: &str) -> String {
    let (local, domain) = address.split_once('@').unwrap_or((address, ""));
    let keep = if local.chars().count() > 2 { 2 } else { 1 };
    let head: String = local.chars().take(keep).collect();
    if domain.is_empty() {
        format!("{head}****")
    } else {
        format!("{head}****@{domain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_list_names_every_error_parse_gives_and_only_those() {
        let given: Vec<_> =
            crate::domain::edge_inputs().iter().filter_map(|s| ItscomId::parse(s).err()).collect();
        crate::domain::assert_lists_exactly(ItscomId::ERRORS, &given);
    }

    #[test]
    fn ordinary_addresses_parse_and_compare_case_insensitively() {
        let id = ItscomId::parse("Hanako@Example.com").unwrap();
        assert_eq!(id.as_str(), "Hanako@Example.com");
        assert_eq!(id.key(), "hanako@example.com");
        assert_eq!(
            ItscomId::parse(" ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ ").unwrap().as_str(),
            "hanako@example.com"
        );
    }

    #[test]
    fn length_edges_hold_both_ways() {
        assert_eq!(ItscomId::parse("a@b").unwrap_err(), FieldError::TooShort { min: 4 });
        assert!(ItscomId::parse("a@b.c").is_ok()); // 5
        let local = "a".repeat(MAX_LEN - "@ex.jp".len());
        assert!(ItscomId::parse(&format!("{local}@ex.jp")).is_ok()); // exactly 100
        assert_eq!(
            ItscomId::parse(&format!("{local}a@ex.jp")).unwrap_err(),
            FieldError::TooLong { max: MAX_LEN }
        );
    }

    /// SPEC's least is 4 characters, but no address is that short: an ID of 4 passes the
    /// length rule and is refused as no address; 5 (`a@b.c`) is the shortest taken.
    #[test]
    fn four_characters_pass_the_length_rule_but_make_no_address() {
        assert_eq!(ItscomId::parse("a@bc").unwrap_err(), FieldError::InvalidFormat);
        assert_eq!(ItscomId::parse("ab.c").unwrap_err(), FieldError::InvalidFormat);
        assert!(ItscomId::parse("a@b.c").is_ok());
    }

    #[test]
    fn the_key_of_any_text_is_one_a_database_takes() {
        assert_eq!(ItscomId::key_of_raw(" Hanako@Example.COM "), "hanako@example.com");
        assert_eq!(ItscomId::key_of_raw("a\u{0}b@x.jp"), "a\u{fffd}b@x.jp");
        assert!(!ItscomId::key_of_raw("\u{0}\u{7}\u{1b}").contains(|c: char| c.is_control()));
    }

    #[test]
    fn characters_outside_the_allowed_set_are_refused() {
        for bad in ["hana+ko@example.com", "hana ko@example.com", "はなこ@example.com", "hanako@exa!mple.com"]
        {
            assert_eq!(ItscomId::parse(bad).unwrap_err(), FieldError::InvalidCharacters, "{bad}");
        }
    }

    #[test]
    fn text_that_is_not_an_email_address_is_refused() {
        for bad in [
            "hanako",
            "hanako@",
            "@example.com",
            "hanako@example",
            "a@@example.com",
            ".a@example.com",
            "a..b@example.com",
            "a@example..com",
            "a@-example.com",
            "a@ex_ample.com",
        ] {
            assert_eq!(ItscomId::parse(bad).unwrap_err(), FieldError::InvalidFormat, "{bad}");
        }
        assert_eq!(ItscomId::parse("").unwrap_err(), FieldError::Required);
    }

    #[test]
    fn addresses_are_masked_but_for_their_start_and_domain() {
        assert_eq!(super::mask_address("hanako@example.com"), "ha****@example.com");
        assert_eq!(super::mask_address("sato-family@b03.itscom.net"), "sa****@b03.itscom.net");
        assert_eq!(super::mask_address("ab@example.jp"), "a****@example.jp");
        assert_eq!(super::mask_address("x"), "x****");
    }
}
