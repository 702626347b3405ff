//! First login: registering an iTSCOM ID (SPEC §1.3), and re-registration, which is
//! how a forgotten ID is recovered (§1.4).
//!
//! Steps, each a server function that checks the flow is at that step:
//! `/register` (STEP 2 verification) → `/register/additional` (when needed) →
//! `/register/credentials` (STEP 3) → `/register/sent` → the mailed link
//! `/register/confirm?token=…` → `/register/done`.

mod api;
mod page;

pub use api::*;
pub use page::{AdditionalPage, ConfirmPage, CredentialsPage, DonePage, RegisterPage, SentPage};

use serde::{Deserialize, Serialize};

/// What the confirmation page shows before the customer completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub itscom_id: String,
    pub name: String,
    /// The contact addresses to choose from: the new ID first, then those on record.
    pub contact_options: Vec<String>,
}
