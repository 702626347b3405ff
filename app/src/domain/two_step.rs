//! 2段階認証: what a customer types at the second step, and the client address as the
//! security pages show it. The browser and the server read a code with the same rules.

use super::{normalize, FieldError};

/// An authenticator app's code: 6 digits (RFC 6238 defaults).
pub const TOTP_DIGITS: usize = 6;
/// A recovery code: 10 characters of [`RECOVERY_ALPHABET`], printed `XXXXX-XXXXX`.
pub const RECOVERY_LEN: usize = 10;
/// How many recovery codes a set has.
pub const RECOVERY_CODES: usize = 10;
/// No 0/O, 1/I/L: read from paper and typed without doubt (≈ 49.5 bits a code).
pub const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// What was typed at the second step.
#[derive(Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits of the authenticator app.
    Totp(String),
    /// A recovery code in its stored form (10 characters, upper case, no hyphen).
    Recovery(String),
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SecondFactor::Totp(_) => "Totp(…)",
            SecondFactor::Recovery(_) => "Recovery(…)",
        })
    }
}

impl SecondFactor {
    /// Six digits (either width, spaces ignored) or a recovery code (any case, spaces
    /// and hyphens ignored).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let folded: String = normalize::remove_spaces(&normalize::fold_width(raw))
            .chars()
            .filter(|c| !matches!(c, '-' | 'ー' | '−'))
            .collect();
        if folded.is_empty() {
            return Err(FieldError::Required);
        }
        if folded.chars().all(|c| c.is_ascii_digit()) {
            return normalize::fixed_digits(&folded, TOTP_DIGITS).map(SecondFactor::Totp);
        }
        Self::recovery(&folded).map(SecondFactor::Recovery)
    }

    /// A recovery code alone (the form that turns two-step verification off takes
    /// either).
    fn recovery(folded: &str) -> Result<String, FieldError> {
        let code = folded.to_ascii_uppercase();
        if !code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
            return Err(FieldError::InvalidCharacters);
        }
        if code.len() != RECOVERY_LEN {
            return Err(FieldError::InvalidFormat);
        }
        Ok(code)
    }
}

/// A passkey's name as the customer gives it: 1 to [`PASSKEY_NAME_MAX`] characters on
/// one line, spaces at the ends trimmed.
pub const PASSKEY_NAME_MAX: usize = 40;

pub fn passkey_name(raw: &str) -> Result<String, FieldError> {
    super::normalize::one_line(raw.trim(), PASSKEY_NAME_MAX).map(str::to_string)
}

/// A recovery code as printed: `ABCDE-FGHJK`.
pub fn print_recovery(code: &str) -> String {
    if code.len() == RECOVERY_LEN {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// A stored client address shortened for the customer's eyes: IPv4 to its /24
/// (`203.0.113.*`), IPv6 to its /48 (`2001:db8:1::/48`); anything else as `-`.
pub fn shorten_client(client: &str) -> String {
    let address = client.split('/').next().unwrap_or_default();
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.*")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{}/48", std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0))
        }
        Err(_) => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_are_an_app_code_and_ten_letters_a_recovery_code() {
        assert_eq!(SecondFactor::parse("012 345"), Ok(SecondFactor::Totp("012345".into())));
        assert_eq!(SecondFactor::parse("０１２３４５"), Ok(SecondFactor::Totp("012345".into())));
        assert_eq!(SecondFactor::parse("12345"), Err(FieldError::InvalidFormat));
        assert_eq!(SecondFactor::parse("1234567"), Err(FieldError::InvalidFormat));
        assert_eq!(SecondFactor::parse("abcde-fghjk"), Ok(SecondFactor::Recovery("ABCDEFGHJK".into())));
        assert_eq!(SecondFactor::parse(" ABCDE FGHJK "), Ok(SecondFactor::Recovery("ABCDEFGHJK".into())));
        assert_eq!(SecondFactor::parse("ABCDE-FGHJ"), Err(FieldError::InvalidFormat));
        assert_eq!(SecondFactor::parse("ABCDE-FGHJKM"), Err(FieldError::InvalidFormat));
        assert_eq!(SecondFactor::parse("ABCDE-FGH0K"), Err(FieldError::InvalidCharacters), "no zero");
        assert_eq!(SecondFactor::parse("12345a"), Err(FieldError::InvalidCharacters), "1 is not in it");
        assert_eq!(SecondFactor::parse(""), Err(FieldError::Required));
        assert_eq!(SecondFactor::parse(" - "), Err(FieldError::Required));
        assert!(!format!("{:?}", SecondFactor::parse("123456").unwrap()).contains("123456"));
        assert_eq!(print_recovery("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn a_passkey_name_is_one_line_of_up_to_forty_characters() {
        assert_eq!(passkey_name("  iPhone  ").as_deref(), Ok("iPhone"));
        assert_eq!(passkey_name(&"あ".repeat(40)).map(|n| n.chars().count()), Ok(40));
        assert_eq!(passkey_name(&"あ".repeat(41)), Err(FieldError::TooLong { max: 40 }));
        assert_eq!(passkey_name(" "), Err(FieldError::Required));
        assert_eq!(passkey_name("a\nb"), Err(FieldError::InvalidCharacters));
    }

    #[test]
    fn addresses_are_shortened_to_their_network() {
        assert_eq!(shorten_client("203.0.113.45"), "203.0.113.*");
        assert_eq!(shorten_client("2001:db8:1:2::/64"), "2001:db8:1::/48");
        assert_eq!(shorten_client("unknown"), "-");
        assert_eq!(shorten_client(""), "-");
    }
}
