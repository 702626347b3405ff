//! The account screens' paths, for the pages' links, the server functions' next pages and the tests.

use crate::paths::MailedLink;

/// お客さま情報.
pub const OVERVIEW: &str = "/account";
pub const EDIT: &str = "/account/edit";
/// The link mailed to a new contact address (`?token=…`; `?done=1` once confirmed).
pub const CONTACT_VERIFY: MailedLink = MailedLink("/account/contact/verify");
/// The link mailed to the contact address a change replaced (`?token=…`; `?done=1`
/// once taken back).
pub const CONTACT_REVERT: MailedLink = MailedLink("/account/contact/revert");
/// The ID change: the new ID (and where a draft out of order is sent).
pub const ID: &str = "/account/id";
pub const ID_CONFIRM: &str = "/account/id/confirm";
pub const ID_SENT: &str = "/account/id/sent";
/// The link mailed to the new address (`?token=…`).
pub const ID_VERIFY: MailedLink = MailedLink("/account/id/verify");
pub const ID_DONE: &str = "/account/id/done";
/// The cancel link mailed to the old address (`?token=…`).
pub const ID_CANCEL: MailedLink = MailedLink("/account/id/cancel");
pub const ID_CANCELLED: &str = "/account/id/cancelled";
