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
    /// The newest invoice (this month's bill).
    pub latest_invoice: Option<crate::features::billing::MonthSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    /// `internet`, `tv`, `phone`, or `addon` (an add-on in force).
    pub kind: String,
    pub plan_name: String,
    pub monthly_fee: Yen,
}
