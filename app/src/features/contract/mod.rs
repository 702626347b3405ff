//! ご契約・手続き (SPEC §2 menu B): ご契約情報確認・変更 (what the customer has: each
//! service with its plan, fee, start, term and 更新月, equipment and installation
//! address), サービス加入・変更履歴 (one timeline of every change) and
//! 契約内容確認書のダウンロード (the contract document as PDF). Plan change requests and
//! お友だち紹介 come next (issue 13).

mod api;
mod page;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::{ContractPage, HistoryPage};

use crate::domain::Yen;
use crate::features::billing::PaymentMethod;
use serde::{Deserialize, Serialize};

/// A rented or owned device (STB, Hit pot, modem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// `stb`, `hitpot` or `modem`.
    pub kind: String,
    pub id: String,
    pub model: String,
}

/// One service under contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractService {
    pub id: String,
    /// `internet`, `tv` or `phone`.
    pub kind: String,
    pub plan_name: String,
    pub monthly_fee: Yen,
    pub started_on: String,
    /// The term in months (None: no term).
    pub term_months: Option<u32>,
    /// The next 更新月 (`YYYY-MM`).
    pub renewal_month: Option<String>,
    /// The fee for ending inside the term.
    pub early_termination_fee: Yen,
    pub installation_address: String,
    pub devices: Vec<Device>,
}

/// ご契約情報確認・変更.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractOverview {
    pub name: String,
    pub customer_no: String,
    pub postal_code: String,
    pub address: String,
    pub services: Vec<ContractService>,
    pub payment: Option<PaymentMethod>,
}

/// What happened, for the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HistoryEvent {
    /// A service began (kind, plan).
    ServiceStarted { kind: String, plan: String },
    /// A service ended (kind, plan).
    ServiceEnded { kind: String, plan: String },
    /// A plan changed (kind, from, to).
    PlanChanged { kind: String, from: String, to: String },
    /// The payment method became a card (brand, last 4).
    PaymentChanged { brand: String, last4: String },
    /// A mailbox was created (address).
    MailboxCreated { address: String },
    /// The iTSCOM ID changed.
    IdChanged,
}

/// One entry of サービス加入・変更履歴.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// `YYYY-MM-DD` (Japan).
    pub date: String,
    pub event: HistoryEvent,
    /// The service it belongs to, if any (the filter).
    pub service_id: Option<String>,
}

/// サービス加入・変更履歴: newest first, and the services to filter by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    /// (service id, kind, plan) of every service the customer has had.
    pub services: Vec<(String, String, String)>,
    pub filter: Option<String>,
}
