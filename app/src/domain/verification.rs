//! Contract holder verification inputs (SPEC §1.3 STEP 2): the payment or equipment
//! detail that, with name and phone, identifies a customer.

use super::{normalize, CustomerNumber, FieldError};
use serde::{Deserialize, Serialize};

/// 口座番号 下4桁 / クレジットカード番号 下4桁: four digits (full width accepted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Last4(String);

impl Last4 {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        normalize::fixed_digits(raw, 4).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 機器情報: a set-top box / Hit pot ID, letters and digits, matched upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentId(String);

impl EquipmentId {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s: String = normalize::remove_spaces(&normalize::fold_width(raw))
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldError::InvalidCharacters);
        }
        if !(6..=20).contains(&s.len()) {
            return Err(FieldError::InvalidFormat);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which お支払情報等 the customer chose, with its parsed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Factor {
    CustomerNumber(CustomerNumber),
    BankLast4(Last4),
    CardLast4(Last4),
    Equipment(EquipmentId),
}

/// The radio button values of the form.
pub const FACTOR_KINDS: [&str; 4] = ["customer_no", "bank", "card", "equipment"];

impl Factor {
    /// Parse the chosen kind (`customer_no`, `bank`, `card`, `equipment`) and its value.
    pub fn parse(kind: &str, raw: &str) -> Result<Self, FieldError> {
        match kind {
            "customer_no" => CustomerNumber::parse(raw).map(Factor::CustomerNumber),
            "bank" => Last4::parse(raw).map(Factor::BankLast4),
            "card" => Last4::parse(raw).map(Factor::CardLast4),
            "equipment" => EquipmentId::parse(raw).map(Factor::Equipment),
            _ => Err(FieldError::Required),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Factor::CustomerNumber(_) => "customer_no",
            Factor::BankLast4(_) => "bank",
            Factor::CardLast4(_) => "card",
            Factor::Equipment(_) => "equipment",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last4_takes_four_digits_of_either_width() {
        assert_eq!(Last4::parse("１２３４").unwrap().as_str(), "1234");
        assert_eq!(Last4::parse(" 4242 ").unwrap().as_str(), "4242");
        assert_eq!(Last4::parse("123"), Err(FieldError::InvalidFormat));
        assert_eq!(Last4::parse("12345"), Err(FieldError::InvalidFormat));
        assert_eq!(Last4::parse("12a4"), Err(FieldError::InvalidCharacters));
        assert_eq!(Last4::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn equipment_ids_are_folded_to_upper_case_half_width() {
        assert_eq!(EquipmentId::parse("ｓｔｂ００００００１").unwrap().as_str(), "STB0000001");
        assert_eq!(EquipmentId::parse("hp-0000 0002").unwrap().as_str(), "HP00000002");
        assert_eq!(EquipmentId::parse("STB#1"), Err(FieldError::InvalidCharacters));
        assert_eq!(EquipmentId::parse("AB12"), Err(FieldError::InvalidFormat));
    }

    #[test]
    fn the_factor_follows_the_chosen_kind() {
        assert_eq!(Factor::parse("bank", "1234").unwrap().kind(), "bank");
        assert_eq!(Factor::parse("customer_no", "100000001").unwrap().kind(), "customer_no");
        assert!(Factor::parse("equipment", "STB0000001").is_ok());
        assert_eq!(Factor::parse("", "1234"), Err(FieldError::Required));
        assert_eq!(Factor::parse("customer_no", "1234"), Err(FieldError::InvalidFormat));
    }
}
