//! Domain types: each parses raw input into a valid value. Compiled into both the
//! browser and the server build, so both validate with the same code.

pub mod addon;
pub mod auth_code;
pub mod billing;
pub mod card;
pub mod common_passwords;
pub mod contract;
pub mod customer_number;
pub mod inquiry;
pub mod itscom_id;
pub mod kana;
pub mod mailbox;
pub mod normalize;
pub mod password;
pub mod phone;
pub mod redirect;
pub mod secret_question;
pub mod speedtest;
pub mod support;
pub mod two_step;
pub mod verification;
pub mod yen;

pub use customer_number::CustomerNumber;
pub use itscom_id::ItscomId;
pub use kana::KatakanaName;
pub use password::Password;
pub use phone::PhoneNumber;
pub use yen::Yen;

/// Why a raw input was refused. The message shown to the customer is chosen by the
/// UI from this code, in the customer's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FieldError {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidCharacters,
    InvalidFormat,
    /// A password from the common-password list.
    Common,
    /// A password equal to the iTSCOM ID (or its part before @).
    SameAsId,
    /// The second entry differs from the first (or a secret does not match).
    Mismatch,
    /// The same as the current value, where a change was asked for.
    Unchanged,
    /// A one-time code already used (the app's code of a time step taken before).
    Used,
    /// Held by someone else (told only to whoever already proved the address).
    Taken,
    /// No more choices to offer (sub-domain candidates).
    Exhausted,
    /// A name kept for the provider's own use (postmaster, abuse…).
    Reserved,
    /// A payment card's whole number, which the portal never takes (SPEC §2).
    CardNumber,
}

impl FieldError {
    /// A short code for URLs (`/register?error=itscom_id.invalid_format`).
    pub fn code(self) -> String {
        match self {
            FieldError::Required => "required".into(),
            FieldError::TooShort { min } => format!("too_short_{min}"),
            FieldError::TooLong { max } => format!("too_long_{max}"),
            FieldError::InvalidCharacters => "invalid_characters".into(),
            FieldError::InvalidFormat => "invalid_format".into(),
            FieldError::Common => "common".into(),
            FieldError::SameAsId => "same_as_id".into(),
            FieldError::Mismatch => "mismatch".into(),
            FieldError::Unchanged => "unchanged".into(),
            FieldError::Used => "used".into(),
            FieldError::Taken => "taken".into(),
            FieldError::Exhausted => "exhausted".into(),
            FieldError::Reserved => "reserved".into(),
            FieldError::CardNumber => "card_number".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "required" => FieldError::Required,
            "invalid_characters" => FieldError::InvalidCharacters,
            "invalid_format" => FieldError::InvalidFormat,
            "common" => FieldError::Common,
            "same_as_id" => FieldError::SameAsId,
            "mismatch" => FieldError::Mismatch,
            "unchanged" => FieldError::Unchanged,
            "used" => FieldError::Used,
            "taken" => FieldError::Taken,
            "exhausted" => FieldError::Exhausted,
            "reserved" => FieldError::Reserved,
            "card_number" => FieldError::CardNumber,
            c => {
                if let Some(n) = c.strip_prefix("too_short_") {
                    FieldError::TooShort { min: n.parse().ok()? }
                } else if let Some(n) = c.strip_prefix("too_long_") {
                    FieldError::TooLong { max: n.parse().ok()? }
                } else {
                    return None;
                }
            }
        })
    }
}

/// `Debug` that names the type and hides its value (`Password(…)`), for the types that
/// hold a secret: it never reaches a log.
macro_rules! redacted_debug {
    ($ty:ident) => {
        impl ::core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(concat!(stringify!($ty), "(…)"))
            }
        }
    };
}
pub(crate) use redacted_debug;

/// Inputs at every edge of the text rules, for the tests that a rule's list of errors
/// (`ERRORS`: what an island checking the field as typed gets messages for) names every
/// error the rule gives, and only those.
#[cfg(test)]
pub(crate) fn edge_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        "",
        " ",
        "a",
        "ab",
        "abc",
        "abcd",
        "a@b",
        "a@b.c",
        "hanako_1",
        "hanako_1@example.com",
        "password",
        "123456",
        "Hanako_2024",
        "ｈａｎａｋｏ",
        "ａｂｕｓｅ",
        "postmaster",
        "-abc",
        "abc_",
        "a b c",
        "a@@example",
        "花子",
        "abc!",
        "%+/:=@^_-a1",
        "hanako.example.com",
        ".hanako@example.com",
    ]
    .map(String::from)
    .to_vec();
    for n in [3, 5, 6, 19, 20, 21, 31, 32, 33, 99, 100, 101] {
        inputs.push("a".repeat(n));
        inputs.push(format!("{}@example.com", "b".repeat(n)));
    }
    inputs
}

/// Fails unless `listed` holds every error of `given` and each listed one was given.
#[cfg(test)]
pub(crate) fn assert_lists_exactly(listed: &[FieldError], given: &[FieldError]) {
    for e in given {
        assert!(listed.contains(e), "{e:?} is given but not listed");
    }
    for e in listed {
        assert!(given.contains(e), "{e:?} is listed but never given");
    }
}

#[cfg(test)]
mod tests {
    use super::FieldError;

    #[test]
    fn field_error_codes_round_trip() {
        for e in [
            FieldError::Required,
            FieldError::TooShort { min: 6 },
            FieldError::TooLong { max: 100 },
            FieldError::InvalidCharacters,
            FieldError::InvalidFormat,
            FieldError::Common,
            FieldError::SameAsId,
            FieldError::Mismatch,
            FieldError::Reserved,
        ] {
            assert_eq!(FieldError::from_code(&e.code()), Some(e));
        }
        assert_eq!(FieldError::from_code("too_short_x"), None);
        assert_eq!(FieldError::from_code("nonsense"), None);
    }
}
