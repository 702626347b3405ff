//! お問い合わせ・サポート (SPEC §5; issue 14): the support centre's numbers as `tel:`
//! links, its mail address and opening hours (all from configuration), and the
//! inquiry form: a category, a message of up to 2,000 characters and, if the customer
//! wishes, one of their speed test results attached; stored with a reference number,
//! a receipt mail with that number to the contact address, and the customer's own
//! inquiries listed. At most 5 inquiries an hour per account.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::HelpPage;

use crate::domain::inquiry::InquiryCategory;
pub use crate::domain::support::{tel, SupportContacts};
use crate::features::speedtest::SpeedResult;
use serde::{Deserialize, Serialize};

crate::flow_steps! {
    /// An inquiry: `Received` (受付済み) until the support centre answers outside My
    /// Page (`Answered`).
    pub enum InquiryStep in "inquiries" { Received, Answered }
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
    /// The form's key: sent twice (a double click, a retry), it is one inquiry.
    pub submit_key: String,
}
