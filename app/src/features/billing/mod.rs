//! 料金 (SPEC §2 menu A): invoices computed from the contracts by the monthly run
//! (`store`, `server bill --month YYYY-MM`); ご請求明細の確認 with the last 12 months'
//! chart and each month's statement, its PDFs (invoice and receipt, `pdf`), and
//! お支払い方法の確認・変更 (`payment`: a card entered on the gateway's hosted page only).

mod api;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod page;
#[cfg(feature = "ssr")]
pub mod payment;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::{BillingPage, PaymentPage};

use crate::domain::billing::{InvoiceStatus, LineChange};
use crate::domain::Yen;
use serde::{Deserialize, Serialize};

/// The path of ご請求明細の確認 (`?month=YYYY-MM` selects a month).
pub const INVOICES_PATH: &str = routes::INVOICES;

/// One month in the list and the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSummary {
    /// `YYYY-MM`
    pub month: String,
    pub total: Yen,
    pub status: InvoiceStatus,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementLine {
    pub description: String,
    pub amount: Yen,
    pub rate: i64,
    /// 日割り: (days billed, days of the month).
    pub days: Option<(u8, u8)>,
}

/// Per rate: the tax-included total of its lines and the consumption tax in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateSummary {
    pub rate: i64,
    pub total: Yen,
    pub tax: Yen,
}

/// How an invoice is paid, as printed: never more than the last 4 digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// 口座振替: the bank and the account's last 4 digits.
    Bank { bank: Option<String>, last4: String },
    /// クレジットカード: brand, last 4, expiry.
    Card { brand: String, last4: String, exp_month: u8, exp_year: u16 },
}

/// One month's statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub month: String,
    pub issued_on: String,
    pub due_on: String,
    pub paid_on: Option<String>,
    pub status: InvoiceStatus,
    pub lines: Vec<StatementLine>,
    pub rates: Vec<RateSummary>,
    pub total: Yen,
    /// The method the invoice is paid by (the one in force when it was issued).
    pub payment: Option<PaymentMethod>,
    /// Against the previous month's invoice: its month and total, and what changed.
    pub previous: Option<(String, Yen)>,
    pub changes: Vec<LineChange>,
}

impl Statement {
    /// The total without the tax (小計).
    pub fn subtotal(&self) -> Yen {
        Yen(self.total.0 - self.rates.iter().map(|r| r.tax.0).sum::<i64>())
    }
}

/// ご請求明細の確認: the months (newest first) and the selected month's statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub months: Vec<MonthSummary>,
    pub selected: Option<Statement>,
}

crate::flow_steps! {
    /// A change to a card (`payment_setups.step`): the customer is at the gateway's
    /// page until its result arrives. The result is kept as it arrives (still
    /// `AtGateway`, with `received_at`: received), then settled, once.
    pub enum PaymentStep in "payment_setups" { AtGateway, Done, Declined, Cancelled }
    flow {
        purge: [
            // Finished, once expired.
            crate::ssr::flow::Purge {
                column: "expires_at",
                steps: &[Self::Done.code(), Self::Declined.code(), Self::Cancelled.code()],
                keep_secs: 0,
            },
            // Waiting, a day past its expiry: a result that comes late (a customer long
            // at the gateway's page) still finds whose it was, and she is told.
            crate::ssr::flow::Purge {
                column: "expires_at",
                steps: &[Self::AtGateway.code()],
                keep_secs: crate::ssr::maintenance::KEEP_FINISHED_SECS,
            },
            // Finished a day ago, whatever its expiry says (a result that the release
            // before this one settled keeps the expiry of a received one).
            crate::ssr::flow::Purge {
                column: "created_at",
                steps: &[Self::Done.code(), Self::Declined.code(), Self::Cancelled.code()],
                keep_secs: crate::ssr::maintenance::KEEP_FINISHED_SECS,
            },
        ],
    }
}

/// お支払い方法の確認・変更: the method now, and whether a change asks for the password
/// again (the login is older than 5 minutes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentOverview {
    pub method: Option<PaymentMethod>,
    pub needs_password: bool,
    /// Whether a payment gateway is configured: without one a change to a card is not
    /// offered online, and the page names the support centre's line instead.
    pub card_online: bool,
    /// The support centre's general line and its hours (configuration).
    pub support_phone: String,
    pub support_hours: String,
}
