//! ご契約・手続き (SPEC §2 menu B): ご契約情報確認・変更 (what the customer has: each
//! service with its plan, fee, start, term and 更新月, equipment and installation
//! address), サービス加入・変更履歴 (one timeline of every change) and
//! 契約内容確認書のダウンロード (the contract document as PDF), プラン変更のお申し込み
//! (a preview, a request on the flow machine the back office completes).

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod page;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod plan_change;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::{ContractPage, HistoryPage, PlanChangePage};

use crate::domain::contract::PlanChangeQuote;
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
    /// The last day in force, when the service's end is set (解約予定): it takes no
    /// plan change (a change from the next month could outlive it, and its fee, or its
    /// 契約解除料, be billed for a plan never in force).
    pub ends_on: Option<String>,
    pub installation_address: String,
    pub devices: Vec<Device>,
    /// The plan's code (the catalogue's).
    pub plan_code: String,
    /// A completed change not yet in force: (the new plan's name, `YYYY-MM-DD`).
    pub scheduled: Option<(String, String)>,
    /// The open plan change request (受付 or 処理中), if any.
    pub request: Option<PlanRequest>,
}

impl ContractService {
    /// Whether the service takes no new plan change request: a completed change not in
    /// force yet (the next would start from a plan it will no longer have), or its end
    /// set (解約予定). The page offers none; the server refuses one. (An open request is
    /// the other reason, told apart.)
    pub fn takes_no_change(&self) -> bool {
        self.scheduled.is_some() || self.ends_on.is_some()
    }

    /// What changing this service to `to`, asked for on `today`, costs (the domain
    /// rule, `domain::contract::quote_change`).
    pub fn quote(&self, to: &PlanOption, today: crate::domain::billing::Date) -> PlanChangeQuote {
        use crate::domain::billing::{Date, Month};
        let started = Date::parse(&self.started_on).map(Month::of).unwrap_or(Month::of(today));
        crate::domain::contract::quote_change(
            today,
            started,
            self.term_months.unwrap_or(0),
            self.monthly_fee,
            to.monthly_fee,
            self.early_termination_fee,
        )
    }
}

/// Whether `s` is a 受付番号 as requests are numbered: `P` and 10 digits.
pub fn is_request_number(s: &str) -> bool {
    s.len() == 11 && s.starts_with('P') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

crate::flow_steps! {
    /// A plan change request: 受付 → 処理中 → 完了, or 取消 while 受付.
    pub enum PlanRequestStep in "plan_requests" { Received, Processing, Done, Cancelled }
}

/// A plan the service may change to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanOption {
    pub code: String,
    pub name: String,
    pub monthly_fee: Yen,
}

/// A plan change request as the customer (and the notices) see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// 受付番号.
    pub id: String,
    pub service_id: String,
    pub kind: String,
    pub from_name: String,
    pub to_name: String,
    pub monthly_fee: Yen,
    pub effective_on: String,
    pub termination_fee: Yen,
    pub step: PlanRequestStep,
    /// `YYYY-MM-DD` (Japan).
    pub requested_on: String,
}

/// プラン変更のお申し込み: the service, the plans it may change to, and, once one is
/// chosen, the quote and what the confirmation needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanChange {
    pub service: ContractService,
    pub options: Vec<PlanOption>,
    /// The plan chosen (the confirmation step), with its quote.
    pub chosen: Option<(PlanOption, PlanChangeQuote)>,
    /// The plan asked for is not one of `options`.
    pub invalid_plan: bool,
    /// The choice was sent with no plan chosen.
    pub no_plan: bool,
    pub needs_password: bool,
    /// The confirmation's one-time key (a double submit makes one request).
    pub submit_key: String,
}

/// ご契約情報確認・変更.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractOverview {
    pub name: String,
    pub customer_no: String,
    pub postal_code: String,
    pub address: String,
    pub services: Vec<ContractService>,
    /// The add-ons in force today (security first, then channels).
    pub addons: Vec<ContractAddon>,
    pub payment: Option<PaymentMethod>,
}

/// An add-on in force (インターネットセキュリティサービス, an オプションチャンネル): what it
/// costs a month, since when, and its last day once cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractAddon {
    /// `security` or `channel`.
    pub kind: String,
    pub name: String,
    pub monthly_fee: Yen,
    pub started_on: String,
    pub ended_on: Option<String>,
}

/// What happened, for the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HistoryEvent {
    /// A service began (kind, plan).
    ServiceStarted {
        kind: String,
        plan: String,
    },
    /// A service ended (kind, plan).
    ServiceEnded {
        kind: String,
        plan: String,
    },
    /// A plan changed (kind, from, to).
    PlanChanged {
        kind: String,
        from: String,
        to: String,
    },
    /// The payment method became a card (brand, last 4).
    PaymentChanged {
        brand: String,
        last4: String,
    },
    /// A mailbox was created (address).
    MailboxCreated {
        address: String,
    },
    /// The iTSCOM ID changed.
    IdChanged,
    /// An add-on (security, an option channel) started, or ended.
    AddonStarted {
        name: String,
    },
    AddonEnded {
        name: String,
    },
    /// A plan change was requested (kind, from, to, effective `YYYY-MM-DD`, 受付番号).
    PlanRequested {
        kind: String,
        from: String,
        to: String,
        effective_on: String,
        id: String,
    },
}

/// Where an entry of the timeline stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum EntryState {
    Done,
    /// A change completed but in force from a later date.
    Scheduled,
    Request(PlanRequestStep),
}

/// One entry of サービス加入・変更履歴.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// `YYYY-MM-DD` (Japan).
    pub date: String,
    pub event: HistoryEvent,
    /// The service it belongs to, if any (the filter).
    pub service_id: Option<String>,
    pub state: EntryState,
}

/// サービス加入・変更履歴: newest first, and the services to filter by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    /// (service id, kind, plan) of every service the customer has had.
    pub services: Vec<(String, String, String)>,
    pub filter: Option<String>,
}
