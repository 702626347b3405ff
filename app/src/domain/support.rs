//! The support centre's contacts, as configuration names them (`SUPPORT_*`, the
//! printed guide's by default): shown on お問い合わせ・サポート, in mails and wherever
//! only the support centre can help.

use serde::{Deserialize, Serialize};

/// The support centre's contacts (configuration: `SUPPORT_*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportContacts {
    /// インターネット・サポートセンター.
    pub internet_phone: String,
    /// The same from international or IP phones.
    pub internet_phone_ip: String,
    /// The general line (カスタマーセンター) and its hours.
    pub general_phone: String,
    pub general_hours: String,
    pub mail: String,
    /// The page of the opening hours.
    pub hours_url: String,
}

impl Default for SupportContacts {
    /// The provider's printed guide's.
    fn default() -> Self {
        Self {
            internet_phone: "0120-125607".into(),
            internet_phone_ip: "042-716-9617".into(),
            general_phone: "0120-109199".into(),
            general_hours: "9:30～18:00".into(),
            mail: "support@itscom.jp".into(),
            hours_url: "https://www.itscom.co.jp/support/supportcenter/".into(),
        }
    }
}

/// `tel:` link of a printed number (digits only).
pub fn tel(number: &str) -> String {
    format!("tel:{}", number.chars().filter(char::is_ascii_digit).collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tel_links_are_the_digits() {
        assert_eq!(super::tel("0120-125607"), "tel:0120125607");
        assert_eq!(super::tel("042-716-9617"), "tel:0427169617");
    }
}
