//! First login: registering an iTSCOM ID (SPEC §1.3), and re-registration, which is
//! how a forgotten ID is recovered (§1.4).
//!
//! Steps, each a server function that checks the flow is at that step:
//! `/register` (STEP 2 verification) → `/register/additional` (when needed) →
//! `/register/credentials` (STEP 3) → `/register/sent` → the mailed link
//! `/register/confirm?token=…` → `/register/done`.

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
    AdditionalPage, ConfirmPage, CredentialsPage, DonePage, PendingPage, RegisterPage, ReviewPage,
    ReviewedPage, SentPage, StopPage,
};
#[cfg(feature = "ssr")]
pub use store::{
    cancel_registrations, clear_customer_budgets, unlock, REGISTRATION_MAILS, REREGISTRATIONS_PER_DAY, STOPS,
};

use serde::{Deserialize, Serialize};

crate::flow_steps! {
    /// The steps of a registration (`registration_flows.step`): STEP 2 starts it at `Additional` or
    /// `Credentials`; the mailed link moves it from `MailSent` to `Done`, or to `Waiting` while a
    /// re-registration is held for the account's owner.
    pub enum RegistrationStep in "registration_flows" {
        Additional, Credentials, MailSent, Waiting, Done, Cancelled
    }
    flow {
        // A security change of its account ends every registration of the customer.
        ends: [Additional, Credentials, MailSent, Waiting] => Cancelled, by Customer,
            clearing ["confirm_token_hash", "owner_confirm_hash", "owner_cancel_hash"], expire_now: false,
        purge: [
            crate::ssr::flow::Purge { column: "expires_at", steps: &[Self::Additional.code(), Self::Credentials.code()], keep_secs: 0 },
            crate::ssr::flow::Purge { column: "confirm_expires_at", steps: &[Self::MailSent.code()], keep_secs: 0 },
            crate::ssr::flow::Purge {
                column: "created_at",
                steps: &[Self::Done.code(), Self::Cancelled.code()],
                keep_secs: crate::ssr::maintenance::KEEP_FINISHED_SECS,
            },
        ],
    }
}

/// What the confirmation page shows before the customer completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub itscom_id: String,
    pub name: String,
    /// The contact addresses to choose from: the new ID first, then those on record,
    /// masked (whoever opens the link may not own them) unless the account's contact
    /// address confirmed a re-registration. The form sends the index.
    pub contact_options: Vec<String>,
    /// A re-registration: when it takes effect unless the account's contact address
    /// confirms first (None: at once).
    pub takes_effect_at: Option<i64>,
}

/// What a link mailed to the account's contact address about a re-registration
/// shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerReview {
    /// `これは自分です` (true) or `心当たりがない` (false).
    pub confirm: bool,
    /// The account has a second factor: confirming leaves the hold as it is.
    pub held: bool,
    pub new_id: String,
    pub requested_at: i64,
    pub takes_effect_at: i64,
}

/// A first registration as its stop link shows it: the ID masked, when.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationStop {
    pub itscom_id: String,
    pub registered_at: i64,
}
