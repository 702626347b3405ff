//! Mailboxes (SPEC §3), for internet subscribers: the list with the virus check
//! switch, and the registration wizard (メールアドレス → サブドメイン候補 → 契約約款 and
//! virus check → 確認 → 登録 → completion shown once), and メールパスワードの再発行
//! (a new password for a mailbox, shown once on the same completion screen).
//!
//! Every step is a server function over a server-side draft bound to the session. The
//! database's unique address decides races; 登録 is idempotent; the initial password
//! is stored only as an argon2id hash, and shown once from a copy sealed with a key
//! that only the customer's browser holds.
//!
//! Events for the mail system go to the outbox (`kind = 'event'`, topic
//! `mailbox.provision`) in the same transaction as the change, as JSON:
//! `{"event":"mailbox.created","address":"taro@k07.itscom.net","customer_no":"100000002",
//! "virus_check":true,"at":1795583100}` and
//! `{"event":"mailbox.virus_check_changed","address":…,"customer_no":…,"virus_check":false,"at":…}`
//! and `{"event":"mailbox.password_reissued","address":…,"customer_no":…,"virus_check":…,"at":…}`
//! (`at` in Unix seconds). A password (initial or issued again) is never in an event: the mail system
//! receives its hash by the provisioning API, out of this portal's scope.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub(crate) mod store;
pub mod texts;

pub use api::*;
pub use page::{
    MailboxConfirmPage, MailboxDonePage, MailboxListPage, MailboxNewPage, MailboxReissueDonePage,
    MailboxReissuePage, MailboxSubdomainPage, MailboxTermsPage,
};

use serde::{Deserialize, Serialize};

/// The outbox topic of mailbox events.
pub const EVENT_TOPIC: &str = "mailbox.provision";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxRow {
    pub id: String,
    pub address: String,
    pub virus_check: bool,
    pub created_at: i64,
}

/// An internet contract in force: its mailboxes count against its own limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MailboxContract {
    pub service_id: String,
    pub plan_name: String,
    pub installation_address: String,
}

/// メールアドレス: the mailboxes of each internet contract (none: only internet
/// subscribers have mailboxes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxList {
    pub limit: i64,
    pub contracts: Vec<(MailboxContract, Vec<MailboxRow>)>,
    pub servers: MailServers,
}

crate::flow_steps! {
    /// The wizard's steps (`mailbox_drafts.step`): メールアドレス (step 1) starts a draft at
    /// `Subdomain`; `Done` holds the sealed password for the completion screen.
    pub enum MailboxStep in "mailbox_drafts" { Subdomain, Terms, Confirm, Done, Cancelled }
    flow {
        purge: [crate::ssr::flow::Purge::EXPIRED],
    }
}

/// The wizard's state for its screens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxDraftView {
    pub step: MailboxStep,
    pub local_part: String,
    pub domain: String,
    /// Sub-domain candidates on screen (`k07`…).
    pub offered: Vec<String>,
    pub subdomain: Option<String>,
    pub virus_check: Option<bool>,
    /// The login is older than 5 minutes: 登録 asks for the password again.
    pub needs_password: bool,
    /// The internet contract (plan, 設置場所), named where the customer has more than
    /// one.
    pub contract: Option<(String, String)>,
}

impl crate::flow::HasStep<MailboxStep> for MailboxDraftView {
    fn step(&self) -> MailboxStep {
        self.step
    }
}

/// The completion screen's content, handed out once.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxCompletion {
    pub address: String,
    pub password: String,
    pub virus_check: bool,
    /// Another mailbox's password, registered in this browser, waits to be shown.
    pub more: bool,
    pub servers: MailServers,
    /// The password of a mailbox issued again (メールパスワードの再発行), not a new one's.
    pub reissued: bool,
}

/// メールパスワードの再発行's confirmation: the mailbox and the page's key (its 再発行する
/// sent twice issues one password).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxReissueView {
    pub mailbox_id: String,
    pub address: String,
    pub key: String,
}

/// The servers a mail app is set up with, the same for every mailbox of the domain:
/// on the completion and, for a new phone later, on the mailbox list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailServers {
    pub incoming_server: String,
    pub incoming_ports: String,
    pub outgoing_server: String,
    pub outgoing_port: String,
}

impl MailServers {
    /// The servers of the mail domain `domain`.
    pub fn of(domain: &str) -> Self {
        Self {
            incoming_server: format!("mail.{domain}"),
            incoming_ports: "POP3 995 (SSL/TLS) / IMAP 993 (SSL/TLS)".into(),
            outgoing_server: format!("smtp.{domain}"),
            outgoing_port: "587 (STARTTLS)".into(),
        }
    }
}

impl std::fmt::Debug for MailboxCompletion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailboxCompletion").field("address", &self.address).finish_non_exhaustive()
    }
}
