//! Add-ons (SPEC §4, §2; issue 14): インターネットセキュリティサービス (Norton マルチ
//! デバイスセキュリティ, internet subscribers) and オプションチャンネル (TV subscribers).
//! One catalogue, one subscription model: apply (terms consent → summary → 申し込む,
//! the password again after 5 minutes, a double submit makes one subscription), cancel
//! at the end of the month (or of the minimum term), fees on the invoices through the
//! billing engine, each change in the history and mailed to the contact address.
//!
//! The systems that switch an add-on on and off (the security vendor's, the set-top
//! box's channels) are told through the outbox (`kind = 'event'`, topic
//! [`EVENT_TOPIC`]), in the change's transaction:
//! `{"event":"addon.subscribed","customer_no":…,"addon":"norton","licence_key":…,"starts_on":"2026-12-07","at":…}`
//! (`licence_key` null for a channel) and
//! `{"event":"addon.cancelled","customer_no":…,"addon":…,"ends_on":"2026-12-31","at":…}`.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::{AddonApplyPage, ChannelsPage, SecurityPage};

use crate::domain::Yen;
use serde::{Deserialize, Serialize};

/// The outbox topic of add-on events.
pub const EVENT_TOPIC: &str = "addon.provision";

crate::flow_steps! {
    /// A subscription: `Active`, or `Cancelled` (in force until its `ended_on`).
    pub enum AddonStep in "addon_subscriptions" { Active, Cancelled }
}

/// A subscription of the customer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub step: AddonStep,
    pub started_on: String,
    /// The last day in force, once cancelled.
    pub ended_on: Option<String>,
    /// Security: the licence key (only ever sent to its owner).
    pub licence_key: Option<String>,
    /// Were it cancelled today: its last day, and what the months after this one cost.
    pub cancel_end: String,
    pub cancel_cost: Yen,
    /// The cancel end is the last day of the services it goes with (their ends set),
    /// before the minimum term's.
    pub ends_with_service: bool,
}

/// An add-on of the catalogue, with the customer's subscription to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addon {
    pub code: String,
    /// `security` or `channel`.
    pub kind: String,
    pub name: String,
    pub genre: String,
    pub monthly_fee: Yen,
    pub min_months: u32,
    pub devices: u32,
    pub subscription: Option<Subscription>,
}

/// An add-on screen: whether the customer may subscribe (the service it needs), the
/// add-ons of the kind and the customer's subscriptions to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddonOverview {
    pub eligible: bool,
    pub addons: Vec<Addon>,
}

/// The application's summary: what is applied for, from when, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddonQuote {
    pub addon: Addon,
    pub starts_on: String,
    /// The summary as shown, which `申し込む` carries back ([`quote_key`]).
    pub quoted: String,
    pub first_month: Yen,
    pub first_month_days: (u8, u8),
    /// With a minimum term: the earliest last day, were it cancelled at once (None when
    /// the services it needs end before: it ends with them, `ends_with_service`).
    pub earliest_end: Option<String>,
    /// The last day of the services it needs, once all have their end set: it ends
    /// then too.
    pub ends_with_service: Option<String>,
    pub needs_password: bool,
    pub submit_key: String,
}
