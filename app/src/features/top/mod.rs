//! The top page: the logged-in customer's summary (SPEC §2).

mod api;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub use api::get_top_summary;
pub use page::{TopPage, TopSummaryView};

use crate::domain::Yen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopSummary {
    pub customer_no: String,
    pub name: String,
    pub services: Vec<ServiceSummary>,
    /// The newest invoice: this month's bill, or, before this month's billing run (or
    /// after the services ended), the latest one.
    pub latest_invoice: Option<crate::features::billing::MonthSummary>,
    /// Whether `latest_invoice` is this month's (Japan time): the card says 今月のご請求額,
    /// else 最新のご請求額 (its month is named under it either way).
    pub latest_is_this_month: bool,
    /// お知らせ: what the customer has to act on or is waiting for, from the records.
    pub notices: Vec<TopNotice>,
}

/// One お知らせ of the top page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TopNotice {
    /// 未払い: a month's bill (`YYYY-MM`) not paid after its payment date.
    Unpaid { month: String, total: Yen },
    /// A plan change request under way: the service's kind, the plan it goes to and
    /// from when (`YYYY-MM-DD`).
    PlanRequest { kind: String, to_name: String, effective_on: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    /// `internet`, `tv`, `phone`, or `addon` (an add-on in force).
    pub kind: String,
    pub plan_name: String,
    pub monthly_fee: Yen,
}
