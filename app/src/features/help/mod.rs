//! お問い合わせ・サポート (SPEC §5; issue 14): the support centre's numbers as `tel:`
//! links, its mail address and opening hours (all from configuration), and the
//! inquiry form: a category, a message of up to 2,000 characters and, if the customer
//! wishes, one of their speed test results attached; stored with a reference number,
//! a receipt mail with that number to the contact address, and the customer's own
//! inquiries listed. At most 5 inquiries an hour per account.

mod api;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::HelpPage;

use crate::domain::inquiry::InquiryCategory;
use crate::features::speedtest::SpeedResult;
use serde::{Deserialize, Serialize};

crate::flow_steps! {
    /// An inquiry: `Received` (受付済み) until the support centre answers outside My
    /// Page (`Answered`).
    pub enum InquiryStep in "inquiries" {
        Received = "received",
        Answered = "answered",
    }
}

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

/// An inquiry of the customer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inquiry {
    pub reference_no: String,
    pub created_at: i64,
    pub category: InquiryCategory,
    pub message: String,
    pub step: InquiryStep,
    pub speed_test: Option<SpeedResult>,
}

/// お問い合わせ・サポート: the contacts, the customer's inquiries (newest first) and
/// their speed test results that can be attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpOverview {
    pub contacts: SupportContacts,
    pub inquiries: Vec<Inquiry>,
    pub results: Vec<SpeedResult>,
    /// The hour's 5 inquiries are sent: the form says so instead of taking a message
    /// it would refuse.
    pub limit_reached: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn tel_links_are_the_digits() {
        assert_eq!(super::tel("0120-125607"), "tel:0120125607");
        assert_eq!(super::tel("042-716-9617"), "tel:0427169617");
    }
}
