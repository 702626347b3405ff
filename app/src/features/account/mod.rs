//! お客さま情報確認・変更 (SPEC §1.5): the customer's account information, and the
//! change of the iTSCOM ID. The change is drafted by the logged-in customer (with the
//! current password again when the login is older than 5 minutes), and takes effect
//! only when the new address confirms by the mailed single-use link; the contact
//! address before the change is told. A new ID held by another account gets the same
//! screens and a mail without a link, so the change reveals nothing.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
mod page;
mod profile;
pub mod routes;
#[cfg(feature = "ssr")]
pub(crate) mod store;
pub mod texts;

pub use api::*;
pub use page::{
    AccountEditPage, AccountPage, ContactRevertPage, ContactVerifyPage, IdChangeCancelPage,
    IdChangeCancelledPage, IdChangeConfirmPage, IdChangeDonePage, IdChangePage, IdChangeSentPage,
    IdChangeVerifyPage,
};
pub use profile::*;

use serde::{Deserialize, Serialize};

crate::flow_steps! {
    /// The steps of an iTSCOM ID change (`id_changes.step`): drafted at `Confirm`, `Mailed` to the
    /// new address, `Done` by its link, or `Cancelled`.
    pub enum IdChangeStep in "id_changes" { Confirm, Mailed, Done, Cancelled }
    flow {
        ends: [Confirm, Mailed] => Cancelled, by Account, clearing ["link_hash", "cancel_hash"], expire_now: false,
        purge: [crate::ssr::flow::Purge::EXPIRED],
    }
}

crate::flow_steps! {
    /// A change of the contact address to one that is not the customer's own mailbox
    /// (`contact_changes.step`): `Mailed` a link, `Done` by it, or `Cancelled` (a newer
    /// request, a password reset).
    pub enum ContactStep in "contact_changes" { Mailed, Done, Cancelled }
    flow {
        ends: [Mailed] => Cancelled, by Account, clearing ["link_hash"], expire_now: false,
        purge: [crate::ssr::flow::Purge::EXPIRED],
    }
}

crate::flow_steps! {
    /// A change of the contact address as the address it replaced can take it back
    /// (`contact_reverts.step`): `Open` for 7 days (its link, and copies of security
    /// notices to that address), `Reverted` once used or closed by another revert.
    pub enum RevertStep in "contact_reverts" { Open, Reverted }
    flow {
        purge: [crate::ssr::flow::Purge {
            column: "expires_at",
            steps: &[],
            keep_secs: crate::ssr::maintenance::KEEP_FINISHED_SECS,
        }],
    }
}

/// At most this many phone numbers on a contract.
pub const MAX_PHONES: usize = 3;

/// お客さま情報: what the customer sees about their account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub customer_no: String,
    pub name: String,
    pub name_kana: String,
    pub postal_code: String,
    pub address: String,
    /// As printed (hyphenated), in the order registered.
    pub phones: Vec<String>,
    pub itscom_id: String,
    pub contact_email: Option<String>,
    /// The customer's own mailboxes: a contact address they can switch to at once.
    pub mailboxes: Vec<String>,
    /// A new iTSCOM ID waiting for its confirmation link.
    pub pending_id: Option<String>,
    /// A new contact address waiting for its confirmation link.
    pub pending_contact: Option<String>,
    /// The login is older than 5 minutes: changes ask for the password again.
    pub needs_password: bool,
}

/// What a contact address link will change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactLink {
    pub current: Option<String>,
    pub new_email: String,
}

/// What a revert link restores: the address the change replaced, and the one in force
/// now (masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRevertLink {
    pub restore: String,
    pub current: Option<String>,
}

/// The ID change this session is drafting, at its confirmation step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdChangeDraft {
    pub step: IdChangeStep,
    pub current_id: String,
    pub new_id: String,
    pub contact_email: Option<String>,
    /// The login is older than 5 minutes: the current password is asked again.
    pub needs_password: bool,
}

impl crate::flow::HasStep<IdChangeStep> for IdChangeDraft {
    fn step(&self) -> IdChangeStep {
        self.step
    }
}

/// What a mailed confirmation link will change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdChangeLink {
    pub current_id: String,
    pub new_id: String,
    pub sets_contact: bool,
}
