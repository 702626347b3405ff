//! The recovery screens' paths, for the pages' links, the server functions' next pages and the tests.

use crate::paths::MailedLink;

/// ID or password unknown: the choice.
pub const START: &str = "/recovery";
/// 本人認証 (and where a flow out of order is sent).
pub const IDENTIFY: &str = "/recovery/identify";
/// Path B: the mailed code.
pub const CODE: &str = "/recovery/code";
/// Path A: the secret question.
pub const QUESTION: &str = "/recovery/question";
/// Path A: the link is mailed.
pub const SENT: &str = "/recovery/sent";
/// Path A: the mailed link (`?token=…`).
pub const VERIFY: MailedLink = MailedLink("/recovery/verify");
/// The new password.
pub const PASSWORD: &str = "/recovery/password";
pub const DONE: &str = "/recovery/done";
pub const REISSUE: &str = "/recovery/reissue";
