//! Domain types: each parses raw input into a valid value. Compiled into both the
//! browser and the server build, so both validate with the same code.

pub mod customer_number;
pub mod itscom_id;
pub mod kana;
pub mod normalize;
pub mod password;
pub mod phone;
pub mod redirect;
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
    TooShort { min: usize },
    TooLong { max: usize },
    InvalidCharacters,
    InvalidFormat,
}
