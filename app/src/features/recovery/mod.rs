//! Forgotten ID or password (SPEC §1.4). The ID-unknown choice leads into
//! registration (which replaces the current registration); the password-unknown
//! choice starts with 本人認証 and takes one of two paths: B, a 6-digit code by mail,
//! for most accounts; A, the legacy secret question and a mailed link, for accounts
//! flagged legacy. Unknown IDs take either path (fixed per ID, secret-keyed), so the
//! path tells an outsider nothing.

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
    RecoveryChoicePage, RecoveryCodePage, RecoveryDonePage, RecoveryIdentifyPage, RecoveryPasswordPage,
    RecoveryQuestionPage, RecoveryReissuePage, RecoverySentPage, RecoveryVerifyPage,
};
#[cfg(feature = "ssr")]
pub use store::CODE_PER_ID;

crate::flow_steps! {
    /// The steps of a password recovery (`recovery_flows.step`): path B `Code` → `Password`, path A
    /// `Question` → `Mailed` (the link) → `Password`; then `Done`, or `Failed` (too many tries).
    pub enum RecoveryStep in "recovery_flows" { Code, Question, Mailed, Password, Done, Failed }
    flow {
        // A security change of its account fails every recovery under way at once.
        ends: [Code, Question, Mailed, Password] => Failed, by Account, clearing ["code_hash", "link_hash"], expire_now: true,
        purge: [crate::ssr::flow::Purge::EXPIRED],
    }
}
