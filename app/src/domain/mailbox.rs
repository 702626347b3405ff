//! Provider mailboxes (SPEC §3): `local@sub.<domain>`.
//!
//! - local part: 3–20 of half-width `a-z A-Z 0-9 - _`, `-`/`_` neither first nor last;
//!   stored and compared in lower case. Full-width letters and digits typed by mistake
//!   are folded to half-width first.
//! - sub-domain: one lower-case letter and `00`–`09` (`k07`).

use super::{normalize, FieldError};
use serde::{Deserialize, Serialize};

pub const LOCAL_MIN: usize = 3;
pub const LOCAL_MAX: usize = 20;
/// Mailboxes per internet contract unless configured otherwise.
pub const DEFAULT_LIMIT: usize = 5;
/// How many sub-domain candidates one screen offers.
pub const CANDIDATES: usize = 3;

/// Local parts kept for the provider's own use: RFC 2142's role addresses and the
/// names certificate authorities mail to prove a domain (CA/B Forum Baseline
/// Requirements 3.2.2.4.4). A customer holding one could receive mail meant for the
/// provider, or a certificate for its domain.
pub const RESERVED: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "ftp",
    "hostmaster",
    "info",
    "mailer-daemon",
    "marketing",
    "news",
    "noc",
    "nobody",
    "postmaster",
    "root",
    "sales",
    "security",
    "ssladmin",
    "ssladministrator",
    "support",
    "usenet",
    "uucp",
    "webmaster",
    "www",
];

/// The part before `@`, in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalPart(String);

impl LocalPart {
    /// Every error [`parse`](Self::parse) gives: the messages an island checking the
    /// field as typed is given (tested below).
    pub const ERRORS: &'static [FieldError] = &[
        FieldError::Required,
        FieldError::InvalidCharacters,
        FieldError::TooShort { min: LOCAL_MIN },
        FieldError::TooLong { max: LOCAL_MAX },
        FieldError::InvalidFormat,
        FieldError::Reserved,
    ];

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = normalize::fold_width(raw.trim()).to_ascii_lowercase();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(FieldError::InvalidCharacters);
        }
        let n = s.chars().count();
        if n < LOCAL_MIN {
            return Err(FieldError::TooShort { min: LOCAL_MIN });
        }
        if n > LOCAL_MAX {
            return Err(FieldError::TooLong { max: LOCAL_MAX });
        }
        if s.starts_with(['-', '_']) || s.ends_with(['-', '_']) {
            return Err(FieldError::InvalidFormat);
        }
        if RESERVED.contains(&s.as_str()) {
            return Err(FieldError::Reserved);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A sub-domain: a lower-case letter and two digits `00`–`09`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subdomain {
    letter: u8,
    digit: u8,
}

impl Subdomain {
    /// All 260, `a00` to `z09`.
    pub fn all() -> impl Iterator<Item = Subdomain> {
        (b'a'..=b'z').flat_map(|letter| (0..10u8).map(move |digit| Subdomain { letter, digit }))
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let b = raw.trim().as_bytes();
        if b.is_empty() {
            return Err(FieldError::Required);
        }
        match b {
            [l @ b'a'..=b'z', b'0', d @ b'0'..=b'9'] => Ok(Subdomain { letter: *l, digit: d - b'0' }),
            _ => Err(FieldError::InvalidFormat),
        }
    }
}

impl std::fmt::Display for Subdomain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}0{}", self.letter as char, self.digit)
    }
}

/// The full address, in lower case.
pub fn address(local: &LocalPart, sub: Subdomain, domain: &str) -> String {
    format!("{}@{sub}.{}", local.as_str(), domain.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_list_names_every_error_parse_gives_and_only_those() {
        let given: Vec<_> =
            crate::domain::edge_inputs().iter().filter_map(|s| LocalPart::parse(s).err()).collect();
        crate::domain::assert_lists_exactly(LocalPart::ERRORS, &given);
    }

    #[test]
    fn reserved_names_are_refused_in_any_case_or_width() {
        for name in RESERVED {
            assert_eq!(LocalPart::parse(name), Err(FieldError::Reserved), "{name}");
        }
        assert_eq!(LocalPart::parse("PostMaster"), Err(FieldError::Reserved));
        assert_eq!(LocalPart::parse("ａｂｕｓｅ"), Err(FieldError::Reserved));
        // Names that only contain one are fine.
        for fine in ["admins", "info-taro", "my-support", "rooted", "nobody1"] {
            assert!(LocalPart::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn every_mailbox_name_of_rfc_2142_is_reserved() {
        // RFC 2142, sections 3 to 5: business, network operations, support services.
        let rfc_2142 = [
            "info",
            "marketing",
            "sales",
            "support",
            "abuse",
            "noc",
            "security",
            "postmaster",
            "hostmaster",
            "usenet",
            "news",
            "webmaster",
            "www",
            "uucp",
            "ftp",
        ];
        for name in rfc_2142 {
            assert_eq!(LocalPart::parse(name), Err(FieldError::Reserved), "{name}");
        }
    }

    #[test]
    fn local_parts_of_3_to_20_allowed_characters_parse_in_lower_case() {
        assert_eq!(LocalPart::parse("abc").unwrap().as_str(), "abc");
        assert_eq!(LocalPart::parse("Taro_Yamada-01").unwrap().as_str(), "taro_yamada-01");
        assert_eq!(LocalPart::parse(&"a".repeat(20)).unwrap().as_str(), "a".repeat(20));
        assert_eq!(LocalPart::parse("ｔａｒｏ１").unwrap().as_str(), "taro1", "full width folded");
        assert_eq!(LocalPart::parse(" taro ").unwrap().as_str(), "taro");
    }

    #[test]
    fn local_parts_outside_the_rules_are_refused_with_the_reason() {
        assert_eq!(LocalPart::parse(""), Err(FieldError::Required));
        assert_eq!(LocalPart::parse("ab"), Err(FieldError::TooShort { min: 3 }));
        assert_eq!(LocalPart::parse(&"a".repeat(21)), Err(FieldError::TooLong { max: 20 }));
        for bad in ["ta.ro", "taro@x", "たろう", "ta ro", "taro!"] {
            assert_eq!(LocalPart::parse(bad), Err(FieldError::InvalidCharacters), "{bad}");
        }
        for edge in ["-taro", "taro-", "_taro", "taro_", "-a-"] {
            assert_eq!(LocalPart::parse(edge), Err(FieldError::InvalidFormat), "{edge}");
        }
        assert!(LocalPart::parse("a-b").is_ok() && LocalPart::parse("a_b").is_ok());
    }

    #[test]
    fn there_are_260_subdomains_and_each_round_trips() {
        let all: Vec<_> = Subdomain::all().collect();
        assert_eq!(all.len(), 260);
        assert_eq!(all[0].to_string(), "a00");
        assert_eq!(all[259].to_string(), "z09");
        for s in all {
            assert_eq!(Subdomain::parse(&s.to_string()), Ok(s));
        }
        for bad in ["a10", "A01", "a1", "a001", "101", "k7"] {
            assert_eq!(Subdomain::parse(bad), Err(FieldError::InvalidFormat), "{bad}");
        }
        assert_eq!(Subdomain::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn addresses_are_lower_case() {
        let local = LocalPart::parse("Taro").unwrap();
        assert_eq!(address(&local, Subdomain::parse("k07").unwrap(), "ITSCOM.net"), "taro@k07.itscom.net");
    }
}
