//! Forgotten ID or password (SPEC §1.4). The ID-unknown choice leads into
//! registration (which replaces the current registration); the password-unknown
//! choice is path B: a 6-digit code by mail, then a new password.
//!
//! Path A (the legacy secret question) is not built yet: a legacy account gets the
//! same screens as an unknown ID, and no mail.

mod api;
mod page;

pub use api::*;
pub use page::{
    RecoveryChoicePage, RecoveryCodePage, RecoveryDonePage, RecoveryIdentifyPage, RecoveryPasswordPage,
};
